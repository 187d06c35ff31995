from flask import flash, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from app.blueprints.auth import bp
from app.blueprints.auth.forms import ChangePasswordForm, ForgotPasswordForm, LoginForm, ResetPasswordForm
from app.extensions import db
from app.services import auth, mail, password_reset, users
from app.services.errors import DomainError
from app.web import render, safe_next, see_other, submit


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Entrar: the failed-attempt counter is committed even when the login is refused."""
    if current_user.is_authenticated:
        return see_other(url_for("main.home"))
    form = LoginForm(next=safe_next(request.args.get("next")))
    if form.validate_on_submit():
        try:
            user = auth.authenticate(form.login.data, form.password.data, ip=request.remote_addr)
        except DomainError as error:
            db.session.commit()
            form.form_errors.append(error.message)
        else:
            session.clear()
            login_user(user)
            session["unit_id"] = user.last_unit_id
            db.session.commit()
            return see_other(safe_next(form.next.data) or url_for("main.home"))
    return render("auth/login.html", form=form, status=422 if request.method == "POST" else 200)


@bp.post("/logout")
def logout():
    """Sair: the session token rotates, so a copy of the cookie taken before no longer works."""
    if current_user.is_authenticated:
        auth.end_sessions(current_user)
        db.session.commit()
    logout_user()
    session.clear()
    flash("Você saiu do sistema.", "info")
    return see_other(url_for("auth.login"))


@bp.route("/senha", methods=["GET", "POST"])
@login_required
def change_password():
    """Alterar senha: other sessions of this user end because the session token rotates."""
    form = ChangePasswordForm()

    def action():
        users.change_password(current_user, current=form.current.data, new=form.new.data, confirm=form.confirm.data)
        login_user(current_user)
    return submit(form, action, template="auth/password.html", success_url=url_for("main.home"),
                  message="Senha alterada.")


@bp.route("/senha/esqueci", methods=["GET", "POST"])
def forgot_password():
    """Esqueci minha senha: the same answer whether or not the account exists."""
    form = ForgotPasswordForm()
    return submit(form, lambda: password_reset.request_reset(form.identifier.data, ip=request.remote_addr),
                  template="auth/forgot.html", success_url=url_for("auth.login"), message=password_reset.SENT,
                  mail_enabled=mail.enabled())


@bp.route("/senha/redefinir/<token>", methods=["GET", "POST"])
def reset_password(token):
    """Nova senha through the e-mailed link; an expired or used link says so and changes nothing."""
    try:
        person = password_reset.user_for_token(token)
    except DomainError as error:
        response = render("auth/reset.html", problem=error.message, status=410)
    else:
        form = ResetPasswordForm()
        response = submit(form, lambda: password_reset.reset_password(token, new=form.new.data,
                                                                      confirm=form.confirm.data),
                          template="auth/reset.html", success_url=url_for("auth.login"),
                          message="Senha redefinida. Entre com a nova senha.", person=person)
    response.headers["Referrer-Policy"] = "no-referrer"  # the token must not leak to other pages
    return response
