"""Security fixes around login: local-only `next`, rate limits per (login, IP), logout ending the session."""
import pytest
from sqlalchemy import func, select

from app.models import LoginFailure, User
from app.services import auth, password_reset
from app.services.errors import InvalidInput, RateLimited
from app.web import safe_next
from tests.conftest import PASSWORD, csrf_from, post_form
from tests.signing_support import docworld, role_id, signworld  # noqa: F401

ATTACKERS = [f"198.51.100.{n}" for n in range(1, 60)]
OWN_IP = "127.0.0.1"  # the test client's address


def _count(db, key):
    return db.session.scalar(select(func.count()).select_from(LoginFailure).where(LoginFailure.key == key))


def _guess(login, ips, db):
    """One wrong password for `login` from each address, committed as the login page does."""
    for ip in ips:
        with pytest.raises(InvalidInput):
            auth.authenticate(login, "errada-123", ip=ip)
        db.session.commit()


# --- safe_next -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("target", [
    "/\t/evil.example", "/\r/x", "/\n/x", "/\r\n/x", "\\evil.example", "/\\evil.example", "/\\/evil.example",
    "//evil.example", "//evil.example/x", "https://evil.example", "http:/evil.example", "javascript:alert(1)",
    "evil.example", "", None, "/ /evil.example", "/x\x00", "/x\x7f", "/x\x0b", " /x",
])
def test_safe_next_refuses_anything_but_a_local_path(target):
    assert safe_next(target) is None


@pytest.mark.parametrize("target", ["/", "/processos/1?x=1", "/%2F%2Fevil.example", "/busca?q=a%20b#fim",
                                    "/x?next=//evil.example", "/documentos/ação"])
def test_safe_next_keeps_local_paths(target):
    assert safe_next(target) == target


def _login_with_next(client, next_value):
    page = client.get("/login")
    return client.post("/login", data={"login": "ana", "password": PASSWORD, "next": next_value,
                                       "csrf_token": csrf_from(page.get_data(as_text=True))})


@pytest.mark.parametrize("target", ["/\t/evil.example", "/\r/x", "/\n/x", "/\\evil.example", "//evil.example",
                                    "https://evil.example/x"])
def test_login_with_an_unsafe_next_goes_home(client, world, target):
    response = _login_with_next(client, target)
    assert response.status_code == 303 and response.headers["Location"] == "/"


def test_login_keeps_a_local_next(client, world):
    assert _login_with_next(client, "/processos/1?x=1").headers["Location"] == "/processos/1?x=1"


def test_login_page_does_not_carry_an_unsafe_next(client, world):
    html = client.get("/login?next=/%09/evil.example").get_data(as_text=True)
    assert "evil.example" not in html
    html = client.get("/login?next=/processos/1").get_data(as_text=True)
    assert 'value="/processos/1"' in html


@pytest.mark.parametrize("target", ["/\t/evil.example", "/\r/x", "//evil.example", "/\\evil.example"])
def test_unit_switch_with_an_unsafe_next_goes_home(client, world, login, target):
    login("ana")
    response = post_form(client, "/unidade", {"unit_id": world.gab.id, "next": target}, page_url="/")
    assert response.status_code == 303 and response.headers["Location"] == "/"


def test_unit_switch_keeps_a_local_next(client, world, login):
    login("ana")
    response = post_form(client, "/unidade", {"unit_id": world.gab.id, "next": "/processos/1?x=1"}, page_url="/")
    assert response.headers["Location"] == "/processos/1?x=1"


# --- rate limits per (login, IP) -------------------------------------------------------------------------

def test_guesses_from_other_addresses_do_not_lock_the_owner_out(app, world, db):
    _guess("ana", ATTACKERS[:app.config["LOGIN_MAX_FAILURES_PER_LOGIN"] + 2], db)
    assert auth.authenticate("ana", PASSWORD, ip=OWN_IP).id == world.ana.id


def test_one_address_is_limited_per_login(app, world, db):
    limit = app.config["LOGIN_MAX_FAILURES_PER_LOGIN"]
    _guess("ana", [ATTACKERS[0]] * limit, db)
    with pytest.raises(RateLimited, match="Muitas tentativas sem sucesso. Aguarde 15 minutos"):
        auth.authenticate("ana", PASSWORD, ip=ATTACKERS[0])
    assert auth.authenticate("bia", PASSWORD, ip=ATTACKERS[0]).id == world.bia.id  # other logins: IP limit only
    assert auth.authenticate("ana", PASSWORD, ip=OWN_IP).id == world.ana.id


