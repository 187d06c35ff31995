"""Write an ofício with the editor and upload two files at once, with JavaScript on and off."""
import re

import pytest
from playwright.sync_api import expect

from tests.documents_support import pdf_bytes, png_bytes


def _open_a_process(page):
    """The first process of the inbox of ana's current unit (seed-demo creates them)."""
    page.goto("/")
    link = page.locator("#inbox a[href^='/processos/']").first
    if link.count() == 0:
        pytest.skip("seed-demo created no process open in ana's unit")
    href = link.get_attribute("href")
    page.goto(href)
    return re.match(r"/processos/(\d+)", href).group(1)


@pytest.mark.parametrize("fixture", ["page", "page_nojs"])
def test_write_an_oficio_with_the_editor(request, seeded, login_as, fixture):
    page = request.getfixturevalue(fixture)
    login_as(page, "ana")
    process_id = _open_a_process(page)
    page.goto(f"/processos/{process_id}/documentos/novo")
    page.get_by_label("Tipo do documento").select_option(label="Ofício")
    page.get_by_label("Destinatário").fill("Secretaria Municipal de Obras")
    page.get_by_role("button", name="Salvar e editar").click()
    page.wait_for_url(re.compile(r"/editar$"))
    expect(page.get_by_role("status")).to_contain_text("gerado")
    if fixture == "page":
        area = page.locator(".ed-area")
        expect(area).to_be_visible()
        expect(page.locator("#html")).to_be_hidden()
        expect(area).to_contain_text("Secretaria Municipal de Obras")
        area.click()
        page.keyboard.press("Control+End")
        page.keyboard.press("Enter")
        page.get_by_role("button", name="Negrito (Ctrl+B)").click()
        page.keyboard.type("Pedimos resposta urgente.")
        page.get_by_role("button", name="Salvar").click()
    else:
        source = page.get_by_label("Texto do documento")
        html = source.input_value()
        source.fill(html + "<p><strong>Pedimos resposta urgente.</strong></p>")
        page.get_by_role("button", name="Salvar").click()
    expect(page.get_by_role("status")).to_contain_text("Versão 2 salva.")
    page.get_by_role("link", name="Voltar ao documento").click()
    body = page.locator(".doc-body")
    expect(body).to_contain_text("Pedimos resposta urgente.")
    expect(body.locator("strong", has_text="Pedimos resposta urgente.")).to_have_count(1)
    expect(page.locator(".doctree")).to_contain_text("Ofício nº")
    assert page.console_errors == []


def test_editor_cleans_word_paste_and_warns_before_leaving(page, seeded, login_as):
    login_as(page, "ana")
    process_id = _open_a_process(page)
    page.goto(f"/processos/{process_id}/documentos/novo")
    page.get_by_label("Tipo do documento").select_option(label="Despacho")
    page.get_by_role("button", name="Salvar e editar").click()
    page.wait_for_url(re.compile(r"/editar$"))
    word = ('<p class=MsoListParagraphCxSpFirst style="mso-list:l0 level1 lfo1"><span style="mso-list:Ignore">1.'
            '<span>&nbsp;</span></span><b>Primeiro</b><o:p></o:p></p>'
            '<p class=MsoListParagraphCxSpLast style="mso-list:l0 level1 lfo1"><span style="mso-list:Ignore">2.</span>'
            'Segundo</p><p class=MsoNormal align=center style="text-align:center"><span style="font-family:Calibri;'
            'font-style:italic" onclick="alert(1)">Centro</span></p><script>alert(1)</script>')
    cleaned = page.evaluate("html => window.expedienteEditor.clean(html)", word)
    assert cleaned == '<ol><li><strong>Primeiro</strong></li><li>Segundo</li></ol><p class="al-center"><em>Centro</em></p>'
    page.locator(".ed-area").click()
    page.evaluate("""html => {
        const data = new DataTransfer();
        data.setData('text/html', html);
        document.querySelector('.ed-area').dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true}));
    }""", word)
    expect(page.locator(".ed-area ol li")).to_have_count(2)
    assert page.evaluate("window.expedienteEditor.isDirty()")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.get_by_role("link", name="Voltar ao documento").click()
    for _ in range(50):  # the dialog arrives asynchronously: wait for it (up to 5 s) instead of a fixed pause
        if dialogs:
            break
        page.wait_for_timeout(100)
    assert dialogs and dialogs[0] in ("beforeunload", "confirm")
    assert re.search(r"/editar$", page.url)


