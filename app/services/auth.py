"""Checking passwords with a rate limit per login and per IP (shared by all workers via the DB)."""
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, select

from app.extensions import db
from app.models import LoginFailure
from app.models.base import utcnow
from app.services.errors import InvalidInput, RateLimited
from app.services.passwords import hash_password, needs_rehash, verify_password
from app.services.users import find_user

BAD_CREDENTIALS = "Usuário ou senha incorretos."
_DUMMY_HASH = None


def _window_start():
    return utcnow() - timedelta(seconds=current_app.config["LOGIN_FAILURE_WINDOW_SECONDS"])


def _failures(key):
    return db.session.scalar(select(func.count()).select_from(LoginFailure).where(
        LoginFailure.key == key, LoginFailure.at >= _window_start()))


def check_rate(login, ip, *, scope="", message="Muitas tentativas sem sucesso."):
    """Raise RateLimited when this login or IP reached its limit; `scope` keeps other counters apart."""
    cfg = current_app.config
    minutes = cfg["LOGIN_FAILURE_WINDOW_SECONDS"] // 60
    if _failures(f"{scope}login:{login}") >= cfg["LOGIN_MAX_FAILURES_PER_LOGIN"] or \
            (ip and _failures(f"{scope}ip:{ip}") >= cfg["LOGIN_MAX_FAILURES_PER_IP"]):
        raise RateLimited(f"{message} Aguarde {minutes} minutos e tente de novo.")


def record_failure(login, ip, *, scope=""):
    """Count a wrong password (at login or when signing) or, with a scope, another attempt; pruning keeps
    the table small."""
    db.session.execute(delete(LoginFailure).where(LoginFailure.at < _window_start()))
    db.session.add(LoginFailure(key=f"{scope}login:{login}"))
    if ip:
        db.session.add(LoginFailure(key=f"{scope}ip:{ip}"))
    db.session.flush()


def clear_failures(login):
    """Forget a login's wrong passwords (after it proved who it is)."""
    db.session.execute(delete(LoginFailure).where(LoginFailure.key == f"login:{login}"))


def check_password(user, password, *, ip):
    """Verify a user's password for a sensitive action; wrong ones count toward the rate limit."""
    check_rate(user.login, ip)
    if not verify_password(user.password_hash, password or ""):
        record_failure(user.login, ip)
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
    clear_failures(login)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    db.session.flush()
    return user


def _spend_time(password):
    """Hash anyway for unknown logins, so timing does not reveal which logins exist."""
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = hash_password("dummy-password-1")
    verify_password(_DUMMY_HASH, password)
