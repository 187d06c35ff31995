"""Sign an ofício, co-sign it from another unit through a Bloco de Assinatura, then verify it anonymously —
with JavaScript on and off."""
import io
import re

import pypdf
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DEMO_PASSWORD


def _oficio(live_app, tag):
    """A process of GAB (gabriela) with an Ofício minuta, made directly through the services."""
    from app.extensions import db
    from app.models import Organization, Unit, User
    from app.services import catalog, doc_types, documents, processes
    with live_app.app_context():
        org = db.session.scalar(db.select(Organization).where(Organization.sigla == "PMEX"))
        gab = db.session.scalar(db.select(Unit).where(Unit.organization_id == org.id, Unit.sigla == "GAB"))
        gabriela = db.session.scalar(db.select(User).where(User.login == "gabriela"))
        process = processes.create_process(
            gab, by=gabriela, process_type=catalog.find_type(org, "Administração Geral: Processo Administrativo"),
            specification=f"Convênio com o Estado ({tag})", interested="", access_level="publico", legal_basis=None)
        oficio_type = next(t for t in doc_types.types_for(org, kind="internal") if t.name == "Ofício")
        doc = documents.create_internal_document(process, oficio_type, by=gabriela, unit=gab,
                                                 recipient="Secretaria de Estado de Governo")
        documents.save_version(doc, f"<p>Encaminhamos a proposta de convênio ({tag}).</p>", by=gabriela, unit=gab,
                               base_version=1)
        db.session.commit()
        return process.id, doc.id


def _codes(live_app, document_id):
    from app.extensions import db
    from app.models import Document
    with live_app.app_context():
        doc = db.session.get(Document, document_id)
        return doc.sei, doc.crc


def _logout(page):
    """Sair, and wait for the login page (a login started before the logout ends would lose its session)."""
    page.get_by_role("button", name="Sair").click()
    expect(page.get_by_label("Usuário")).to_be_visible()


def _sign(page, role):
    page.get_by_label("Cargo/Função").select_option(label=role)
    page.get_by_label("Senha").fill(DEMO_PASSWORD)
    page.locator("#sign-form, form.sign").first.get_by_role("button").first.click()


@pytest.mark.parametrize("fixture", ["page", "page_nojs"])
def test_sign_cosign_through_a_block_and_verify(request, live_app, seeded, login_as, fixture):
    page = request.getfixturevalue(fixture)
    process_id, document_id = _oficio(live_app, fixture)
    doc_url = f"/processos/{process_id}/documentos/{document_id}"

    # 1. Gabriela (GAB) signs the ofício from its page.
    login_as(page, "gabriela")
    page.goto(doc_url)
    page.locator("#doc").get_by_role("link", name="Assinar", exact=True).click()
    page.wait_for_url(re.compile(r"/assinar$"))
    _sign(page, "Chefe de Setor")
    expect(page.get_by_role("status")).to_contain_text("assinado")
    expect(page.locator(".sigs")).to_contain_text("Gabriela Alves")
    expect(page.locator(".doctree")).to_contain_text("assinado/editável")

    # 2. She puts it in a new block and makes it available to SEFAZ.
    page.get_by_role("link", name="Incluir em Bloco de Assinatura").click()
    page.get_by_label("Bloco de Assinatura", exact=True).select_option(label="Novo bloco")
    page.get_by_label("Descrição do novo bloco").fill(f"Convênio ({fixture})")
    page.get_by_role("button", name="Incluir").click()
    page.wait_for_url(re.compile(r"/blocos/\d+$"))
    block_url = re.search(r"/blocos/\d+$", page.url).group(0)
    page.get_by_label(re.compile(r"^SEFAZ")).check()
    page.get_by_role("button", name="Disponibilizar").click()
    expect(page.locator("h1")).to_contain_text("Disponibilizado")
    _logout(page)

    # 3. Carla (SEFAZ) finds it under Blocos de Assinatura, opens the ofício and co-signs it.
    login_as(page, "carla")
    page.get_by_role("link", name="Blocos de Assinatura").click()
    page.locator(f"a[href='{block_url}']").click()
    page.wait_for_url(re.compile(block_url + "$"))
    page.get_by_role("link", name=re.compile("Ofício nº")).click()
    expect(page.locator(".doc-body")).to_contain_text("Encaminhamos a proposta de convênio")
    _sign(page, "Secretário(a) Municipal")
    page.wait_for_url(re.compile(block_url + "$"))
    expect(page.get_by_role("status")).to_contain_text("assinado")
    expect(page.locator("table.blockdocs")).to_contain_text("Gabriela Alves (GAB), Carla Mendes (SEFAZ)")
    page.get_by_role("button", name="Devolver").click()
    expect(page.get_by_role("status")).to_contain_text("devolvido")
    _logout(page)

    # 4. Anyone checks it on /conferir, without logging in: by the form, then by the QR code URL.
    sei, crc = _codes(live_app, document_id)
    page.goto("/conferir")
    page.get_by_label("Código verificador").fill(sei)
    page.get_by_label("Código CRC").fill(crc)
    page.get_by_role("button", name="Conferir", exact=True).click()
    verdict = page.locator(".verdict")
    expect(verdict).to_contain_text("Documento autêntico")
    expect(verdict).to_contain_text("Gabriela Alves")
    expect(verdict).to_contain_text("Carla Mendes")
    expect(verdict).to_contain_text("Secretário(a) Municipal")
    page.goto(f"/conferir?codigo={sei}&crc={crc}")
    expect(page.locator(".verdict")).to_contain_text("Documento autêntico")
    link = page.get_by_role("link", name="Abrir o documento assinado (PDF)").get_attribute("href")
    response = page.request.get(link)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    text = " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.body())).pages).split())
    assert text.count("Documento assinado eletronicamente por") == 2 and f"código CRC {crc}" in text
    # 5. The signed PDF dropped on the page: ours, seal intact.
    page.goto("/conferir")
    page.get_by_label("Arquivo PDF").set_input_files(files=[{"name": "oficio.pdf", "mimeType": "application/pdf",
                                                             "buffer": response.body()}])
    page.get_by_role("button", name="Conferir arquivo").click()
    expect(page.locator(".verdict")).to_contain_text("via emitida por este sistema")
    expect(page.locator(".verdict")).to_contain_text("Selo digital (PAdES) íntegro")
    assert page.console_errors == []
