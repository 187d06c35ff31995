"""Pesquisar: accents and plurals on both backends, the query language, access inside the query,
filters, capped ranking, the quick box, the pages (JS off, htmx fragment, budgets)."""
from datetime import date, timedelta

import pytest

from app.services import documents, search, search_terms
from app.services.errors import InvalidInput
from app.services.search import Filters
from tests.conftest import csrf_from  # noqa: F401
from tests.documents_support import legal_basis
from tests.process_factory import make_process as real_process
from tests.search_support import clear_index, doc_with, make_process
from tests.test_budgets import FRAGMENT_BUDGET, PAGE_BUDGET, gz, page_weight


@pytest.fixture
def sw(world, db):
    """PM: a public process of SEMAD with three documents about licitações; CM has one too."""
    clear_index()
    w = world
    w.process = real_process(w.semad, w.ana)  # a real NUP, for the quick box
    w.d1 = doc_with(w.process, w.semad, w.ana, "Abertura de licitações para a merenda escolar do município.")
    w.d2 = doc_with(w.process, w.semad, w.ana, "A licitação do transporte escolar foi homologada.")
    w.d3 = doc_with(w.process, w.semad, w.ana, "Licitacao sem acento, digitada num teclado antigo.")
    for d in (w.d1, w.d2, w.d3):
        d.state = "signed"  # not minutas: every unit of the órgão may read them
    w.cm_process = make_process(w.cm, w.presi, w.caio)
    w.cm_doc = doc_with(w.cm_process, w.presi, w.caio, "Licitação da Câmara para o plenário.")
    db.session.commit()
    return w


def found(user, unit, q, **filters):
    """The documents found (process hits are tested in test_search_processes.py)."""
    return [h.document.id for h in search.search(user, unit, q, Filters(**filters)).hits if h.document]


# --- terms -------------------------------------------------------------------------------------

@pytest.mark.parametrize("a,b", [("licitação", "licitações"), ("Licitacao", "licitações"), ("licitação", "LICITACOES"),
                                 ("ação", "ações"), ("pregão", "pregões"), ("edital", "editais"),
                                 ("municipal", "municipais"), ("item", "itens"), ("Saúde", "saude")])
def test_accents_and_plurals_fold_to_one_term(a, b):
    assert search_terms.stem(a) == search_terms.stem(b) != ""


@pytest.mark.parametrize("q,message", [
    ("", "Digite"), ("   ", "Digite"), ("de a o que", "muito comuns"), ("!!! ... ---", "muito comuns"),
    ('"merenda escolar', "aspas"), ("x" * 10_000, "máximo"), ("NÃO pregão", "NÃO junto"),
])
def test_bad_queries_get_a_portuguese_message(q, message):
    with pytest.raises(InvalidInput) as error:
        search_terms.parse_query(q)
    assert message in error.value.message


def test_query_language_compiles_for_both_backends():
    query = search_terms.parse_query('licitação "merenda escolar" OU transporte NÃO pregão')
    assert search_terms.fts5_match(query) == '("licit" AND ("merend escol" OR "transport")) NOT ("prega")'
    assert search_terms.pg_tsquery(query) == "'licit' & (('merend' <-> 'escol') | 'transport') & !'prega'"


# --- the backend (SQLite FTS5 or PostgreSQL tsvector, whichever the suite runs on) -------------

def test_accent_and_plural_find_each_other(sw):
    everything = {sw.d1.id, sw.d2.id, sw.d3.id}
    for q in ("licitação", "Licitacao", "licitações", "LICITACOES"):
        assert set(found(sw.ana, sw.semad, q)) == everything, q


def test_phrases_or_and_not(sw):
    assert found(sw.ana, sw.semad, '"merenda escolar"') == [sw.d1.id]
    assert found(sw.ana, sw.semad, '"escolar merenda"') == []
    assert set(found(sw.ana, sw.semad, "merenda OU transporte")) == {sw.d1.id, sw.d2.id}
    assert set(found(sw.ana, sw.semad, "licitação NÃO escolar")) == {sw.d3.id}
    assert set(found(sw.ana, sw.semad, "licitação -teclado")) == {sw.d1.id, sw.d2.id}
    assert found(sw.ana, sw.semad, "licitação E plenário") == []


def test_snippet_marks_the_words_and_escapes_html(sw, db):
    doc = doc_with(sw.process, sw.semad, sw.ana, "Texto &lt;script&gt; com a palavra paralelepípedo no meio.")
    doc.state = "signed"
    db.session.commit()
    hit = search.search(sw.ana, sw.semad, "paralelepipedos", Filters()).hits[0]
    assert "<mark>paralelepípedo</mark>" in hit.snippet
    assert "<script>" not in hit.snippet


