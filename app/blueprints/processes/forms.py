from wtforms import (BooleanField, DateField, HiddenField, IntegerField, RadioField, SelectField, SelectMultipleField,
                     StringField, TextAreaField)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.forms import Form
from app.models import ACCESS_LABELS, MARKER_COLORS
from app.services.inbox import InboxFilters

REQUIRED = "Campo obrigatório."
LEVEL_CHOICES = list(ACCESS_LABELS.items())


class ProcessDataForm(Form):
    """The data of a process: Iniciar Processo and Alterar Processo."""
    type_name = StringField("Tipo do processo", validators=[DataRequired(REQUIRED), Length(max=150)])
    specification = StringField("Especificação", validators=[DataRequired(REQUIRED), Length(max=100)])
    interested = TextAreaField("Interessados", validators=[Length(max=12000)])
    observations = TextAreaField("Observações desta unidade", validators=[Length(max=2000)])
    access_level = RadioField("Nível de acesso", choices=LEVEL_CHOICES, default="publico", validate_choice=False)
    legal_basis_id = SelectField("Hipótese Legal", coerce=int, default=0)


class NewProcessForm(ProcessDataForm):
    token = HiddenField()


class AssignForm(Form):
    assignee = SelectField("Atribuir para", coerce=int)


class NoteForm(Form):
    note = TextAreaField("Anotação", validators=[Length(max=2000)])
    priority = BooleanField("Prioridade")


class DeadlineForm(Form):
    deadline = DateField("Prazo da unidade", validators=[Optional()])


class ApplyMarkerForm(Form):
    marker_id = SelectField("Marcador", coerce=int)
    marker_text = StringField("Texto do marcador", validators=[Length(max=250)])


class WatchForm(Form):
    group_id = SelectField("Grupo", coerce=int, default=0)
    observation = StringField("Observação", validators=[Length(max=500)])


class MarkerForm(Form):
    name = StringField("Nome do marcador", validators=[DataRequired(REQUIRED), Length(max=60)])
    color = SelectField("Cor", choices=list(MARKER_COLORS.items()))
    active = BooleanField("Ativo", default=True)


class WatchGroupForm(Form):
    name = StringField("Novo grupo", validators=[DataRequired(REQUIRED), Length(max=60)])


class BatchForm(Form):
    """Controle de Processos: the selected rows and one action (the button pressed names it)."""
    ids = SelectMultipleField("Processos", coerce=int, validate_choice=False)
    action = StringField()
    volta = HiddenField()
    assignee = SelectField("Atribuir para", coerce=int, default=0)
    marker_id = SelectField("Marcador", coerce=int, default=0)
    marker_text = StringField("Texto do marcador", validators=[Length(max=250)])
    group_id = SelectField("Grupo", coerce=int, default=0)
    observation = StringField("Observação", validators=[Length(max=500)])


class InboxFilterForm(Form):
    """The inbox filters (GET, no CSRF): a bad value is ignored, never an error."""
    class Meta:
        csrf = False

    meus = BooleanField("Atribuídos a mim")
    marcador = SelectField("Marcador", coerce=int, default=0, validate_choice=False)
    tipo = SelectField("Tipo", coerce=int, default=0, validate_choice=False)
    origem = SelectField("Mostrar", choices=[("", "Recebidos e gerados"), ("recebidos", "Só recebidos"),
                                             ("gerados", "Só gerados")], default="", validate_choice=False)
    apos = HiddenField()

    def filters(self):
        def _int(field):
            try:
                return int(field.data or 0) or None
            except (TypeError, ValueError):
                return None
        return InboxFilters(mine=bool(self.meus.data), marker_id=_int(self.marcador), type_id=_int(self.tipo),
                            origin=self.origem.data if self.origem.data in ("recebidos", "gerados") else None,
                            cursor=(self.apos.data or None))


# --- routing (issue 4) -----------------------------------------------------------------------

class VersionForm(Form):
    """A movement button (Concluir, Reabrir, …): carries the process version the page showed."""
    version = HiddenField()


class SendForm(VersionForm):
    """Enviar Processo: destinations found by sigla or name (active search), options, Retorno Programado."""
    q = StringField("Unidade de destino (sigla ou nome)", validators=[Length(max=100)])
    units = SelectMultipleField("Unidades de destino", coerce=int, validate_choice=False)
    keep_open = BooleanField("Manter processo aberto na unidade atual")
    remove_note = BooleanField("Remover anotação")
    notify = BooleanField("Enviar e-mail de notificação às unidades de destino")
    return_date = DateField("Retorno programado para", validators=[Optional()])
    return_days = IntegerField("ou em dias úteis", validators=[Optional(), NumberRange(min=1, max=365)])
    ids = SelectMultipleField("Processos", coerce=int, validate_choice=False)   # batch send
    versions = HiddenField()                                                  # batch: "id:version,…"


class SuspendForm(VersionForm):
    reason = TextAreaField("Motivo do sobrestamento", validators=[DataRequired(REQUIRED), Length(max=500)])
    tied_number = StringField("Vinculado ao processo (opcional)", validators=[Length(max=30)])


class NumberForm(VersionForm):
    """Relacionar / Anexar: the other process by its number."""
    number = StringField("Número do processo", validators=[DataRequired(REQUIRED), Length(max=30)])


class ProgressForm(Form):
    text = TextAreaField("Texto do andamento", validators=[DataRequired(REQUIRED), Length(max=1000)])
    token = HiddenField()   # one-time: a doubled submit writes nothing


class CredentialForm(VersionForm):
    """Conceder Credencial de Acesso: a user, in one of their units (finder by login or name)."""
    q = StringField("Usuário (nome ou login)", validators=[Length(max=100)])
    grantee = RadioField("Conceder a", validate_choice=False)
