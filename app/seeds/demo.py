"""Demo data for `flask seed-demo`: two órgãos, their units and users. Idempotent."""
from app.services import orgs, users

DEMO_PASSWORD = "Expediente@2026"

ORGS = [
    {
        "sigla": "PMEX", "name": "Prefeitura Municipal de Exemplo", "city": "Exemplo", "uf": "MG",
        "protocol_code": "12345",
        "units": [
            ("GAB", "Gabinete do Prefeito", None, "12346"),
            ("SEMAD", "Secretaria Municipal de Administração", None, None),
            ("DCC", "Departamento de Compras e Contratos", "SEMAD", None),
            ("SEFAZ", "Secretaria Municipal de Fazenda", None, None),
            ("SEMED", "Secretaria Municipal de Educação", None, None),
            ("SMS", "Secretaria Municipal de Saúde", None, None),
            ("PROTOCOLO", "Protocolo Geral", None, None),
        ],
        "users": [
            ("admin.pm", "Administrador da Prefeitura", ["SEMAD"], True),
            ("ana", "Ana Souza", ["SEMAD", "GAB"], False),
            ("bruno", "Bruno Lima", ["SEMAD", "DCC"], False),
            ("carla", "Carla Mendes", ["SEFAZ"], False),
            ("diego", "Diego Ferreira", ["SEMED"], False),
            ("elisa", "Elisa Rocha", ["SMS"], False),
            ("fabio", "Fábio Nunes", ["PROTOCOLO"], False),
            ("gabriela", "Gabriela Alves", ["GAB"], False),
        ],
    },
    {
        "sigla": "CMEX", "name": "Câmara Municipal de Exemplo", "city": "Exemplo", "uf": "MG",
        "protocol_code": "12399",
        "units": [
            ("PRESI", "Presidência", None, None),
            ("SECRET", "Secretaria Legislativa", "PRESI", None),
        ],
        "users": [
            ("admin.cm", "Administrador da Câmara", ["SECRET"], True),
            ("helena", "Helena Castro", ["PRESI"], False),
            ("igor", "Igor Martins", ["SECRET"], False),
        ],
    },
]


def seed():
    for spec in ORGS:
        org = orgs.find_org(spec["sigla"]) or orgs.create_organization(
            sigla=spec["sigla"], name=spec["name"], city=spec["city"], uf=spec["uf"],
            protocol_code=spec["protocol_code"])
        for sigla, name, parent, code in spec["units"]:
            if orgs.find_unit(org, sigla) is None:
                orgs.create_unit(org, sigla=sigla, name=name, parent=orgs.find_unit(org, parent) if parent else None,
                                 protocol_code=code, email=f"{sigla.lower()}@exemplo.mg.gov.br")
        for login, name, unit_siglas, admin in spec["users"]:
            if users.find_user(login) is None:
                users.create_user(org, login=login, name=name, password=DEMO_PASSWORD, is_admin=admin,
                                  units=[orgs.find_unit(org, s) for s in unit_siglas],
                                  email=f"{login}@exemplo.mg.gov.br")
    from app.seeds import demo_hooks
    for hook in demo_hooks.HOOKS:
        hook()