def test_guesses_spread_over_many_addresses_meet_the_global_ceiling(app, world, db, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES_PER_LOGIN_GLOBAL", 8)
    _guess("ana", ATTACKERS[:8], db)
    with pytest.raises(RateLimited):
        auth.authenticate("ana", PASSWORD, ip=OWN_IP)
    assert auth.authenticate("bia", PASSWORD, ip=OWN_IP).id == world.bia.id


def test_the_global_ceiling_defaults_above_the_pair_limit(app):
    assert app.config["LOGIN_MAX_FAILURES_PER_LOGIN_GLOBAL"] == 50 > app.config["LOGIN_MAX_FAILURES_PER_LOGIN"]


def test_the_per_ip_limit_still_holds(app, world, db, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES_PER_IP", 3)
    for n in range(3):
        _guess(f"ninguem{n}", [ATTACKERS[0]], db)
    with pytest.raises(RateLimited):
        auth.authenticate("bia", PASSWORD, ip=ATTACKERS[0])


def test_a_success_forgets_only_its_own_pair(app, world, db):
    _guess("ana", [OWN_IP, OWN_IP, ATTACKERS[0]], db)
    auth.authenticate("ana", PASSWORD, ip=OWN_IP)
    db.session.commit()
    assert _count(db, f"pair:ana|{OWN_IP}") == 0
    assert _count(db, f"pair:ana|{ATTACKERS[0]}") == 1
    assert _count(db, "login:ana") == 3  # a success does not renew a distributed guesser's budget


def test_an_odd_long_address_still_fits_the_key(app, world, db):
    odd = "2001:db8::1%" + "x" * 200
    _guess("ana", [odd], db)
    assert all(len(key) <= 120 for key in db.session.scalars(select(LoginFailure.key)))
    assert auth.authenticate("ana", PASSWORD, ip=odd).id == world.ana.id


def test_signing_is_limited_by_the_own_address_only(app, world, db, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES_PER_LOGIN_GLOBAL", 8)
    _guess("ana", ATTACKERS[:8], db)                            # ana can no longer log in anywhere …
    with pytest.raises(RateLimited):
        auth.authenticate("ana", PASSWORD, ip=OWN_IP)
    ana = db.session.get(User, world.ana.id)
    auth.check_password(ana, PASSWORD, ip=OWN_IP)                # … but, logged in, still signs
    limit = app.config["LOGIN_MAX_FAILURES_PER_LOGIN"]
    for _ in range(limit):
        with pytest.raises(InvalidInput, match="Senha incorreta."):
            auth.check_password(ana, "errada-123", ip=OWN_IP)
        db.session.commit()
    with pytest.raises(RateLimited, match="Muitas tentativas sem sucesso"):
        auth.check_password(ana, PASSWORD, ip=OWN_IP)


def test_signing_guesses_from_many_addresses_meet_a_ceiling(app, world, db, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES_PER_LOGIN_GLOBAL", 4)
    ana = db.session.get(User, world.ana.id)
    for ip in ATTACKERS[:4]:                                     # a stolen session, guessing from 4 addresses
        with pytest.raises(InvalidInput):
            auth.check_password(ana, "errada-123", ip=ip)
        db.session.commit()
    with pytest.raises(RateLimited):
        auth.check_password(ana, PASSWORD, ip=ATTACKERS[5])
    assert _count(db, "login:ana") == 4 and _count(db, f"pair:ana|{ATTACKERS[0]}") == 1


def test_a_password_reset_by_mail_forgets_every_counter_of_the_login(app, world, db, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES_PER_LOGIN_GLOBAL", 6)
    _guess("ana", [OWN_IP] + ATTACKERS[:5], db)
    ana = db.session.get(User, world.ana.id)
    with pytest.raises(InvalidInput):
        auth.check_password(ana, "errada-123", ip=OWN_IP)
    _guess("bia", [OWN_IP], db)
    password_reset.reset_password(password_reset.make_token(ana), new="Nova-senha-2", confirm="Nova-senha-2")
    db.session.commit()
    keys = set(db.session.scalars(select(LoginFailure.key)))
    assert not any("ana" in key for key in keys) and "login:bia" in keys
    assert auth.authenticate("ana", "Nova-senha-2", ip=OWN_IP).id == world.ana.id


def test_reset_requests_are_counted_per_identifier_and_address(app, db, monkeypatch):
    limit = app.config["LOGIN_MAX_FAILURES_PER_LOGIN"]
    monkeypatch.setattr(password_reset.mail, "enabled", lambda: True)
    for _ in range(limit):
        password_reset.request_reset("ninguem", ip=ATTACKERS[0])
        db.session.commit()
    with pytest.raises(RateLimited, match="Muitos pedidos de nova senha"):
        password_reset.request_reset("ninguem", ip=ATTACKERS[0])
    password_reset.request_reset("ninguem", ip=OWN_IP)  # the owner still may ask from elsewhere


def _attack_view(app, login, ips):
    attacker = app.test_client()
    for ip in ips:
        response = post_form(attacker, "/login", {"login": login, "password": "errada-123"},
                             environ_base={"REMOTE_ADDR": ip})
        assert response.status_code == 422


def test_login_page_guesses_from_other_addresses_do_not_lock_the_owner_out(app, client, world, login):
    _attack_view(app, "bia", ATTACKERS[:app.config["LOGIN_MAX_FAILURES_PER_LOGIN"] + 1])
    assert login("bia").headers["Location"] == "/"


def test_signing_page_works_while_others_guess_the_password(app, client, signworld, login, db, monkeypatch):
    w = signworld
    login("ana")
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES_PER_LOGIN_GLOBAL", 6)
    _attack_view(app, "ana", ATTACKERS[:6])
    url = f"/processos/{w.oficio.process_id}/documentos/{w.oficio.id}/assinar"
    response = post_form(client, url, {"role_id": role_id(w.semad), "password": PASSWORD,
                                       "version": w.oficio.current_version})
    assert response.status_code == 303, response.get_data(as_text=True)[:500]


# --- logout ends the session ------------------------------------------------------------------------------

def test_end_sessions_rotates_the_token(world, db):
    ana = db.session.get(User, world.ana.id)
    before = ana.get_id()
    auth.end_sessions(ana)
    assert ana.get_id() != before and ana.get_id().startswith(f"{ana.id}:")


def test_a_session_cookie_copied_before_logout_no_longer_works(app, client, world, login):
    login("ana")
    copied = client.get_cookie("session").value
    assert post_form(client, "/logout", page_url="/").status_code == 303
    replay = app.test_client()
    replay.set_cookie("session", copied, domain="localhost")
    response = replay.get("/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_logout_without_a_session_just_goes_to_login(client, world):
    response = post_form(client, "/logout", page_url="/login")
    assert response.status_code == 303 and response.headers["Location"] == "/login"
