from app.models import LoginFailure, User
from tests.conftest import PASSWORD, csrf_from, post_form


def test_login_page_has_labelled_fields(client):
    html = client.get("/login").get_data(as_text=True)
    assert '<label for="login">Usuário</label>' in html
    assert '<label for="password">Senha</label>' in html


def test_login_ok_goes_home_in_last_unit(client, world, login):
    response = login("ana")
    assert response.headers["Location"].endswith("/")
    html = client.get("/").get_data(as_text=True)
    assert "Controle de Processos" in html and "Ana Souza" in html


def test_login_sets_safe_cookie(client, world):
    response = post_form(client, "/login", {"login": "ana", "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_wrong_password_is_refused_in_portuguese(client, world):
    response = post_form(client, "/login", {"login": "ana", "password": "errada"})
    assert response.status_code == 422
    assert "Usuário ou senha incorretos." in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_unknown_login_and_blank_fields(client, world):
    assert "Usuário ou senha incorretos." in post_form(client, "/login", {"login": "ninguem", "password": "x"}).get_data(as_text=True)
    response = post_form(client, "/login", {"login": "", "password": ""})
    assert response.status_code == 422
    assert "Informe o usuário." in response.get_data(as_text=True)


def test_rate_limit_per_login(client, world, app, db):
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_LOGIN"]):
        post_form(client, "/login", {"login": "ana", "password": "errada"})
    response = post_form(client, "/login", {"login": "ana", "password": PASSWORD})
    assert response.status_code == 422
    assert "Muitas tentativas sem sucesso" in response.get_data(as_text=True)


def test_rate_limit_per_ip(client, world, app, db):
    app.config["LOGIN_MAX_FAILURES_PER_IP"] = 3
    try:
        for n in range(3):
            post_form(client, "/login", {"login": f"ninguem{n}", "password": "x"})
        response = post_form(client, "/login", {"login": "bia", "password": PASSWORD})
        assert "Muitas tentativas sem sucesso" in response.get_data(as_text=True)
    finally:
        app.config["LOGIN_MAX_FAILURES_PER_IP"] = 30


def test_success_clears_login_failures_from_that_address(client, world, login, db):
    post_form(client, "/login", {"login": "ana", "password": "errada"})
    login("ana")
    assert db.session.query(LoginFailure).filter_by(key="pair:ana|127.0.0.1").count() == 0


def test_inactive_user_cannot_log_in(client, world, db):
    db.session.get(User, world.ana.id).active = False
    db.session.commit()
    assert post_form(client, "/login", {"login": "ana", "password": PASSWORD}).status_code == 422


def test_next_parameter_only_accepts_local_paths(client, world):
    page = client.get("/login?next=//evil.example/x")
    token = csrf_from(page.get_data(as_text=True))
    response = client.post("/login", data={"login": "ana", "password": PASSWORD, "next": "//evil.example/x",
                                           "csrf_token": token})
    assert response.headers["Location"] == "/"


def test_logout(client, world, login):
    login("ana")
    response = post_form(client, "/logout", page_url="/")
    assert response.status_code == 303
    assert client.get("/").status_code == 302


def test_change_password_ends_other_sessions(app, client, world, login):
    login("ana")
    other = app.test_client()
    page = other.get("/login")
    other.post("/login", data={"login": "ana", "password": PASSWORD,
                               "csrf_token": csrf_from(page.get_data(as_text=True))})
    assert other.get("/").status_code == 200
    response = post_form(client, "/senha", {"current": PASSWORD, "new": "Nova-senha-2", "confirm": "Nova-senha-2"})
    assert response.status_code == 303
    assert client.get("/").status_code == 200
    assert other.get("/").status_code == 302


def test_change_password_bad_input(client, world, login):
    login("ana")
    cases = [({"current": "errada", "new": "Nova-senha-2", "confirm": "Nova-senha-2"}, "A senha atual não confere."),
             ({"current": PASSWORD, "new": "Nova-senha-2", "confirm": "outra"}, "A confirmação não confere"),
             ({"current": PASSWORD, "new": "curta", "confirm": "curta"}, "pelo menos 8 caracteres")]
    for data, message in cases:
        response = post_form(client, "/senha", data)
        assert response.status_code == 422 and message in response.get_data(as_text=True)


def test_csrf_refused_without_token(client, world, login):
    login("ana")
    response = client.post("/unidade", data={"unit_id": world.gab.id})
    assert response.status_code == 400
    assert "Formulário expirado" in response.get_data(as_text=True)
    response = client.post("/unidade", data={"unit_id": world.gab.id}, headers={"HX-Request": "true"})
    assert response.status_code == 400


def test_csrf_header_accepted_for_htmx(client, world, login):
    login("ana")
    token = csrf_from(client.get("/").get_data(as_text=True))
    response = client.post("/unidade", data={"unit_id": world.gab.id},
                           headers={"HX-Request": "true", "X-CSRFToken": token})
    assert response.status_code == 204 and response.headers["HX-Refresh"] == "true"


def test_switch_unit_plain_form(client, world, login):
    login("ana")
    response = post_form(client, "/unidade", {"unit_id": world.gab.id, "next": "/"}, page_url="/")
    assert response.status_code == 303
    assert "<strong>GAB</strong>" in client.get("/").get_data(as_text=True)


def test_switch_to_unit_not_mine_is_forbidden(client, world, login):
    login("bia")
    response = post_form(client, "/unidade", {"unit_id": world.semad.id}, page_url="/")
    assert response.status_code == 403


def test_expired_session_htmx_gets_hx_redirect(client, world):
    response = client.get("/", headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/login")
