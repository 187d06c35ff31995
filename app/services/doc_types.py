"""Tipos de Documento, Textos Padrão and the órgão's document settings (brasão, accepted uploads)."""
import re

from sqlalchemy import select

from app.extensions import db
from app.models import DocumentSettings, DocumentType, StandardText
from app.models.document import APPLIES_TO, NUMBERING_MODES, SIGNATURE_LEVELS
from app.services import audit
from app.services.errors import Duplicate, InvalidInput
from app.services.sanitize import clean_html
from app.services.uploads import DOCUMENT_KINDS

TITLE_FIELDS = ("tipo", "numero", "ano", "siglas", "unidade", "orgao")
FIELD_RE = re.compile(r"\{([^{}]*)\}")
MAX_UPLOAD_MB = 1024
BRASAO_MAX_BYTES = 512 * 1024

audit.AUDIT_TEXTS.update({
    "document_type_created": "Tipo de Documento “{name}” criado",
    "document_type_updated": "Tipo de Documento “{name}” alterado: {fields}",
    "standard_text_created": "Texto Padrão “{name}” criado{scope}",
    "standard_text_updated": "Texto Padrão “{name}” alterado{scope}",
    "standard_text_deleted": "Texto Padrão “{name}” excluído{scope}",
    "document_settings_updated": "Configuração de documentos alterada: {fields}",
    "brasao_uploaded": "Brasão do órgão enviado ({image_format})",
    "brasao_removed": "Brasão do órgão removido",
})


def _required(value, label, field, max_len):
    value = (value or "").strip()
    if not value:
        raise InvalidInput(f"Informe {label}.", field)
    if len(value) > max_len:
        raise InvalidInput(f"O campo deve ter no máximo {max_len} caracteres.", field)
    return value


def clean_title_template(template, numbering):
    template = _required(template, "a expressão do título", "title_template", 200)
    fields = FIELD_RE.findall(template)
    unknown = [f for f in fields if f not in TITLE_FIELDS]
    if unknown or template.count("{") != len(fields) or template.count("}") != len(fields):
        raise InvalidInput("Expressão do título inválida. Use apenas: " + ", ".join("{" + f + "}" for f in TITLE_FIELDS)
                           + ".", "title_template")
    if numbering == "none" and "numero" in fields:
        raise InvalidInput("Tipos sem numeração não podem usar {numero} no título.", "title_template")
    return template


def _clean_type_values(org, values, current=None):
    name = _required(values.get("name"), "o nome", "name", 100)
    other = db.session.scalar(select(DocumentType).where(DocumentType.organization_id == org.id,
                                                         DocumentType.name == name))
    if other is not None and other is not current:
        raise Duplicate(f"Já existe o Tipo de Documento “{name}”.", "name")
    checks = (("applies_to", APPLIES_TO), ("numbering", NUMBERING_MODES), ("min_signature_level", SIGNATURE_LEVELS),
              ("suggested_level", ("publico", "restrito", "sigiloso")))
    clean = {"name": name}
    for key, allowed in checks:
        if values.get(key) not in allowed:
            raise InvalidInput("Escolha uma opção da lista.", key)
        clean[key] = values[key]
    clean["title_template"] = clean_title_template(values.get("title_template"), clean["numbering"])
    clean["model_html"] = clean_html(values.get("model_html") or "")
    clean["active"] = bool(values.get("active", True))
    return clean


def create_document_type(org, *, by=None, **values):
    clean = _clean_type_values(org, values)
    doc_type = DocumentType(organization_id=org.id, **clean)
    db.session.add(doc_type)
    audit.record(org, "document_type_created", by=by, name=clean["name"])
    db.session.flush()
    return doc_type


def update_document_type(doc_type, *, by, **values):
    org = doc_type.organization_id
    clean = _clean_type_values(_org(org), values, current=doc_type)
    changed = [k for k, v in clean.items() if getattr(doc_type, k) != v]
    for key in changed:
        setattr(doc_type, key, clean[key])
    if changed:
        audit.record(_org(org), "document_type_updated", by=by, name=doc_type.name, fields=", ".join(changed))
    db.session.flush()
    return changed


def _org(org_id):
    from app.models import Organization
    return db.session.get(Organization, org_id)


def types_for(org, *, kind=None, active_only=True):
    query = select(DocumentType).where(DocumentType.organization_id == org.id)
    if active_only:
        query = query.where(DocumentType.active.is_(True))
    if kind is not None:
        query = query.where(DocumentType.applies_to.in_((kind, "both")))
    return db.session.scalars(query.order_by(DocumentType.name)).all()


def seed_document_types(org):
    """Seeder (idempotent): the municipal Tipos de Documento with their Modelos, and the órgão's Textos Padrão."""
    from app.seeds.reference import DOCUMENT_TYPES, STANDARD_TEXTS
    existing = set(db.session.scalars(select(DocumentType.name).where(DocumentType.organization_id == org.id)))
    for spec in DOCUMENT_TYPES:
        if spec["name"] not in existing:
            db.session.add(DocumentType(
                organization_id=org.id, name=spec["name"], applies_to=spec["applies_to"],
                numbering=spec["numbering"], title_template=spec["title"], model_html=clean_html(spec["model"]),
                suggested_level=spec["suggested_level"], min_signature_level=spec.get("min_signature_level", "avancada")))
    texts = set(db.session.scalars(select(StandardText.name).where(StandardText.organization_id == org.id,
                                                                    StandardText.unit_id.is_(None))))
    for name, html in STANDARD_TEXTS:
        if name not in texts:
            db.session.add(StandardText(organization_id=org.id, unit_id=None, name=name, html=clean_html(html)))
    if db.session.get(DocumentSettings, org.id) is None:
        db.session.add(DocumentSettings(organization_id=org.id))
    db.session.flush()


