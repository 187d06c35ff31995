"""The base form: Flask-WTF (CSRF) with WTForms' built-in Portuguese messages and clean text fields."""
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField

from app.services.inputs import clean_text


class Form(FlaskForm):
    class Meta:
        locales = ("pt_BR", "pt")

        def bind_field(self, form, unbound_field, options):
            """Every text field (not passwords) drops NUL and control characters before anything else sees it."""
            cls = unbound_field.field_class
            if issubclass(cls, StringField) and not issubclass(cls, PasswordField):
                options = dict(options, filters=(clean_text, *unbound_field.kwargs.get("filters", ())))
            return super().bind_field(form, unbound_field, options)


class EmptyForm(Form):
    """Only the CSRF token: for buttons that post an action."""
