"""Esqueci minha senha: the request form, the e-mailed one-use link, the new password and the limits."""
import re
import time

import pytest

from app.models import AuditEntry, LoginFailure, User
from app.services import password_reset, users
from app.services.errors import InvalidInput, RateLimited
from tests.conftest import PASSWORD, Login, csrf_from, post_form
from tests.routing_support import smtp_server  # noqa: F401  (fixture)

NEW = "Outra-senha-9"


@pytest.fixture
def people(world, db):
    """ana has an e-mail; bia has none."""
    db.session.get(User, world.ana.id).email = "ana@exemplo.gov.br"
    db.session.commit()
    return world


def link_in(message):
    return re.search(r"https?://\S+/senha/redefinir/(\S+)", message.get_content()).group(1)


def ask(client, identifier):
    return post_form(client, "/senha/esqueci", {"identifier": identifier})


def reset(client, token, new=NEW, confirm=None):
    return post_form(client, f"/senha/redefinir/{token}", {"new": new, "confirm": confirm or new}, page_url="/login")


def test_login_page_links_to_the_form(client, smtp_server):
    html = client.get("/login").get_data(as_text=True)
    assert 'href="/senha/esqueci">Esqueci minha senha</a>' in html
    page = client.get("/senha/esqueci").get_data(as_text=True)
    assert '<label for="identifier">Usuário ou e-mail</label>' in page


def test_request_by_login_mails_a_link_after_commit(app, db, people, smtp_server):
    password_reset.request_reset("  ANA ", ip="10.0.0.1")
    assert smtp_server.messages == []
    db.session.commit()
    [message] = smtp_server.messages
    assert message["To"] == "ana@exemplo.gov.br"
    body = message.get_content()
    assert "usuário ana" in body and "1 hora" in body
    assert body.count(app.config["PUBLIC_BASE_URL"] + "/senha/redefinir/") == 1
    assert db.session.query(AuditEntry).filter_by(kind="password_reset_requested").count() == 1


def test_request_by_email_uses_the_organizations_public_address(db, people, smtp_server):
    people.pm.public_base_url = "https://processos.teste.mg.gov.br/"
    password_reset.request_reset("Ana@Exemplo.gov.br", ip=None)
    db.session.commit()
    [message] = smtp_server.messages
    assert "https://processos.teste.mg.gov.br/senha/redefinir/" in message.get_content()


def test_same_answer_whether_or_not_the_account_exists(client, db, people, smtp_server):
    db.session.get(User, people.caio.id).email = "caio@exemplo.gov.br"
    db.session.get(User, people.caio.id).active = False
    db.session.commit()
    answers = []
    for identifier in ("ana", "ninguem", "bia", "caio", "nada@exemplo.gov.br"):
        response = ask(client, identifier)
        assert response.status_code == 303
        answers.append((response.headers["Location"], client.get("/login").get_data(as_text=True)))
    assert all(a == answers[0] for a in answers)
    assert password_reset.SENT in answers[0][1]
    assert [m["To"] for m in smtp_server.messages] == ["ana@exemplo.gov.br"]  # no address / inactive: nothing


def test_blank_identifier_and_mail_disabled(client, app, db, people, smtp_server, monkeypatch):
    response = ask(client, "")
    assert response.status_code == 422 and "Informe o usuário ou o e-mail." in response.get_data(as_text=True)
    monkeypatch.setitem(app.config, "SMTP_HOST", None)
    assert "não está configurado" in client.get("/senha/esqueci").get_data(as_text=True)
    with pytest.raises(InvalidInput, match="não está configurado"):
        password_reset.request_reset("ana", ip=None)


def test_the_link_sets_a_new_password_once(app, client, db, people, smtp_server):
    other = app.test_client()
    Login(other)("ana")
    ask(client, "ana")
    token = link_in(smtp_server.messages[0])
    page = client.get(f"/senha/redefinir/{token}")
    assert page.status_code == 200 and page.headers["Referrer-Policy"] == "no-referrer"
    html = page.get_data(as_text=True)
    assert '<label for="new">Nova senha</label>' in html and '<label for="confirm">Confirmar nova senha</label>' in html
    response = reset(client, token)
    assert response.status_code == 303 and response.headers["Location"].endswith("/login")
    assert "Senha redefinida" in client.get("/login").get_data(as_text=True)
    assert other.get("/").status_code == 302  # the old session ended
    Login(app.test_client())("ana", NEW)
    entry = db.session.query(AuditEntry).filter_by(kind="password_reset_by_email").one()
    assert entry.user_id == people.ana.id and entry.params == {"login": "ana"}
    used = client.get(f"/senha/redefinir/{token}")
    assert used.status_code == 410 and "já foi usado" in used.get_data(as_text=True)
    assert reset(client, token, "Terceira-senha-3").status_code == 410
    Login(app.test_client())("ana", NEW)


