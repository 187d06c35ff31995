"""Page-size budgets: full page (HTML + CSS) ≤ 14 KB compressed; htmx fragments ≤ 2 KB."""
import gzip
import re

PAGE_BUDGET = 14 * 1024
FRAGMENT_BUDGET = 2 * 1024


def gz(data):
    return len(gzip.compress(data, 9))


def page_weight(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.get_data()
    css_urls = re.findall(rb'<link rel="stylesheet" href="([^"]+)"', html)
    css = b"".join(client.get(u.decode()).get_data() for u in css_urls)
    return gz(html) + gz(css)


def test_login_and_home_within_budget(client, world, login):
    assert page_weight(client, "/login") <= PAGE_BUDGET
    login("admin")
    for url in ("/", "/admin/", "/admin/unidades", "/admin/usuarios", "/admin/cargos", "/admin/auditoria",
                "/admin/contatos", "/senha"):
        assert page_weight(client, url) <= PAGE_BUDGET, url


def test_password_reset_pages_within_budget(app, client, world, monkeypatch):
    from app.services.password_reset import make_token
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")  # the request form shows only when e-mail works
    for url in ("/senha/esqueci", f"/senha/redefinir/{make_token(world.ana)}"):
        assert page_weight(client, url) <= PAGE_BUDGET, url


def test_fragment_within_budget(client, world, login):
    login("admin")
    response = client.get("/admin/usuarios?q=a", headers={"HX-Request": "true"})
    assert gz(response.get_data()) <= FRAGMENT_BUDGET


def test_responses_are_compressed(client, world):
    response = client.get("/login", headers={"Accept-Encoding": "br, gzip"})
    assert response.headers.get("Content-Encoding") == "br"
