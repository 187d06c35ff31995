from flask_wtf.file import FileField, FileRequired

from app.forms import Form
from wtforms import BooleanField, PasswordField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.services.orgs import UFS

REQUIRED = "Campo obrigatório."


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class OrganizationForm(Form):
    name = StringField("Nome do órgão", validators=[DataRequired(REQUIRED), Length(max=200)])
    city = StringField("Cidade", validators=[DataRequired(REQUIRED), Length(max=100)])
    uf = SelectField("UF", choices=[(u, u) for u in UFS])
    protocol_code = StringField("Código de protocolo (5 dígitos; 6 no NIPE)",
                                validators=[DataRequired(REQUIRED), Length(max=6)])
    number_mask = SelectField("Formato do número do processo",
                              choices=[("nup", "NUP — 17 dígitos"), ("nipe", "NIPE — 20 dígitos")])
    nipe_state_code = StringField("Código do estado (NIPE)", validators=[Optional(), Length(max=2)])
    signature_legal_text = TextAreaField("Ato normativo citado nas assinaturas",
                                         validators=[DataRequired(REQUIRED), Length(max=500)])
    public_base_url = StringField("Endereço público (para Conferir autenticidade)", validators=[Length(max=200)])
    allow_cross_org_routing = BooleanField("Permitir envio de processos a outros órgãos desta instalação")


class UnitForm(Form):
    sigla = StringField("Sigla", validators=[DataRequired(REQUIRED), Length(max=30)])
    name = StringField("Nome", validators=[DataRequired(REQUIRED), Length(max=200)])
    parent_id = SelectField("Unidade superior", coerce=int)
    protocol_code = StringField("Código de protocolo próprio (opcional)", validators=[Length(max=6)])
    email = StringField("E-mail", validators=[Length(max=200)])
    active = BooleanField("Ativa", default=True)


class UserForm(Form):
    login = StringField("Usuário (login)", validators=[DataRequired(REQUIRED), Length(max=60)])
    name = StringField("Nome", validators=[DataRequired(REQUIRED), Length(max=200)])
    email = StringField("E-mail", validators=[Length(max=200)])
    cpf = StringField("CPF (opcional)", validators=[Length(max=14)])
    units = MultiCheckboxField("Unidades em que trabalha", coerce=int)
    password = PasswordField("Senha inicial", validators=[Optional(), Length(max=200)])
    is_admin = BooleanField("Administrador do órgão")
    active = BooleanField("Ativo", default=True)


class ResetPasswordForm(Form):
    password = PasswordField("Nova senha", validators=[DataRequired(REQUIRED), Length(max=200)])


class RoleForm(Form):
    title = StringField("Cargo/Função", validators=[DataRequired(REQUIRED), Length(max=120)])
    unit_id = SelectField("Lista", coerce=int)


class CertificateUploadForm(Form):
    file = FileField("Arquivo do certificado A1 (.pfx ou .p12)", validators=[FileRequired("Envie o arquivo.")])
    password = PasswordField("Senha do certificado", validators=[Length(max=200)])


class TsaForm(Form):
    tsa_url = StringField("Endereço da Autoridade de Carimbo do Tempo (opcional)", validators=[Length(max=300)])
