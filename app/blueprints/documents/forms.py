from flask_wtf.file import FileField, MultipleFileField
from wtforms import (BooleanField, DateField, HiddenField, IntegerField, RadioField, SelectField,
                     SelectMultipleField, StringField, TextAreaField)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.forms import EmptyForm, Form  # noqa: F401  (EmptyForm: imported from here by the document routes)
from app.models.document import (APPLIES_TO, CONFERENCE_TYPES, EXTERNAL_FORMATS, NUMBERING_LABELS,
                                 SIGNATURE_LEVELS)
from app.services.inputs import parse_id
from app.services.uploads import DOCUMENT_KINDS, KINDS

REQUIRED = "Campo obrigatório."
LEVELS = [("publico", "Público"), ("restrito", "Restrito"), ("sigiloso", "Sigiloso")]
SOURCES = [("model", "Modelo do tipo de documento"), ("standard_text", "Texto Padrão"),
           ("document", "Documento Modelo (pelo número SEI)")]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class LevelMixin:
    access_level = RadioField("Nível de acesso", choices=LEVELS, default="publico")
    legal_basis_id = SelectField("Hipótese Legal", coerce=int, default=0)


class InternalDocumentForm(LevelMixin, Form):
    type_id = SelectField("Tipo do documento", coerce=int, validators=[DataRequired("Escolha o tipo do documento.")])
    source = RadioField("Texto inicial", choices=SOURCES, default="model")
    standard_text_id = SelectField("Texto Padrão", coerce=int, default=0)
    model_sei = StringField("Número SEI do Documento Modelo", validators=[Length(max=20)])
    number = StringField("Número (para tipos numerados pelo usuário)", validators=[Length(max=40)])
    description = StringField("Descrição", validators=[Length(max=200)])
    recipient = StringField("Destinatário", validators=[Length(max=200)])
    interested = TextAreaField("Interessados (um por linha)", validators=[Length(max=5000)])
    token = HiddenField()


def _choice_id(value):
    """A chosen id; anything else becomes -1, which no list offers (the service answers in Portuguese)."""
    ident = parse_id(value)
    return -1 if ident is None else ident


class EditorForm(Form):
    html = TextAreaField("Texto do documento")
    base_version = HiddenField()
    image_id = SelectField("Inserir imagem", coerce=_choice_id, default=0, validate_choice=False)


class AlterForm(LevelMixin, Form):
    description = StringField("Descrição / nome na árvore", validators=[Length(max=200)])
    interested = TextAreaField("Interessados (um por linha)", validators=[Length(max=5000)])


class CancelForm(Form):
    reason = TextAreaField("Motivo do cancelamento", validators=[DataRequired("Informe o motivo do cancelamento."),
                                                                 Length(max=500)])


class UploadForm(LevelMixin, Form):
    files = MultipleFileField("Arquivos")
    type_id = SelectField("Tipo do documento", coerce=int, validators=[DataRequired("Escolha o tipo do documento.")])
    document_date = DateField("Data do documento", validators=[InputRequired("Informe a data do documento.")])
    number = StringField("Número (opcional)", validators=[Length(max=40)])
    description = StringField("Nome na árvore (vazio: o nome do arquivo)", validators=[Length(max=200)])
    external_format = RadioField("Formato", choices=list(EXTERNAL_FORMATS.items()), default="nato_digital")
    conference = SelectField("Tipo de conferência (digitalizado)",
                             choices=[("", "—")] + list(CONFERENCE_TYPES.items()), default="")
    token = HiddenField()


class DocumentTypeForm(Form):
    name = StringField("Nome", validators=[DataRequired(REQUIRED), Length(max=100)])
    applies_to = SelectField("Aplicável a", choices=list(APPLIES_TO.items()), default="both")
    numbering = SelectField("Numeração", choices=list(NUMBERING_LABELS.items()), default="unit_year")
    title_template = StringField("Expressão do título", default="{tipo} nº {numero}/{ano}/{siglas}",
                                 validators=[DataRequired(REQUIRED), Length(max=200)])
    model_html = TextAreaField("Modelo (texto inicial, em HTML simples)", validators=[Length(max=200_000)])
    min_signature_level = SelectField("Nível mínimo de assinatura", choices=list(SIGNATURE_LEVELS.items()),
                                      default="avancada")
    suggested_level = SelectField("Nível de acesso sugerido", choices=LEVELS, default="publico")
    active = BooleanField("Ativo", default=True)


class SettingsForm(Form):
    accepted_types = MultiCheckboxField("Tipos de arquivo aceitos", choices=[(k, KINDS[k][2]) for k in DOCUMENT_KINDS])
    max_upload_mb = IntegerField("Tamanho máximo por arquivo (MB)", validators=[
        InputRequired(REQUIRED), NumberRange(1, 1024, "Use um valor entre 1 e 1024 MB.")])


class BrasaoForm(Form):
    brasao = FileField("Brasão (PNG ou SVG, até 512 KB)")


class StandardTextForm(Form):
    name = StringField("Nome", validators=[DataRequired(REQUIRED), Length(max=100)])
    html = TextAreaField("Texto (HTML simples)", validators=[DataRequired(REQUIRED), Length(max=200_000)])
    scope = SelectField("Lista", choices=[("unit", "Da unidade atual"), ("org", "Do órgão (todas as unidades)")],
                        default="unit", validators=[Optional()])