# --- Textos Padrão ---------------------------------------------------------------------------

def standard_texts_for(unit):
    """The unit's own texts, then the órgão's (unit_id null)."""
    return db.session.scalars(select(StandardText).where(
        StandardText.organization_id == unit.organization_id,
        (StandardText.unit_id == unit.id) | StandardText.unit_id.is_(None))
        .order_by(StandardText.unit_id.is_(None), StandardText.name)).all()


def _scope(text):
    return f" na unidade {text.unit.sigla}" if text.unit_id else " (do órgão)"


def save_standard_text(org, *, by, unit, name, html, text=None):
    """Create (text=None) or change a Texto Padrão of `unit` (unit=None: of the órgão)."""
    name = _required(name, "o nome", "name", 100)
    html = clean_html(html)
    if not html:
        raise InvalidInput("Informe o texto.", "html")
    query = select(StandardText).where(StandardText.organization_id == org.id, StandardText.name == name,
                                       StandardText.unit_id == unit.id if unit else StandardText.unit_id.is_(None))
    other = db.session.scalar(query)
    if other is not None and other is not text:
        raise Duplicate(f"Já existe um Texto Padrão “{name}” nesta lista.", "name")
    created = text is None
    if created:
        text = StandardText(organization_id=org.id, unit_id=unit.id if unit else None)
        db.session.add(text)
    text.name, text.html = name, html
    db.session.flush()
    audit.record(org, "standard_text_created" if created else "standard_text_updated", by=by, name=name,
                 scope=_scope(text))
    db.session.flush()
    return text


def delete_standard_text(text, *, by):
    audit.record(_org(text.organization_id), "standard_text_deleted", by=by, name=text.name, scope=_scope(text))
    db.session.delete(text)
    db.session.flush()


# --- Settings: accepted uploads, size limit, brasão --------------------------------------------

def settings_for(org):
    settings = db.session.get(DocumentSettings, org.id)
    if settings is None:
        settings = DocumentSettings(organization_id=org.id)
        db.session.add(settings)
        db.session.flush()
    return settings


def update_settings(org, *, by, accepted_types, max_upload_mb):
    settings = settings_for(org)
    kinds = [k for k in DOCUMENT_KINDS if k in set(accepted_types or ())]
    if not kinds:
        raise InvalidInput("Escolha ao menos um tipo de arquivo aceito.", "accepted_types")
    if not isinstance(max_upload_mb, int) or not 1 <= max_upload_mb <= MAX_UPLOAD_MB:
        raise InvalidInput(f"O tamanho máximo deve ficar entre 1 e {MAX_UPLOAD_MB} MB.", "max_upload_mb")
    changed = []
    if settings.accepted_types != ",".join(kinds):
        settings.accepted_types, _ = ",".join(kinds), changed.append("tipos aceitos")
    if settings.max_upload_mb != max_upload_mb:
        settings.max_upload_mb, _ = max_upload_mb, changed.append("tamanho máximo")
    if changed:
        audit.record(org, "document_settings_updated", by=by, fields=", ".join(changed))
    db.session.flush()
    return changed


def set_brasao(org, stream, filename, *, by):
    """Store the órgão's brasão (PNG or SVG, checked by content; an SVG must draw safely with svglib),
    replacing the one before: the screen and the PDF show the same file."""
    from app.services import storage
    from app.services.uploads import inspect_upload
    found = inspect_upload(stream, filename, accepted=("png", "svg"), max_bytes=BRASAO_MAX_BYTES)
    if found.kind == "png":
        _check_png_dimensions(stream, found.filename)
    else:
        _check_svg_drawing(stream, found.filename)
    blob = storage.store(stream, found.media_type, max_size=BRASAO_MAX_BYTES)
    settings = settings_for(org)
    settings.brasao_png_sha256 = blob.sha256 if found.kind == "png" else None
    settings.brasao_svg_sha256 = blob.sha256 if found.kind == "svg" else None
    audit.record(org, "brasao_uploaded", by=by, image_format=found.label)
    db.session.flush()
    return settings


def _check_png_dimensions(stream, filename):
    from PIL import Image
    with Image.open(stream) as image:
        width, height = image.size
    stream.seek(0)
    if width > 2000 or height > 2000 or width < 16 or height < 16:
        raise InvalidInput(f"O brasão “{filename}” tem {width}×{height} pixels; use entre 16 e 2000 pixels de lado.")


def _check_svg_drawing(stream, filename):
    from app.services.svg_drawing import check_brasao_svg
    stream.seek(0)
    check_brasao_svg(stream.read(BRASAO_MAX_BYTES + 1), filename)
    stream.seek(0)


def remove_brasao(org, *, by):
    settings = settings_for(org)
    settings.brasao_png_sha256 = settings.brasao_svg_sha256 = None
    audit.record(org, "brasao_removed", by=by)
    db.session.flush()