@pytest.mark.parametrize("fixture", ["page", "page_nojs"])
def test_upload_two_files_at_once(request, seeded, login_as, fixture, tmp_path):
    page = request.getfixturevalue(fixture)
    login_as(page, "ana")
    process_id = _open_a_process(page)
    first, second = tmp_path / f"oficio-recebido-{fixture}.pdf", tmp_path / f"foto-{fixture}.png"
    first.write_bytes(pdf_bytes("recebido"))
    second.write_bytes(png_bytes())
    page.goto(f"/processos/{process_id}/documentos/externo")
    page.get_by_label("Tipo do documento").select_option(label="Anexo")
    page.locator("#files").set_input_files([str(first), str(second)])
    if fixture == "page":
        expect(page.locator("#per-file fieldset")).to_have_count(2)
        expect(page.locator("#common")).to_be_hidden()
        page.locator("#f1-description").fill(f"Fotografia do local {fixture}")
    page.get_by_role("button", name="Incluir").click()
    expect(page.get_by_role("status")).to_contain_text("2 documento(s) externo(s) incluído(s)")
    tree = page.locator(".doctree")
    expect(tree).to_contain_text(f"oficio-recebido-{fixture}")
    expect(tree).to_contain_text(f"Fotografia do local {fixture}" if fixture == "page" else f"foto-{fixture}")
    with page.expect_download() as download:
        page.get_by_role("link", name="Baixar").click()
    assert download.value.suggested_filename in (first.name, second.name)
    assert page.console_errors == []


@pytest.mark.parametrize("fixture", ["page", "page_nojs"])
def test_insert_an_image_of_the_process_into_the_text(request, seeded, login_as, fixture, tmp_path):
    """A PNG uploaded to the process goes into an ofício's text: at the cursor with JavaScript, at the end
    of the text on save without it; the document page then shows it."""
    page = request.getfixturevalue(fixture)
    login_as(page, "ana")
    process_id = _open_a_process(page)
    picture = tmp_path / f"grafico-{fixture}.png"
    picture.write_bytes(png_bytes())
    page.goto(f"/processos/{process_id}/documentos/externo")
    page.get_by_label("Tipo do documento").select_option(label="Anexo")
    page.locator("#files").set_input_files([str(picture)])
    page.get_by_role("button", name="Incluir").click()
    expect(page.get_by_role("status")).to_contain_text("1 documento(s) externo(s) incluído(s)")
    page.goto(f"/processos/{process_id}/documentos/novo")
    page.get_by_label("Tipo do documento").select_option(label="Despacho")
    page.get_by_role("button", name="Salvar e editar").click()
    page.wait_for_url(re.compile(r"/editar$"))
    if fixture == "page":
        page.locator(".ed-area").click()
        page.get_by_role("button", name=re.compile("^Inserir imagem")).click()
        chooser = page.get_by_label("Imagem a inserir no cursor")
        chooser.select_option(chooser.locator("option", has_text=f"grafico-{fixture}").get_attribute("value"))
        page.get_by_role("button", name="Inserir", exact=True).click()
        expect(page.locator(".ed-area img")).to_have_count(1)
    else:
        chooser = page.get_by_label("Inserir imagem")
        chooser.select_option(chooser.locator("option", has_text=f"grafico-{fixture}").get_attribute("value"))
    page.get_by_role("button", name="Salvar").click()
    expect(page.get_by_role("status")).to_contain_text("salva")
    page.get_by_role("link", name="Voltar ao documento").click()
    image = page.locator(".doc-body img")
    expect(image).to_have_count(1)
    assert page.evaluate("img => img.complete && img.naturalWidth > 0", image.element_handle())
    assert page.console_errors == []
