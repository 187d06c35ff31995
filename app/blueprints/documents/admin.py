"""Órgão administration of documents: Tipos de Documento (numbering, title, Modelo) and the letterhead/uploads."""
from flask import request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from app.blueprints.documents import admin_bp
from app.blueprints.documents.forms import BrasaoForm, DocumentTypeForm, EmptyForm, SettingsForm
from app.extensions import db
from app.models import DocumentType
from app.models.document import APPLIES_TO, NUMBERING_LABELS
from app.services import access, doc_types
from app.services.errors import InvalidInput
from app.web import get_or_404, guard, render, submit

TYPE_FIELDS = ("name", "applies_to", "numbering", "title_template", "model_html", "min_signature_level",
               "suggested_level", "active")


@admin_bp.before_request
@login_required
def require_admin():
    guard(access.require_org_admin, current_user)


@admin_bp.get("/tipos-de-documento")
def types():
    """Tipos de Documento do órgão."""
    rows = db.session.scalars(select(DocumentType).where(DocumentType.organization_id == current_user.organization_id)
                              .order_by(DocumentType.name)).all()
    return render("documents/admin_types.html", types=rows, applies=APPLIES_TO, numbering=NUMBERING_LABELS)


@admin_bp.route("/tipos-de-documento/novo", methods=["GET", "POST"])
@admin_bp.route("/tipos-de-documento/<int:type_id>", methods=["GET", "POST"])
def type_form(type_id=None):
    """Novo tipo / alterar tipo: numeração, expressão do título, Modelo com variáveis."""
    doc_type = guard(access.require_same_org, current_user, get_or_404(DocumentType, type_id)) if type_id else None
    form = DocumentTypeForm(obj=doc_type)

    def action():
        values = {k: form[k].data for k in TYPE_FIELDS}
        if doc_type is None:
            doc_types.create_document_type(current_user.organization, by=current_user, **values)
        else:
            doc_types.update_document_type(doc_type, by=current_user, **values)
    return submit(form, action, template="documents/admin_type_form.html",
                  success_url=url_for("documents_admin.types"), message="Tipo de Documento salvo.", doc_type=doc_type)


@admin_bp.route("/documentos", methods=["GET", "POST"])
def settings():
    """Timbre (brasão) e arquivos aceitos nos documentos externos."""
    org = current_user.organization
    current = doc_types.settings_for(org)
    form = SettingsForm(obj=current)
    if request.method == "GET":
        form.accepted_types.data = list(current.accepted)
    return submit(form, lambda: doc_types.update_settings(org, by=current_user, accepted_types=form.accepted_types.data,
                                                          max_upload_mb=form.max_upload_mb.data),
                  template="documents/admin_settings.html", success_url=url_for("documents_admin.settings"),
                  message="Configuração salva.", settings=current, brasao_form=BrasaoForm(), remove_form=EmptyForm())


@admin_bp.post("/documentos/brasao")
def upload_brasao():
    """Enviar o brasão (PNG para o PDF e a tela; SVG para a tela)."""
    org = current_user.organization
    form = BrasaoForm()

    def action():
        upload = form.brasao.data
        if upload is None or not upload.filename:
            raise InvalidInput("Escolha o arquivo do brasão.", "brasao")
        doc_types.set_brasao(org, upload.stream, upload.filename, by=current_user)
    current = doc_types.settings_for(org)
    return submit(form, action, template="documents/admin_settings.html", success_url=url_for("documents_admin.settings"),
                  message="Brasão salvo.", form_key="brasao_form", form=SettingsForm(obj=current), settings=current,
                  remove_form=EmptyForm())


@admin_bp.post("/documentos/brasao/remover")
def remove_brasao():
    org = current_user.organization
    current = doc_types.settings_for(org)
    return submit(EmptyForm(), lambda: doc_types.remove_brasao(org, by=current_user), template="documents/admin_settings.html",
                  success_url=url_for("documents_admin.settings"), message="Brasão removido.", form_key="remove_form",
                  form=SettingsForm(obj=current), settings=current, brasao_form=BrasaoForm())
