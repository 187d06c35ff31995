"""The base form: Flask-WTF (CSRF) with WTForms' built-in Portuguese messages."""
from flask_wtf import FlaskForm


class Form(FlaskForm):
    class Meta:
        locales = ("pt_BR", "pt")


class EmptyForm(Form):
    """Only the CSRF token: for buttons that post an action."""
