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
