"""Demo processes for `flask seed-demo`: about fifteen processes spread over the PMEX units, with
markers, notes, deadlines and a watch. Idempotent: each process carries a fixed creation token."""
from datetime import timedelta

from app.extensions import db
from app.models import Process
from app.services import catalog, orgs, processes, unit_tools, users

MARKERS = {
    "SEMAD": [("Urgente", "vermelho"), ("Aguardando documentação", "amarelo"), ("Para assinatura", "azul")],
    "DCC": [("Licitação em andamento", "verde"), ("Urgente", "vermelho")],
    "GAB": [("Prioridade do Prefeito", "roxo")],
}

# (unit, author, type, especificação, interessados, level, hipótese, marker + text, note, deadline in days)
PROCESSES = [
    ("SEMAD", "ana", "Administração Geral: Processo Administrativo", "Revisão do regimento interno da SEMAD",
     "", "publico", None, ("Para assinatura", "Minuta pronta"), None, 10),
    ("SEMAD", "ana", "Pessoal: Férias", "Férias de servidores da SEMAD — janeiro", "Ana Souza", "publico", None,
     None, "Conferir escala com o RH", None),
    ("SEMAD", "bruno", "Pessoal: Licença para Tratamento de Saúde", "Licença médica de servidor",
     "João Pereira - 529.982.247-25", "restrito", "Informação Pessoal", ("Urgente", "Perícia marcada"), None, 3),
    ("SEMAD", "ana", "Patrimônio: Baixa de Bem", "Baixa de computadores inservíveis", "", "publico", None,
     ("Aguardando documentação", "Falta laudo técnico"), None, -2),
    ("DCC", "bruno", "Licitação: Pregão Eletrônico", "Aquisição de material de expediente 2026",
     "Papelaria Central Ltda - 11.222.333/0001-81", "publico", None, ("Licitação em andamento", "Edital publicado"),
     "Sessão pública dia 15", 20),
    ("DCC", "bruno", "Licitação: Dispensa", "Contratação de manutenção de ar-condicionado", "Clima Frio ME",
     "publico", None, None, None, None),
    ("DCC", "bruno", "Contrato: Aditivo", "Aditivo de prazo do contrato de limpeza", "Limpa Tudo Serviços Ltda",
     "publico", None, ("Urgente", "Contrato vence este mês"), None, 7),
    ("SEFAZ", "carla", "Finanças: Pagamento a Fornecedor", "Pagamento da nota fiscal 1234 — Papelaria Central",
     "Papelaria Central Ltda - 11.222.333/0001-81", "publico", None, None, None, 5),
    ("SEFAZ", "carla", "Tributário: Restituição de IPTU", "Restituição de IPTU pago em duplicidade",
     "Maria das Graças Oliveira", "restrito", "Situação Econômico-Financeira de Sujeito Passivo", None,
     "Aguardar parecer da procuradoria", None),
    ("SEMED", "diego", "Educação: Matrícula/Transferência", "Transferência de aluno entre escolas municipais",
     "Responsável: Carlos Souza", "restrito", "Informação Pessoal", None, None, None),
    ("SMS", "elisa", "Saúde: Tratamento Fora do Domicílio (TFD)", "TFD para consulta em Belo Horizonte",
     "Paciente: Luiza Andrade", "restrito", "Informação Pessoal", None, None, 4),
    ("PROTOCOLO", "fabio", "Ouvidoria: Reclamação", "Reclamação sobre iluminação pública na Rua das Flores",
     "José da Silva", "publico", None, None, None, None),
    ("PROTOCOLO", "fabio", "Obras: Alvará de Construção", "Alvará de construção residencial — Lote 12, Quadra 4",
     "Construtora Horizonte Ltda", "publico", None, None, None, None),
    ("GAB", "gabriela", "Gabinete: Correspondência Recebida", "Ofício da Câmara Municipal sobre transporte escolar",
     "Câmara Municipal de Exemplo", "publico", None, ("Prioridade do Prefeito", "Responder em 5 dias"), None, 5),
    ("GAB", "ana", "Gabinete: Decreto", "Decreto de ponto facultativo — fim de ano", "", "publico", None, None,
     None, None),
]


def _markers(org):
    out = {}
    for sigla, specs in MARKERS.items():
        unit = orgs.find_unit(org, sigla)
        have = {m.name: m for m in unit_tools.unit_markers(unit, active_only=False)}
        member = users.find_user({"SEMAD": "ana", "DCC": "bruno", "GAB": "gabriela"}[sigla])
        for name, color in specs:
            out[(sigla, name)] = have.get(name) or unit_tools.create_marker(unit, by=member, name=name, color=color)
    return out


