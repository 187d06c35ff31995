from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional

from app.forms import Form
from app.models import ACCESS_LABELS
from app.services.search_terms import MAX_QUERY_CHARS

ORDERS = [("relevancia", "Relevância"), ("data", "Mais recentes")]


class SearchForm(Form):
    """The GET form of Pesquisar (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    q = StringField("Pesquisar por", validators=[Optional(), Length(
        max=MAX_QUERY_CHARS, message=f"A pesquisa pode ter no máximo {MAX_QUERY_CHARS} caracteres.")])
    process_type_id = SelectField("Tipo de processo", coerce=int, default=0, validators=[Optional()])
    document_type_id = SelectField("Tipo de documento", coerce=int, default=0, validators=[Optional()])
    unit_id = SelectField("Unidade geradora", coerce=int, default=0, validators=[Optional()])
    date_from = DateField("De", validators=[Optional()])
    date_to = DateField("Até", validators=[Optional()])
    interested = StringField("Interessado", validators=[Optional(), Length(max=200)])
    access_level = SelectField("Nível de acesso", default="",
                               choices=[("", "Todos")] + [(k, v) for k, v in ACCESS_LABELS.items() if k != "sigiloso"])
    order = SelectField("Ordenar por", choices=ORDERS, default="relevancia")
    page = IntegerField("Página", default=1, validators=[Optional(), NumberRange(min=1, max=10_000)])