def test_the_password_policy_of_alterar_senha_applies(client, db, people):
    token = password_reset.make_token(people.ana)
    cases = [("curta", "curta", "pelo menos 8 caracteres"), ("somenteletras", "somenteletras", "misturar letras"),
             (NEW, "Outra-coisa-1", "A confirmação não confere")]
    for new, confirm, message in cases:
        response = reset(client, token, new, confirm)
        assert response.status_code == 422 and message in response.get_data(as_text=True), message
    db.session.expire_all()
    assert users.verify_password(db.session.get(User, people.ana.id).password_hash, PASSWORD)
    assert db.session.query(AuditEntry).filter_by(kind="password_reset_by_email").count() == 0


def test_expired_tampered_and_stale_links_change_nothing(client, db, people, monkeypatch):
    token = password_reset.make_token(people.ana)
    later = time.time() + 3601
    with monkeypatch.context() as m:
        m.setattr("itsdangerous.timed.time.time", lambda: later)
        response = reset(client, token)
        assert response.status_code == 410 and "expirou" in response.get_data(as_text=True)
    assert reset(client, token[:-2] + ("AA" if not token.endswith("AA") else "BB")).status_code == 410
    assert client.get("/senha/redefinir/nada").status_code == 410
    users.change_password(people.ana, current=PASSWORD, new="Mudou-antes-1", confirm="Mudou-antes-1")
    db.session.commit()
    assert reset(client, token).status_code == 410  # the password changed since the link was made
    db.session.expire_all()
    assert users.verify_password(db.session.get(User, people.ana.id).password_hash, "Mudou-antes-1")


def test_a_deactivated_user_cannot_use_the_link(client, db, people):
    token = password_reset.make_token(people.ana)
    users.update_user(people.ana, by=people.admin, name="Ana Souza", email=None, cpf=None, active=False,
                      is_admin=False)
    db.session.commit()
    assert reset(client, token).status_code == 410


def test_a_link_from_another_secret_or_salt_is_refused(app, db, people, monkeypatch):
    token = password_reset.make_token(people.ana)
    monkeypatch.setitem(app.config, "SECRET_KEY", "outra-chave")
    with pytest.raises(InvalidInput):
        password_reset.user_for_token(token)


def test_requests_are_rate_limited_per_identifier(client, app, db, people, smtp_server):
    limit = app.config["LOGIN_MAX_FAILURES_PER_LOGIN"]
    for _ in range(limit):
        assert ask(client, "ana").status_code == 303
    response = ask(client, "ana")
    assert response.status_code == 422 and "Muitos pedidos de nova senha" in response.get_data(as_text=True)
    assert len(smtp_server.messages) == limit
    login_keys = db.session.query(LoginFailure).filter(LoginFailure.key == "login:ana").count()
    assert login_keys == 0  # asking for a link does not lock the login
    Login(client)("ana")


def test_requests_are_rate_limited_per_ip(client, app, db, people, smtp_server, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES_PER_IP", 3)
    for n in range(3):
        ask(client, f"ninguem{n}")
    with pytest.raises(RateLimited):
        password_reset.request_reset("ana", ip="127.0.0.1")


def test_one_mailbox_is_not_flooded_by_alternating_identifiers(app, db, people, smtp_server):
    limit = app.config["LOGIN_MAX_FAILURES_PER_LOGIN"]
    for n in range(limit + 3):
        password_reset.request_reset("ana" if n % 2 else "ana@exemplo.gov.br", ip=f"10.0.0.{n}")
        db.session.commit()
    assert len(smtp_server.messages) == limit  # beyond it, silently nothing (the answer must not tell)


def test_a_reset_clears_the_login_lockout(client, app, db, people):
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_LOGIN"]):
        post_form(client, "/login", {"login": "ana", "password": "errada"})
    assert reset(client, password_reset.make_token(people.ana)).status_code == 303
    Login(client)("ana", NEW)


def test_forms_need_the_csrf_token(client, people):
    assert client.post("/senha/esqueci", data={"identifier": "ana"}).status_code == 400
    token = password_reset.make_token(people.ana)
    assert client.post(f"/senha/redefinir/{token}", data={"new": NEW, "confirm": NEW}).status_code == 400
    page = client.get(f"/senha/redefinir/{token}").get_data(as_text=True)
    assert csrf_from(page)