def test_title_and_sei_number_are_searchable(sw):
    assert sw.d1.id in found(sw.ana, sw.semad, "ofício")
    assert found(sw.ana, sw.semad, sw.d2.sei.lstrip("0") + " homologada") == [sw.d2.id]


def test_edits_cancel_and_delete_update_the_index(sw, db):
    documents.save_version(sw.d2, "<p>Agora fala de zeladoria.</p>", by=sw.ana, unit=sw.semad,
                           base_version=sw.d2.current_version)
    db.session.commit()
    assert found(sw.ana, sw.semad, "zeladoria") == [sw.d2.id]
    assert sw.d2.id not in found(sw.ana, sw.semad, "homologada")
    documents.cancel_document(sw.d1, by=sw.ana, unit=sw.semad, reason="Erro")
    db.session.commit()
    assert sw.d1.id not in found(sw.ana, sw.semad, "merenda OU licitação")


# --- access inside the query -------------------------------------------------------------------

@pytest.fixture
def levels(sw, db):
    """SEMAD's restricted and secret processes, a minuta of SEMAD, a restricted document in a public process."""
    w = sw
    w.restricted = make_process(w.pm, w.semad, w.ana, level="restrito")
    w.secret = make_process(w.pm, w.semad, w.ana, level="sigiloso", basis=legal_basis(w.pm, "sigiloso"))
    w.r_doc = doc_with(w.restricted, w.semad, w.ana, "Zebra restrita.")
    w.s_doc = doc_with(w.secret, w.semad, w.ana, "Zebra sigilosa.")
    w.draft = doc_with(w.process, w.semad, w.ana, "Zebra em minuta.")
    w.rd = doc_with(w.process, w.semad, w.ana, "Zebra num documento restrito.", access_level="restrito",
                    legal_basis_id=legal_basis(w.pm).id)
    w.pub = doc_with(w.process, w.semad, w.ana, "Zebra pública.")
    for d in (w.r_doc, w.s_doc, w.rd, w.pub):
        d.state = "signed"
    w.process.access_level = "publico"  # the restricted document raised it; keep the process public for the test
    db.session.commit()
    return w


def test_each_level_for_each_kind_of_user(levels):
    w = levels
    semad = set(found(w.ana, w.semad, "zebra"))  # ana started the sigiloso process: she holds its credential
    assert semad == {w.r_doc.id, w.s_doc.id, w.draft.id, w.rd.id, w.pub.id}
    assert set(found(w.admin, w.semad, "zebra")) == semad - {w.s_doc.id}  # no credential: never the sigiloso
    assert found(w.ana, w.gab, "sigilosa") == []  # the credential is SEMAD's
    gab = set(found(w.bia, w.gab, "zebra"))
    assert gab == {w.pub.id}  # not where the process has not been; not another unit's minuta
    assert found(w.caio, w.presi, "zebra") == []  # another órgão: nothing
    assert search.search(w.bia, w.gab, "zebra", Filters()).total == 1  # the count comes from the same query


def test_restricted_content_opens_once_the_process_has_been_in_the_unit(levels, db):
    from app.models import ProcessUnit
    db.session.add(ProcessUnit(process_id=levels.restricted.id, unit_id=levels.gab.id, origin="received"))
    db.session.commit()
    assert levels.r_doc.id in found(levels.bia, levels.gab, "zebra")


def test_a_user_outside_the_unit_gets_nothing(levels):
    assert found(levels.bia, levels.semad, "zebra") == []  # bia does not work in SEMAD


# --- filters, ranking cap, pagination ----------------------------------------------------------

def test_filters(sw, db):
    assert found(sw.ana, sw.semad, "licitação", unit_id=sw.gab.id) == []
    assert len(found(sw.ana, sw.semad, "licitação", unit_id=sw.semad.id)) == 3
    assert len(found(sw.ana, sw.semad, "licitação", process_type_id=sw.process.type_id)) == 3
    assert len(found(sw.ana, sw.semad, "licitação", document_type_id=sw.d1.type_id)) == 3
    assert found(sw.ana, sw.semad, "licitação", date_to=date.today() - timedelta(days=3)) == []
    assert len(found(sw.ana, sw.semad, "", date_from=date.today() - timedelta(days=1))) == 3
    assert found(sw.ana, sw.semad, "licitação", access_level="restrito") == []
    with pytest.raises(InvalidInput, match="invertido"):
        found(sw.ana, sw.semad, "licitação", date_from=date(2026, 5, 2), date_to=date(2026, 5, 1))


