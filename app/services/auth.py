"""Checking passwords with rate limits shared by all workers via the DB.

Wrong passwords count per (login, IP) pair, per IP, and per login across every IP. A login is refused
when its pair reached LOGIN_MAX_FAILURES_PER_LOGIN, its IP LOGIN_MAX_FAILURES_PER_IP, or the login
LOGIN_MAX_FAILURES_PER_LOGIN_GLOBAL (a higher ceiling that bounds guessing spread over many IPs without
letting a few guesses from elsewhere lock the owner out). Signing, by someone already logged in, is
limited by the pair only, plus a ceiling that only signed-in wrong passwords feed."""
import hashlib
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, select

from app.extensions import db
from app.models import LoginFailure
from app.models.base import utcnow
from app.models.user import new_session_token
from app.services.errors import InvalidInput, RateLimited
from app.services.passwords import hash_password, needs_rehash, verify_password
from app.services.users import find_user

BAD_CREDENTIALS = "Usuário ou senha incorretos."
TOO_MANY = "Muitas tentativas sem sucesso."
SIGNING_SCOPE = "signing:"  # wrong passwords typed by a signed-in user; nobody else can feed this counter
_DUMMY_HASH = None


def _window_start():
    return utcnow() - timedelta(seconds=current_app.config["LOGIN_FAILURE_WINDOW_SECONDS"])


def _part(value):
    """A key part of bounded length: the key column holds 120 characters (odd proxy addresses are hashed)."""
    value = str(value)
    return value if len(value) <= 50 else hashlib.sha256(value.encode()).hexdigest()[:32]


def _keys(login, ip, scope):
    """Counter keys: "login:<login>" (every IP), and with an IP "ip:<ip>" and "pair:<login>|<ip>"."""
    login = _part(login)
    keys = {"login": f"{scope}login:{login}"}
    if ip:
        ip = _part(ip)
        keys.update(ip=f"{scope}ip:{ip}", pair=f"{scope}pair:{login}|{ip}")
    return keys


def _enforce(limits, message):
    """Raise RateLimited when any (key, limit) reached its limit within the window (one query)."""
    counts = dict(db.session.execute(
        select(LoginFailure.key, func.count()).where(LoginFailure.key.in_([key for key, _ in limits]),
                                                     LoginFailure.at >= _window_start())
        .group_by(LoginFailure.key)).all())
    if any(counts.get(key, 0) >= limit for key, limit in limits):
        minutes = current_app.config["LOGIN_FAILURE_WINDOW_SECONDS"] // 60
        raise RateLimited(f"{message} Aguarde {minutes} minutos e tente de novo.")


def check_rate(login, ip, *, scope="", message=TOO_MANY):
    """Raise RateLimited when this login from this IP, this IP, or this login from all IPs reached its limit.

    Without an IP the login's own counter takes the per-login limit; `scope` keeps other counters apart."""
    cfg = current_app.config
    keys = _keys(login, ip, scope)
    if not ip:
        return _enforce([(keys["login"], cfg["LOGIN_MAX_FAILURES_PER_LOGIN"])], message)
    _enforce([(keys["pair"], cfg["LOGIN_MAX_FAILURES_PER_LOGIN"]),
              (keys["ip"], cfg["LOGIN_MAX_FAILURES_PER_IP"]),
              (keys["login"], cfg["LOGIN_MAX_FAILURES_PER_LOGIN_GLOBAL"])], message)


def record_failure(login, ip, *, scope=""):
    """Count a wrong password (at login or when signing) or, with a scope, another attempt; pruning keeps
    the table small."""
    _record(_keys(login, ip, scope).values())


def _record(keys):
    db.session.execute(delete(LoginFailure).where(LoginFailure.at < _window_start()))
    db.session.add_all([LoginFailure(key=key) for key in keys])
    db.session.flush()


def clear_failures(login, ip=None):
    """Forget wrong passwords once the person proved who they are: from `ip`, only that pair (the count
    across IPs stays, so a success does not renew a distributed guesser's budget); without `ip` (the
    mailbox proved it), every counter of the login."""
    keys = _keys(login, ip, "")
    if ip:
        db.session.execute(delete(LoginFailure).where(LoginFailure.key == keys["pair"]))
        return
    pairs = f"pair:{_part(login)}|"
    signing = _keys(login, None, SIGNING_SCOPE)["login"]
    db.session.execute(delete(LoginFailure).where(
        LoginFailure.key.in_([keys["login"], signing]) | LoginFailure.key.startswith(pairs, autoescape=True)))


def check_password(user, password, *, ip):
    """Verify a signed-in user's re-typed password (signing). Limited by this login from this IP only, so
    guesses from elsewhere cannot stop the user signing; a stolen session guessing from many IPs still
    meets the global ceiling of the signing counter. Wrong ones count everywhere, as at login."""
    cfg = current_app.config
    keys = _keys(user.login, ip, "")
    signing = _keys(user.login, None, SIGNING_SCOPE)["login"]
    _enforce([(keys.get("pair", keys["login"]), cfg["LOGIN_MAX_FAILURES_PER_LOGIN"]),
              (signing, cfg["LOGIN_MAX_FAILURES_PER_LOGIN_GLOBAL"])], TOO_MANY)
    if not verify_password(user.password_hash, password or ""):
        _record([*keys.values(), signing])
        raise InvalidInput("Senha incorreta.", "password")


def authenticate(login, password, *, ip):
    """Return the active user with this login and password, or raise a Portuguese error."""
    login = (login or "").strip().lower()
    if not login or not password:
        raise InvalidInput("Informe o usuário e a senha.")
    check_rate(login, ip)
    user = find_user(login)
    if user is None or not user.active:
        _spend_time(password)
        record_failure(login, ip)
        raise InvalidInput(BAD_CREDENTIALS)
    if not verify_password(user.password_hash, password):
        record_failure(login, ip)
        raise InvalidInput(BAD_CREDENTIALS)
    clear_failures(login, ip)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    db.session.flush()
    return user


def end_sessions(user):
    """Sair: rotate the session token, so no copy of this user's session cookie opens a session any more
    (other devices included, as with Alterar senha). Like login, not audited."""
    user.session_token = new_session_token()
    db.session.flush()


def _spend_time(password):
    """Hash anyway for unknown logins, so timing does not reveal which logins exist."""
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = hash_password("dummy-password-1")
    verify_password(_DUMMY_HASH, password)
