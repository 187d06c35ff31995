"""Auditoria do órgão (admin): the audit log with filters, as a plain GET form that htmx may upgrade."""
from flask import request
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional

from app.blueprints.admin import bp
from app.blueprints.admin.routes import _org
from app.forms import Form
from app.services import audit_log
from app.services.audit import describe
from app.services.errors import DomainError
from app.services.inputs import to_id
from app.web import apply_errors, render

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]  # the date input's value, or what is typed where it is a text box


class DayField(DateField):
    """A date typed as dd/mm/aaaa (or picked) comes back in the date input's own format."""

    def __init__(self, label, **kwargs):
        super().__init__(label, format=DATE_FORMATS, validators=[Optional()],
                         invalid_value_message="Data inválida: use dd/mm/aaaa.", **kwargs)

    def _value(self):
        return self.data.isoformat() if self.data else super()._value()


class AuditFilterForm(Form):
    """GET filters (no CSRF: they change nothing)."""

    class Meta:
        csrf = False

    user = StringField("Usuário", validators=[Optional(), Length(max=100)])
    kind = SelectField("Tipo de ação", default="", validators=[Optional()])
    date_from = DayField("De")
    date_to = DayField("Até")
    text = StringField("Texto", validators=[Optional(), Length(max=200)])


def _filters(form):
    return audit_log.AuditFilters(user=form.user.data or "", kind=form.kind.data or "", date_from=form.date_from.data,
                                  date_to=form.date_to.data, text=form.text.data or "")


@bp.get("/auditoria", endpoint="audit_log")
def audit_log_page():
    """Registro das alterações administrativas do órgão, filtrado; "Mais antigos" keeps the filters."""
    form = AuditFilterForm(request.args)
    form.kind.choices = [("", "Todos")] + audit_log.kind_choices()
    page = None
    if form.validate():
        try:
            page = audit_log.audit_page(_org(), _filters(form), before=request.args.get("antes", type=to_id))
        except DomainError as error:
            apply_errors(form, error)
    return render("admin/audit.html", block="results", status=200 if page is not None else 422, form=form, page=page,
                  describe=describe)