def seed():
    org = orgs.find_org("PMEX")
    if org is None:
        return
    markers = _markers(org)
    today = processes.today()
    for n, (sigla, login, type_name, spec, people, level, basis, marker, note, days) in enumerate(PROCESSES, 1):
        token = f"demo-processo-{n:03d}"
        if db.session.scalar(db.select(Process.id).where(Process.creation_token == token)):
            continue
        unit, user = orgs.find_unit(org, sigla), users.find_user(login)
        legal_basis = next((b for b in catalog.legal_bases(org) if b.name == basis), None)
        process = processes.create_process(unit, by=user, process_type=catalog.find_type(org, type_name),
                                           specification=spec, interested=people, access_level=level,
                                           legal_basis=legal_basis, token=token)
        if marker:
            unit_tools.apply_marker(process, unit, by=user, marker=markers[(sigla, marker[0])], text=marker[1])
        if note:
            unit_tools.set_note(process, unit, by=user, text=note)
        if days is not None:
            unit_tools.set_deadline(process, unit, by=user, deadline=today + timedelta(days=days))
        if n == 1:
            unit_tools.watch(process, unit, by=user, observation="Acompanhar até a publicação")
    db.session.flush()


# --- Varied especificações for volume demos and the inbox benchmark ---------------------------
_SUBJECTS = ("Aquisição de {obj} para a {unit}", "Contratação de {svc} — {place}", "Pagamento da nota fiscal {n} de {firm}",
             "Reclamação sobre {issue} no bairro {hood}", "Pedido de informação sobre {issue} na rua {street}",
             "Férias de {person}", "Licença para tratamento de saúde de {person}", "Nomeação de {person} para {role}",
             "Restituição de IPTU da inscrição {n}", "Isenção de IPTU — {person}", "Alvará de construção — lote {n}, {hood}",
             "Baixa de {obj} inservíveis", "Aditivo de prazo do contrato {n}/{year} com {firm}",
             "Convênio com {firm} para {svc}", "Matrícula de aluno na Escola Municipal {school}",
             "TFD de {person} para {city}", "Benefício eventual para família do bairro {hood}",
             "Ofício da {org} sobre {issue}", "Projeto de lei sobre {issue}", "Requerimento de {person} sobre {issue}")
_WORDS = {
    "obj": ("material de expediente", "computadores", "cadeiras", "ar-condicionado", "medicamentos", "uniformes escolares",
            "pneus para a frota", "material de limpeza", "merenda escolar", "mobiliário"),
    "unit": ("SEMAD", "SEFAZ", "SEMED", "SMS", "Secretaria de Obras", "Guarda Municipal"),
    "svc": ("manutenção predial", "transporte escolar", "coleta de lixo", "vigilância", "limpeza urbana",
            "manutenção de veículos", "software de gestão", "iluminação pública"),
    "place": ("lote 1", "lote 2", "zona rural", "centro", "escolas municipais", "unidades de saúde"),
    "firm": ("Papelaria Central Ltda", "Construtora Horizonte", "Clima Frio ME", "Limpa Tudo Serviços",
             "Auto Peças Minas", "Distribuidora Vale Verde", "Tech Gestão Pública", "Transportes Serra Azul"),
    "issue": ("iluminação pública", "buracos na via", "coleta de lixo", "transporte escolar", "poda de árvores",
              "esgoto a céu aberto", "barulho noturno", "fila no posto de saúde", "terreno abandonado"),
    "hood": ("Centro", "Vila Nova", "Jardim América", "São José", "Boa Vista", "Santa Luzia", "Industrial"),
    "street": ("das Flores", "Sete de Setembro", "Tiradentes", "Minas Gerais", "do Rosário", "Padre Eustáquio"),
    "person": ("Maria Aparecida Silva", "José Carlos Souza", "Ana Paula Ferreira", "Antônio Pereira", "Luiza Andrade",
               "Francisco Oliveira", "Juliana Costa", "Marcos Vinícius Lima", "Patrícia Gomes", "Rafael Martins"),
    "role": ("Auxiliar Administrativo", "Professor de Educação Básica", "Agente Comunitário de Saúde", "Motorista"),
    "school": ("Tiradentes", "Dona Zulmira", "Padre Anchieta", "Cecília Meireles"),
    "city": ("Belo Horizonte", "Juiz de Fora", "Montes Claros", "Uberlândia"),
    "org": ("Câmara Municipal", "Promotoria de Justiça", "Defensoria Pública", "Secretaria de Estado de Saúde"),
}


def random_specification(rng):
    """A plausible especificação (≤ 100 characters) drawn from `rng` (a random.Random)."""
    template = rng.choice(_SUBJECTS)
    values = {key: rng.choice(words) for key, words in _WORDS.items()}
    values.update(n=rng.randint(100, 99999), year=rng.randint(2020, 2026))
    return template.format(**values)[:100]
