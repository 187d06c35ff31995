"""Writing administrative audit entries."""
from app.extensions import db
from app.models import AuditEntry

AUDIT_TEXTS = {
    "org_created": "Órgão {sigla} criado",
    "org_updated": "Dados do órgão alterados: {fields}",
    "unit_created": "Unidade {sigla} criada",
    "unit_updated": "Unidade {sigla} alterada: {fields}",
    "user_created": "Usuário {login} criado",
    "user_updated": "Usuário {login} alterado: {fields}",
    "password_changed": "Senha do usuário {login} alterada",
    "password_reset": "Senha do usuário {login} redefinida pelo administrador",
    "membership_added": "Usuário {login} incluído na unidade {sigla}",
    "membership_removed": "Usuário {login} retirado da unidade {sigla}",
    "role_created": "Cargo/Função \"{title}\" criado{scope}",
    "role_updated": "Cargo/Função \"{title}\" {state}",
    "seal_certificate_installed": "Certificado do selo instalado ({cert_kind}): {subject}",
}

# Parameters stored as codes, shown in words (the text is rendered when shown, so old rows read well too).
PARAM_LABELS = {"cert_kind": {"self_signed": "autoassinado", "a1": "ICP-Brasil A1"}}


def record(org, kind, by=None, **params):
    entry = AuditEntry(organization_id=org.id, user_id=by.id if by else None, kind=kind, params=params)
    db.session.add(entry)
    return entry


def describe(entry):
    template = AUDIT_TEXTS.get(entry.kind, entry.kind)
    try:
        params = {key: PARAM_LABELS.get(key, {}).get(value, value) for key, value in (entry.params or {}).items()}
        return template.format(**params)
    except (KeyError, IndexError):
        return template
