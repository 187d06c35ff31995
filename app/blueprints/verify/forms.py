from flask_wtf.file import FileField
from wtforms import HiddenField, StringField
from wtforms.validators import Length

from app.forms import Form


class CodeForm(Form):
    """Conferir autenticidade (GET: the QR code fills it; no CSRF token needed for a lookup)."""
    class Meta:
        csrf = False

    codigo = StringField("Código verificador", validators=[Length(max=30)])
    crc = StringField("Código CRC", validators=[Length(max=30)])
    desafio = HiddenField()
    resposta = StringField("Resposta", validators=[Length(max=10)])


class FileForm(Form):
    arquivo = FileField("Arquivo PDF")
