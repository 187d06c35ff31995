from flask import flash, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from app.blueprints.auth import bp
from app.blueprints.auth.forms import ChangePasswordForm, LoginForm
from app.extensions import db
from app.services import users
from app.services.auth import authenticate
from app.services.errors import DomainError
from app.web import render, safe_next, see_other, submit


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Entrar: the failed-attempt counter is committed even when the login is refused."""
    if current_user.is_authenticated:
        return see_other(url_for("main.home"))
    form = LoginForm(next=request.args.get("next"))
    if form.validate_on_submit():
        try:
            user = authenticate(form.login.data, form.password.data, ip=request.remote_addr)
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
