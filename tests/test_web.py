"""The page-or-fragment helper, security headers, error pages."""
import pytest

from app.web import render


def _render(app, headers):
    with app.test_request_context("/", headers=headers):
        return render("admin/users.html", block="results", people=[], q="")


def test_full_page_for_plain_request(app, db):
    response = _render(app, {})
    assert "<html" in response.get_data(as_text=True)
    assert "HX-Request" in response.headers["Vary"]


def test_fragment_for_htmx_request(app, db):
    body = _render(app, {"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in body and "<table>" in body


@pytest.mark.parametrize("extra", [{"HX-Boosted": "true"}, {"HX-History-Restore-Request": "true"}])
def test_full_page_for_boosted_and_history_restore(app, db, extra):
    response = _render(app, {"HX-Request": "true", **extra})
    assert "<html" in response.get_data(as_text=True)
    assert "HX-Request" in response.headers["Vary"]


def test_security_headers_on_html(client, world, login):
    for url in ("/login", "/does-not-exist"):
        response = client.get(url)
        csp = response.headers["Content-Security-Policy"]
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and "script-src 'self'" in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"


def test_error_pages_in_portuguese(client, world, login):
    assert "Página não encontrada" in client.get("/nada").get_data(as_text=True)
    login("ana")
    assert "Acesso negado" in client.get("/admin/").get_data(as_text=True)


def test_static_is_fingerprinted_and_cached_for_a_year(client):
    html = client.get("/login").get_data(as_text=True)
    import re
    css = re.search(r'href="(/static/app\.css\?v=[0-9a-f]{12})"', html).group(1)
    response = client.get(css)
    assert response.status_code == 200
    assert "max-age=31536000" in response.headers["Cache-Control"]
    assert re.search(r'src="/static/vendor/htmx-2\.0\.8\.min\.js\?v=[0-9a-f]{12}"', html)


def test_no_inline_script_or_style_in_pages(client, world, login):
    login("admin")
    for url in ("/", "/admin/", "/admin/unidades", "/admin/usuarios", "/admin/cargos"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>" not in html and " style=" not in html and " onclick=" not in html
