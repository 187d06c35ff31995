"""Log in and switch the current unit, with JavaScript on and off."""
import pytest
from playwright.sync_api import expect


def _unit_option_value(page, sigla):
    return page.locator("#unit-select option", has_text=sigla).get_attribute("value")


@pytest.mark.parametrize("fixture", ["page", "page_nojs"])
def test_login_and_switch_unit(request, seeded, login_as, fixture):
    page = request.getfixturevalue(fixture)
    login_as(page, "ana")
    expect(page.locator("header.top")).to_contain_text("Ana Souza")
    select = page.locator("#unit-select")
    gab = _unit_option_value(page, "GAB")
    current = select.input_value()
    target = gab if current != gab else _unit_option_value(page, "SEMAD")
    if fixture == "page_nojs":
        select.select_option(target)
        with page.expect_navigation():  # the POST and its redirect finish before the reload below
            page.get_by_role("button", name="Trocar").click()
    else:
        # htmx posts on change and answers HX-Refresh: the page reloads by itself.
        with page.expect_response(lambda r: r.url.endswith("/unidade") and r.status == 204):
            with page.expect_navigation():
                select.select_option(target)
    page.reload()
    expect(page.locator("#unit-select")).to_have_value(target)
    assert page.console_errors == []


def test_wrong_password_message(page_nojs, seeded):
    page = page_nojs
    page.goto("/login")
    page.get_by_label("Usuário").fill("ana")
    page.get_by_label("Senha").fill("senha-errada")
    page.get_by_role("button", name="Entrar").click()
    expect(page.get_by_role("alert")).to_contain_text("Usuário ou senha incorretos.")


def test_logout(page, seeded, login_as):
    login_as(page, "bruno")
    page.get_by_role("button", name="Sair").click()
    expect(page.get_by_label("Usuário")).to_be_visible()
    assert page.console_errors == []


def test_boosted_navigation_from_the_inbox_swaps_the_whole_page(page, seeded, login_as):
    """A link inside an htmx-targeted container must still load a whole page (one header, no nesting)."""
    login_as(page, "ana")
    link = page.locator("table.inbox a").first
    number = link.inner_text()
    link.click()
    expect(page.locator("h1").first).to_contain_text(number)
    assert page.locator("header.top").count() == 1
    assert page.locator("main header.top, main main").count() == 0
    page.go_back()
    expect(page.locator("table.inbox")).to_be_visible()
    assert page.locator("header.top").count() == 1
    assert page.console_errors == []


@pytest.fixture
def mailbox(live_app, monkeypatch):
    from tests.routing_support import local_smtp
    yield from local_smtp(live_app, monkeypatch)


@pytest.mark.parametrize("fixture, login", [("page", "diego"), ("page_nojs", "elisa")])
def test_forgotten_password_by_email(request, seeded, login_as, mailbox, fixture, login):
    """Esqueci minha senha: the link arrives by e-mail, sets a new password once, and the old one stops working."""
    import re
    page = request.getfixturevalue(fixture)
    page.goto("/login")
    page.get_by_role("link", name="Esqueci minha senha").click()
    page.get_by_label("Usuário ou e-mail").fill(login)
    page.get_by_role("button", name=re.compile("Enviar")).click()
    expect(page.get_by_role("status")).to_contain_text("Se houver um usuário ativo")
    [message] = [m for m in mailbox.messages if m["To"] == f"{login}@exemplo.mg.gov.br"]
    path = re.search(r"https?://[^/\s]+(/senha/redefinir/\S+)", message.get_content()).group(1)
    page.goto(path)
    new_password = "Nova-senha-do-teste-9"
    page.get_by_label("Nova senha", exact=True).fill(new_password)
    page.get_by_label("Confirmar nova senha").fill(new_password)
    page.get_by_role("button", name=re.compile("senha", re.I)).click()
    expect(page.get_by_role("status")).to_contain_text("senha")
    page.goto(path)                                                        # used once: no longer valid
    expect(page.locator("main")).to_contain_text("não vale mais")
    login_as(page, login, new_password)
    expect(page.locator("header.top")).to_contain_text("Sair")
    assert [e for e in page.console_errors if "410" not in e] == []   # the used link answers 410 on purpose
