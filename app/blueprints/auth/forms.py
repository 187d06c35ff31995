from app.forms import Form
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length


class LoginForm(Form):
    login = StringField("Usuário", validators=[DataRequired("Informe o usuário."), Length(max=60)])
    password = PasswordField("Senha", validators=[DataRequired("Informe a senha."), Length(max=200)])
    next = HiddenField()


class ChangePasswordForm(Form):
    current = PasswordField("Senha atual", validators=[DataRequired("Informe a senha atual.")])
    new = PasswordField("Nova senha", validators=[DataRequired("Informe a nova senha."), Length(max=200)])
    confirm = PasswordField("Confirme a nova senha", validators=[DataRequired("Confirme a nova senha.")])


class ForgotPasswordForm(Form):
    identifier = StringField("Usuário ou e-mail", validators=[DataRequired("Informe o usuário ou o e-mail."),
                                                             Length(max=200)], render_kw={"autocomplete": "username"})


class ResetPasswordForm(Form):
    new = PasswordField("Nova senha", validators=[DataRequired("Informe a nova senha."), Length(max=200)],
                        render_kw={"autocomplete": "new-password"})
    confirm = PasswordField("Confirmar nova senha", validators=[DataRequired("Confirme a nova senha.")],
                            render_kw={"autocomplete": "new-password"})
