"""Start a process and find it in the Controle de Processos, with JavaScript on and off."""
import re

import pytest
from playwright.sync_api import expect

NUMBER_RE = re.compile(r"\d{5}\.\d{6}/\d{4}-\d{2}")


@pytest.mark.parametrize("fixture", ["page", "page_nojs"])
def test_start_a_process_and_find_it_in_the_inbox(request, seeded, login_as, fixture):
    page = request.getfixturevalue(fixture)
    javascript = fixture == "page"
    specification = f"Compra de cadeiras para o auditório ({'com' if javascript else 'sem'} JavaScript)"
    login_as(page, "ana")

    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Iniciar Processo").click()
    expect(page.get_by_role("heading", name="Iniciar Processo")).to_be_visible()
    page.get_by_label("Tipo do processo").fill("Licitação: Dispensa")
    page.get_by_label("Especificação").fill(specification)
    page.get_by_label("Interessados").fill("Móveis Exemplo Ltda - 11.444.777/0001-61")
    page.get_by_role("button", name="Gerar processo").click()

    expect(page.get_by_role("status").filter(has_text="gerado")).to_be_visible()
    number = NUMBER_RE.search(page.locator("#nup").inner_text()).group(0)
    expect(page.locator("dl.facts")).to_contain_text(specification)
    copy = page.get_by_role("button", name="Copiar número")
    if javascript:
        expect(copy).to_be_visible()
    else:
        expect(copy).to_be_hidden()

    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Controle de Processos").click()
    row = page.locator("table.inbox tr", has_text=number)
    expect(row).to_contain_text("Licitação: Dispensa")
    expect(row).to_contain_text("ana")

    # Filter "Atribuídos a mim": htmx swaps the list (and the address); without JS the form reloads the page.
    page.get_by_label("Atribuídos a mim").check()
    if not javascript:
        page.get_by_role("button", name="Filtrar").click()
    expect(page).to_have_url(re.compile(r"meus=y"))
    expect(page.locator("table.inbox tr", has_text=number)).to_be_visible()

    # Open it from the inbox and give it a note: the unit's tools work in place.
    page.get_by_role("link", name=number).click()
    page.get_by_label("Anotação").fill("Conferir o orçamento")
    page.get_by_role("button", name="Salvar anotação").click()
    expect(page.get_by_role("status").filter(has_text="Anotação salva")).to_be_visible()
    expect(page.get_by_label("Anotação")).to_have_value("Conferir o orçamento")
    assert page.console_errors == []


def test_doubled_click_creates_one_process(page_nojs, seeded, login_as):
    """Without JavaScript a double click posts the form twice: the one-time token lets only one through."""
    page = page_nojs
    login_as(page, "bruno")
    page.goto("/processos/novo")
    specification = "Férias de dezembro (clique duplo)"
    page.get_by_label("Tipo do processo").fill("Pessoal: Férias")
    page.get_by_label("Especificação").fill(specification)
    page.get_by_role("button", name="Gerar processo").dblclick()
    # The browser shows the answer to the last post: the new process, or "already sent" for the second one.
    expect(page.get_by_role("status").filter(has_text="gerado").or_(
        page.get_by_role("alert").filter(has_text="Este formulário já foi enviado"))).to_be_visible()
    page.goto("/")
    expect(page.locator("table.inbox tr", has_text=specification)).to_have_count(1)
