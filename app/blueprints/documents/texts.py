"""Textos Padrão: reusable snippets of the current unit (and, for órgão admins, of the whole órgão)."""
from flask import url_for
from flask_login import current_user

from app.blueprints.documents import bp
from app.blueprints.documents.forms import EmptyForm, StandardTextForm
from app.models import StandardText
from app.services import access, doc_types
from app.services.errors import Forbidden
from app.web import current_unit, get_or_404, guard, render, submit


def _load_text(text_id):
    """A text of the current unit, or an órgão text (changed only by an órgão admin)."""
    text = guard(access.require_same_org, current_user, get_or_404(StandardText, text_id))

    def check():
        if text.unit_id is None and not current_user.is_org_admin:
            raise Forbidden("Só o administrador do órgão altera os Textos Padrão do órgão.")
        if text.unit_id is not None and text.unit_id != current_unit().id:
            raise Forbidden("Este Texto Padrão é de outra unidade.")
    guard(check)
    return text


def _scope_unit(form):
    return None if form.scope.data == "org" and current_user.is_org_admin else current_unit()


@bp.route("/textos-padrao", methods=["GET", "POST"])
def standard_texts():
    """Textos Padrão da unidade atual (e os do órgão); incluir novo."""
    form = StandardTextForm()
    if not current_user.is_org_admin:
        form.scope.choices = form.scope.choices[:1]
    return submit(form, lambda: doc_types.save_standard_text(
        current_user.organization, by=current_user, unit=_scope_unit(form), name=form.name.data, html=form.html.data),
        template="documents/texts.html", success_url=url_for("documents.standard_texts"),
        message="Texto Padrão incluído.", texts=doc_types.standard_texts_for(current_unit()), text=None,
        delete_form=EmptyForm())


@bp.route("/textos-padrao/<int:text_id>", methods=["GET", "POST"])
def standard_text(text_id):
    """Alterar um Texto Padrão."""
    text = _load_text(text_id)
    form = StandardTextForm(obj=text)
    form.scope.choices = [("org", "Do órgão")] if text.unit_id is None else [("unit", "Da unidade atual")]
    return submit(form, lambda: doc_types.save_standard_text(
        current_user.organization, by=current_user, unit=text.unit, name=form.name.data, html=form.html.data, text=text),
        template="documents/texts.html", success_url=url_for("documents.standard_texts"),
        message="Texto Padrão alterado.", texts=doc_types.standard_texts_for(current_unit()), text=text,
        delete_form=EmptyForm())


@bp.post("/textos-padrao/<int:text_id>/excluir")
def delete_standard_text(text_id):
    text = _load_text(text_id)
    return submit(EmptyForm(), lambda: doc_types.delete_standard_text(text, by=current_user),
                  template="documents/texts.html", success_url=url_for("documents.standard_texts"),
                  message="Texto Padrão excluído.", texts=doc_types.standard_texts_for(current_unit()), text=None,
                  form=StandardTextForm(), form_key="delete_form")
