from wtforms import HiddenField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.forms import Form
from app.models.document import CONFERENCE_TYPES


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class SignForm(Form):
    """Assinar: the password re-typed and the Cargo/Função (choices from the current unit's list)."""
    role_id = SelectField("Cargo/Função", coerce=int, validators=[DataRequired("Escolha o Cargo/Função.")])
    password = PasswordField("Senha", validators=[DataRequired("Digite a sua senha para assinar."), Length(max=200)])
    version = HiddenField()   # the version of the text shown: a stale page signs nothing


class AuthenticateForm(SignForm):
    conference = SelectField("Tipo de conferência", choices=[("", "— escolha —")] + list(CONFERENCE_TYPES.items()),
                             validators=[Optional()])


class BlockForm(Form):
    description = StringField("Descrição", validators=[DataRequired("Informe a descrição do bloco."),
                                                       Length(max=200)])
    token = HiddenField()   # one-time: a doubled "Criar bloco" returns the first block


class AddDocumentForm(Form):
    sei = StringField("Número SEI do documento", validators=[DataRequired("Informe o número SEI."), Length(max=20)])


class AvailabilityForm(Form):
    unit_ids = MultiCheckboxField("Unidades", coerce=int)


class IncludeForm(Form):
    """Incluir em Bloco de Assinatura, from the document: an open block of the unit, or a new one."""
    block_id = SelectField("Bloco de Assinatura", coerce=int, default=0)
    description = StringField("Descrição do novo bloco", validators=[Length(max=200)])
    token = HiddenField()   # one-time: a doubled submit finds the block the first one created