def test_interested_filter(sw, db):
    documents.update_document(sw.d2, by=sw.ana, unit=sw.semad, description=None, interested="Maria da Silva",
                              access_level="publico", legal_basis_id=None)
    db.session.commit()
    assert found(sw.ana, sw.semad, "licitação", interested="maria") == [sw.d2.id]
    assert found(sw.ana, sw.semad, "licitação", interested="MARÍA  da silva") == [sw.d2.id]  # accents, spaces
    assert found(sw.ana, sw.semad, "licitação", interested="100%_x") == []


def test_ranking_is_capped_and_pages_are_right(sw, db, app):
    for n in range(7):
        doc_with(sw.process, sw.semad, sw.ana, f"Licitação número {n}.").state = "signed"
    db.session.commit()
    results = search.search(sw.ana, sw.semad, "licitação", Filters(), size=4)
    assert (results.total, results.pages, results.capped, len(results.hits)) == (10, 3, False, 4)
    assert len(search.search(sw.ana, sw.semad, "licitação", Filters(), size=4, page=3).hits) == 2
    app.config["SEARCH_RANK_LIMIT"] = 5
    try:
        capped = search.search(sw.ana, sw.semad, "licitação", Filters(), size=4, page=9)
        assert (capped.total, capped.capped, capped.page, len(capped.hits)) == (5, True, 2, 1)
    finally:
        app.config.pop("SEARCH_RANK_LIMIT")


def test_quick_box_numbers(sw):
    kind, process = search.find_number(sw.ana, sw.semad, sw.process.number)
    assert (kind, process.id) == ("process", sw.process.id)
    kind, document = search.find_number(sw.ana, sw.semad, sw.d1.sei)
    assert (kind, document.id) == ("document", sw.d1.id)
    with pytest.raises(InvalidInput, match="Nenhum processo"):
        search.find_number(sw.ana, sw.semad, sw.cm_process.number)  # another órgão's: unknown
    with pytest.raises(InvalidInput, match="número SEI"):
        search.find_number(sw.ana, sw.semad, "99999999")
    with pytest.raises(InvalidInput, match="número SEI"):
        search.find_number(sw.ana, sw.semad, sw.cm_doc.sei)  # another órgão's document: unknown too
    assert search.find_number(sw.ana, sw.semad, "licitação") is None


# --- the pages ---------------------------------------------------------------------------------

def test_search_page_without_javascript(client, sw, login):
    login("ana")
    page = client.get("/pesquisar?q=licitações")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "3 resultados" in html and "<mark>" in html
    assert sw.process.number in html


def test_bad_input_is_422_with_a_message(client, sw, login):
    login("ana")
    for url, text in [("/pesquisar?q=", "Digite"), ('/pesquisar?q="aberta', "aspas"),
                      ("/pesquisar?q=" + "a" * 10_000, "no máximo"),
                      ("/pesquisar?q=x&date_from=2026-05-02&date_to=2026-05-01", "invertido"),
                      ("/pesquisar?q=00000000", "número SEI"), ("/pesquisar?q=x&process_type_id=abc", "Pesquisar"),
                      ("/pesquisar?q=12345.000001/2020-00", "Nenhum processo")]:
        response = client.get(url)
        assert response.status_code == 422, url
        assert text in response.get_data(as_text=True), url


def test_header_box_jumps_to_a_process_or_document(client, sw, login):
    login("ana")
    response = client.get(f"/pesquisar?q={sw.process.number}")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/processos/{sw.process.id}")
    response = client.get(f"/pesquisar?q={sw.d1.sei}")
    assert response.status_code == 303 and f"/documentos/{sw.d1.id}" in response.headers["Location"]


def test_htmx_search_as_you_type_gets_a_small_fragment(client, sw, login):
    login("ana")
    response = client.get("/pesquisar?q=licitação", headers={"HX-Request": "true"})
    body = response.get_data()
    assert response.status_code == 200 and b'id="results"' in body and b"<form" not in body
    assert gz(body) <= FRAGMENT_BUDGET
    assert page_weight(client, "/pesquisar?q=licitação") <= PAGE_BUDGET


def test_header_links_to_the_search(client, sw, login):
    login("ana")
    html = client.get("/").get_data(as_text=True)
    assert 'action="/pesquisar"' in html
