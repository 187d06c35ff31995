"""Contatos (interessados) of the órgão (admin): list and search, correct a name or CPF/CNPJ, merge duplicates."""
from flask import flash, request, url_for
from flask_login import current_user
from wtforms import RadioField, StringField
from wtforms.validators import DataRequired, InputRequired, Length

from app.blueprints.admin import bp
from app.blueprints.admin.routes import _load, _org
from app.forms import Form
from app.models import Contact
from app.services import contacts
from app.services.errors import DomainError
from app.services.inputs import parse_id
from app.web import render, see_other, submit


class ContactForm(Form):
    name = StringField("Nome", validators=[DataRequired("Informe o nome."), Length(max=contacts.NAME_MAX)])
    document = StringField("CPF/CNPJ", validators=[Length(max=30)])


class MergeForm(Form):
    keep = RadioField("Manter", coerce=lambda value: parse_id(value) or -1,  # junk: no choice matches
                      validators=[InputRequired("Escolha o contato que fica.")])


@bp.get("/contatos")
def contacts_list():
    """Contatos do órgão, by name or CPF/CNPJ, a page at a time; htmx swaps only the results."""
    q, page, error = (request.args.get("q") or "").strip(), request.args.get("pagina", 1, type=int), None
    try:
        result = contacts.contact_page(_org(), q, page)
    except DomainError as exc:
        result, error = contacts.contact_page(_org()), exc.message
    return render("admin/contacts.html", block="results", status=422 if error else 200, result=result, q=q,
                  error=error, shown=contacts.shown_document)


@bp.route("/contatos/<int:contact_id>", methods=["GET", "POST"])
def contact_form(contact_id):
    """Alterar contato: correct the name or CPF/CNPJ (every process shows the new name)."""
    contact = _load(Contact, contact_id)
    form = ContactForm(data=dict(name=contact.name, document=contacts.shown_document(contact.document)))
    return submit(form, lambda: contacts.update_contact(contact, by=current_user, name=form.name.data,
                                                        document=form.document.data),
                  template="admin/contacts_edit.html", success_url=url_for("admin.contacts_list"),
                  message="Contato salvo.", contact=contact, usage=contacts.usage(contact),
                  duplicates=contacts.possible_duplicates(contact), shown=contacts.shown_document)


def _kept_first(pair, keep_id):
    return sorted(pair, key=lambda contact: contact.id != keep_id)


@bp.route("/contatos/unir", methods=["GET", "POST"])
def merge_contacts():
    """Unir dois contatos: the chosen one stays, the other's processes and documents move to it."""
    pair = list({c.id: c for c in (_load(Contact, i) for i in request.values.getlist("id")[:3])}.values())
    if len(pair) != 2:
        flash("Marque dois contatos para unir.", "error")
        return see_other(url_for("admin.contacts_list"))
    form = MergeForm()
    form.keep.choices = [(c.id, c.name) for c in pair]
    return submit(form, lambda: contacts.merge_contacts(*_kept_first(pair, form.keep.data), by=current_user),
                  template="admin/contacts_merge.html", success_url=url_for("admin.contacts_list"),
                  message="Contatos unidos.", pair=[(c, contacts.usage(c)) for c in pair],
                  shown=contacts.shown_document)
