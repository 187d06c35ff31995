"""Send a process from one unit and receive it in another, with JavaScript on and off: ana (SEMAD) finds
SEFAZ by name, sends with a Retorno Programado; carla (SEFAZ) sees it unread in Recebidos, opens it
(received), and sends it back, which settles the return."""
import re

import pytest
from playwright.sync_api import expect

NUMBER_RE = re.compile(r"\d{5}\.\d{6}/\d{4}-\d{2}")


def use_unit(page, sigla, javascript):
    select = page.locator("#unit-select")
    if select.input_value() != select.locator("option", has_text=sigla).get_attribute("value"):
        select.select_option(label=sigla)
        if not javascript:
            page.get_by_role("button", name="Trocar").click()
        expect(page.locator("#unit-select option[selected]")).to_have_text(sigla)


def start_process(page, specification):
    page.goto("/processos/novo")
    page.get_by_label("Tipo do processo").fill("Administração Geral: Processo Administrativo")
    page.get_by_label("Especificação").fill(specification)
    page.get_by_role("button", name="Gerar processo").click()
    expect(page.get_by_role("status").filter(has_text="gerado")).to_be_visible()
    return NUMBER_RE.search(page.locator("#nup").inner_text()).group(0)


def find_and_pick(page, text, sigla, javascript):
    # The click on "Enviar Processo" may return before the new page is there, and htmx (a deferred script)
    # binds the active search only at DOMContentLoaded: wait for the send page itself to have loaded.
    page.wait_for_url(re.compile(r"/processos/\d+/enviar$"))
    page.wait_for_load_state("load")
    page.get_by_label("Unidade de destino (sigla ou nome)").fill(text)
    if not javascript:
        page.get_by_role("button", name="Pesquisar").click()
    option = page.locator("#dests label", has_text=sigla).locator("input[type=checkbox]")
    expect(option).to_be_visible()
    option.check()


@pytest.mark.parametrize("fixture", ["page", "page_nojs"])
def test_send_and_receive_between_two_units(request, browser, live_server, seeded, login_as, fixture):
    page = request.getfixturevalue(fixture)
    javascript = fixture == "page"
    specification = f"Consulta à Fazenda sobre restos a pagar ({'com' if javascript else 'sem'} JavaScript)"
    login_as(page, "ana")
    use_unit(page, "SEMAD", javascript)
    number = start_process(page, specification)

    page.get_by_role("link", name="Enviar Processo").click()
    expect(page.get_by_role("heading", name="Enviar Processo")).to_be_visible()
    find_and_pick(page, "fazenda", "SEFAZ", javascript)
    if javascript:  # the active search keeps the chosen unit while searching again
        page.get_by_label("Unidade de destino (sigla ou nome)").fill("compras")
        expect(page.locator("#dests label", has_text="DCC")).to_be_visible()
        expect(page.locator("#dests label", has_text="SEFAZ").locator("input")).to_be_checked()
    page.get_by_label("ou em dias úteis").fill("5")
    page.get_by_role("button", name="Enviar", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Processo enviado para SEFAZ.")).to_be_visible()
    expect(page.locator("dl.facts")).to_contain_text("SEFAZ devolve a SEMAD até")
    expect(page.get_by_role("link", name="Enviar Processo")).to_have_count(0)  # closed in SEMAD

    other = browser.new_context(java_script_enabled=javascript, locale="pt-BR", base_url=live_server)
    carla = other.new_page()
    carla.console_errors = []
    carla.on("console", lambda msg: msg.type == "error" and carla.console_errors.append(msg.text))
    carla.on("pageerror", lambda exc: carla.console_errors.append(str(exc)))
    login_as(carla, "carla")
    row = carla.locator("table.inbox tr", has_text=number)
    expect(row).to_have_class("unread")
    expect(row.locator("[title^='Retorno programado']")).to_have_count(1)
    carla.get_by_role("link", name=number).click()
    expect(carla.locator("#nup")).to_have_text(number)
    carla.get_by_role("link", name="Consultar Andamento").click()
    expect(carla.locator("table")).to_contain_text("Processo recebido na unidade")
    expect(carla.locator("table")).to_contain_text("Processo remetido pela unidade SEMAD com retorno programado")
    carla.goto("/")
    expect(carla.locator("table.inbox tr", has_text=number)).not_to_have_class("unread")

    # SEFAZ may not conclude it (it owes the return): it sends it back to SEMAD instead.
    carla.get_by_role("link", name=number).click()
    carla.get_by_role("button", name="Concluir Processo").click()
    expect(carla.get_by_role("alert")).to_contain_text("deve devolver o processo à unidade SEMAD")
    carla.get_by_role("link", name="Enviar Processo").click()
    find_and_pick(carla, "SEMAD", "SEMAD", javascript)
    carla.get_by_role("button", name="Enviar", exact=True).click()
    expect(carla.get_by_role("status").filter(has_text="Processo enviado para SEMAD.")).to_be_visible()
    other.close()

    page.goto("/")
    expect(page.locator("table.inbox tr", has_text=number)).to_have_class("unread")
    page.get_by_role("link", name=number).click()
    page.get_by_role("link", name="Consultar Andamento").click()
    expect(page.locator("table")).to_contain_text("(retorno programado atendido)")
    refused = [e for e in carla.console_errors if "422" not in e]  # the refused Concluir answers 422 on purpose
    assert page.console_errors == [] and refused == []
