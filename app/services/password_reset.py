"""Esqueci minha senha: a signed link by e-mail that lets an active user choose a new password once.

The token (itsdangerous, SECRET_KEY + salt) carries the user id and a fingerprint of the current
password hash and session token, so it stops working once used or once the password changes, and
after PASSWORD_RESET_MAX_AGE_SECONDS. Requests count on the login rate limiter (per typed login or
e-mail and per IP), and silently per account, so nobody can flood a mailbox; the answer never says
whether the account exists."""
import hashlib
import hmac

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select

from app.extensions import db
from app.models import User
from app.services import audit, mail, users
from app.services.auth import check_rate, clear_failures, record_failure
from app.services.errors import InvalidInput, RateLimited
from app.services.inputs import parse_id

SALT = "expediente.password-reset"
RESET_PATH = "/senha/redefinir/"
REQUEST_SCOPE = "reset:"  # counters of reset requests, apart from the wrong passwords
ACCOUNT_SCOPE = "reset-account:"
MAX_ACCOUNTS = 5  # accounts sharing one e-mail address that one request may mail
SENT = ("Se houver um usuário ativo com esse nome ou e-mail, enviamos ao e-mail cadastrado um link para criar "
        "uma nova senha. Confira a caixa de entrada (e a de spam).")
EXPIRED = "Este link para redefinir a senha expirou. Peça um novo em \"Esqueci minha senha\"."
INVALID = ("Este link para redefinir a senha não vale mais: já foi usado, a senha já foi trocada ou o endereço "
           "está incompleto. Peça um novo em \"Esqueci minha senha\".")
NO_MAIL = ("O envio de e-mail não está configurado nesta instalação. Peça ao administrador do seu órgão "
           "que redefina sua senha.")

audit.AUDIT_TEXTS.update({
    "password_reset_requested": "Link para redefinir a senha do usuário {login} enviado por e-mail",
    "password_reset_by_email": "Senha do usuário {login} redefinida pelo link enviado por e-mail",
})


def _serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _fingerprint(user):
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, f"{user.password_hash}|{user.session_token}".encode(), hashlib.sha256).hexdigest()[:24]


def make_token(user):
    return _serializer().dumps([user.id, _fingerprint(user)])


def user_for_token(token, *, lock=False):
    """The active user the link was made for; InvalidInput when it expired, was tampered with or was used."""
    try:
        user_id, fingerprint = _serializer().loads(
            token or "", max_age=current_app.config["PASSWORD_RESET_MAX_AGE_SECONDS"])
    except SignatureExpired:
        raise InvalidInput(EXPIRED) from None
    except (BadSignature, ValueError, TypeError):
        raise InvalidInput(INVALID) from None
    user = db.session.get(User, user_id, with_for_update=lock, populate_existing=lock) \
        if isinstance(user_id, int) and parse_id(user_id) else None
    if user is None or not user.active or not hmac.compare_digest(_fingerprint(user), str(fingerprint)):
        raise InvalidInput(INVALID)
    return user


def request_reset(identifier, *, ip):
    """Mail the link to the active account(s) with this login or e-mail; the same outcome when none exists."""
    if not mail.enabled():
        raise InvalidInput(NO_MAIL)
    identifier = (identifier or "").strip().lower()
    if not identifier:
        raise InvalidInput("Informe o usuário ou o e-mail.", "identifier")
    typed = hashlib.sha256(identifier.encode()).hexdigest()[:32]  # fits the counter key, whatever was typed
    check_rate(typed, ip, scope=REQUEST_SCOPE, message="Muitos pedidos de nova senha.")
    record_failure(typed, ip, scope=REQUEST_SCOPE)
    for user in _accounts(identifier):
        _send_link(user)


def _accounts(identifier):
    if "@" in identifier:  # logins never hold "@"
        found = db.session.scalars(select(User).where(func.lower(User.email) == identifier)
                                   .order_by(User.id).limit(MAX_ACCOUNTS)).all()
    else:
        found = [u for u in [users.find_user(identifier)] if u is not None]
    return [u for u in found if u.active and u.email]


def _send_link(user):
    """Queue the e-mail (sent after commit) unless this account was mailed too often: then silently nothing."""
    try:
        check_rate(user.id, None, scope=ACCOUNT_SCOPE)
    except RateLimited:
        return
    record_failure(user.id, None, scope=ACCOUNT_SCOPE)
    mail.queue([user.email], *reset_mail(user, make_token(user)))
    audit.record(user.organization, "password_reset_requested", login=user.login)
    db.session.flush()


def _validity():
    seconds = current_app.config["PASSWORD_RESET_MAX_AGE_SECONDS"]
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return "1 hora" if hours == 1 else f"{hours} horas"
    return f"{max(1, seconds // 60)} minutos"


def reset_mail(user, token):
    """(subject, body) of the e-mail with the link; the address comes from configuration, never the request."""
    org = user.organization
    base = (org.public_base_url or current_app.config.get("PUBLIC_BASE_URL") or "").rstrip("/")
    body = "\n".join([
        f"Olá, {user.name}.",
        "",
        f"Recebemos um pedido para criar uma nova senha do usuário {user.login} no Expediente ({org.name}).",
        f"Para escolher a nova senha, abra o endereço abaixo em até {_validity()}:",
        "",
        f"{base}{RESET_PATH}{token}",
        "",
        "O link só pode ser usado uma vez. Se você não fez o pedido, ignore esta mensagem: sua senha continua a mesma.",
        "",
        "Mensagem automática do Expediente; não responda.",
    ])
    return "Expediente: criar uma nova senha", body


def reset_password(token, *, new, confirm):
    """Set the password chosen through the link (same policy as Alterar senha); other sessions end."""
    user = user_for_token(token, lock=True)
    users.set_new_password(user, new=new, confirm=confirm, kind="password_reset_by_email")
    clear_failures(user.login)  # who holds the mailbox may log in at once, even after wrong attempts
    db.session.flush()
    return user
