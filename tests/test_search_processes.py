"""Pesquisar finds processes by their own data (number, type, especificação, interessados with CPF/CNPJ),
with the access rules inside the query; and the bounded candidate paths (chunked FTS5 walk, PostgreSQL
walk then buckets) return the right first pages and counts."""
import pytest

from app.models import ProcessUnit
from app.models.routing import Credential
from app.services import processes, search, search_candidates
from app.services.search import Filters
from tests.process_factory import make_process as real_process
from tests.search_support import clear_index, doc_with

CPF = "52998224725"


@pytest.fixture
def pw(world, db):
    """SEMAD's public, restricted and secret processes with especificações and interessados; one of CM."""
    clear_index()
    w = world
    w.public = real_process(w.semad, w.ana, specification="Reforma da quadra poliesportiva",
                            interested=f"Joaquina Quintela - {CPF}\nConstrutora Albatroz - 12.ABC.345/01DE-35")
    w.restricted = real_process(w.semad, w.ana, level="restrito", specification="Denúncia sobre fornecedor Xavantes",
                                interested="Bartolomeu Quixadá")
    w.secret = real_process(w.semad, w.ana, level="sigiloso", specification="Sindicância sobre zeladoria",
                            interested="Eustáquio Pimpão")
    w.cm_process = real_process(w.presi, w.caio, specification="Reforma da quadra da Câmara",
                                interested="Joaquina Quintela")
    db.session.commit()
    return w


def hits(user, unit, q, **filters):
    return search.search(user, unit, q, Filters(**filters)).hits


def processes_found(user, unit, q, **filters):
    return [(h.process.id, h.content) for h in hits(user, unit, q, **filters) if h.document is None]


# --- what is indexed ---------------------------------------------------------------------------

@pytest.mark.parametrize("q", ["quadra poliesportiva", "Quintela", "joaquina", "albatroz", CPF, "529.982.247-25",
                               "reformas", "12.ABC.345/01DE-35", "12abc34501de35"])
def test_a_public_process_is_found_by_its_data(pw, q):
    assert processes_found(pw.ana, pw.semad, q) == [(pw.public.id, True)]
    assert processes_found(pw.bia, pw.gab, q) == [(pw.public.id, True)]  # any unit of the órgão


def test_number_and_type(pw):
    sequence, year = pw.public.number.split(".")[1].split("-")[0].split("/")
    assert (pw.public.id, True) in processes_found(pw.ana, pw.semad, f"{sequence}/{year}")
    assert (pw.public.id, True) in processes_found(pw.ana, pw.semad, f"{int(sequence)}/{year}")
    found = processes_found(pw.ana, pw.semad, "processo administrativo")  # the type's name
    assert {pw.public.id, pw.restricted.id} <= {pid for pid, _ in found}


def test_the_hit_shows_especificacao_and_interessados(pw):
    hit = hits(pw.ana, pw.semad, "albatroz")[0]
    assert hit.document is None and "<mark>Albatroz</mark>" in hit.snippet and "Reforma da quadra" in hit.snippet


def test_changes_reach_the_index(pw, db):
    processes.update_process(pw.public, pw.semad, by=pw.ana, process_type=pw.public.type,
                             specification="Compra de uniformes", interested="Genoveva Tapajós",
                             access_level="publico")
    db.session.commit()
    assert processes_found(pw.ana, pw.semad, "poliesportiva") == []
    assert processes_found(pw.ana, pw.semad, "quintela") == []
    assert processes_found(pw.ana, pw.semad, "uniformes") == [(pw.public.id, True)]
    assert processes_found(pw.ana, pw.semad, "tapajos") == [(pw.public.id, True)]


def test_reindex_rebuilds_processes(pw, db, app):
    clear_index()
    db.session.execute(db.text("DELETE FROM process_text"))
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(db.text("INSERT INTO process_fts(process_fts) VALUES ('delete-all')"))
    db.session.commit()
    assert processes_found(pw.ana, pw.semad, "albatroz") == []
    result = app.test_cli_runner().invoke(args=["reindex", "--processes"])
    assert result.exit_code == 0 and "processos indexados" in result.output, result.output
    assert processes_found(pw.ana, pw.semad, "albatroz") == [(pw.public.id, True)]


# --- access: each level × each kind of user ----------------------------------------------------

def test_public_process(pw):
    assert processes_found(pw.ana, pw.semad, "poliesportiva") == [(pw.public.id, True)]
    assert processes_found(pw.bia, pw.gab, "poliesportiva") == [(pw.public.id, True)]
    assert processes_found(pw.caio, pw.presi, "poliesportiva") == []  # another órgão: never
    assert processes_found(pw.bia, pw.semad, "poliesportiva") == []   # bia does not work in SEMAD


def test_restricted_process_content_only_where_it_has_been(pw, db):
    assert processes_found(pw.ana, pw.semad, "xavantes") == [(pw.restricted.id, True)]
    assert processes_found(pw.ana, pw.semad, "quixadá") == [(pw.restricted.id, True)]
    # GAB: neither the especificação nor the interessados find it, nor does the interessado filter
    assert processes_found(pw.bia, pw.gab, "xavantes") == []
    assert processes_found(pw.bia, pw.gab, "quixada") == []
    assert processes_found(pw.ana, pw.gab, "processo", interested="quixad") == []
    # … but its number (and type) do, without content: no especificação, no snippet
    sequence = pw.restricted.number.split(".")[1].split("-")[0]
    found = hits(pw.bia, pw.gab, sequence)
    assert [(h.process.id, h.content, str(h.snippet)) for h in found] == [(pw.restricted.id, False, "")]
    assert processes_found(pw.caio, pw.presi, sequence) == []
    # once it has been in GAB, GAB reads it
    db.session.add(ProcessUnit(process_id=pw.restricted.id, unit_id=pw.gab.id, origin="received"))
    db.session.commit()
    assert processes_found(pw.bia, pw.gab, "xavantes") == [(pw.restricted.id, True)]
    assert processes_found(pw.bia, pw.gab, sequence) == [(pw.restricted.id, True)]


def test_restricted_page_shows_number_and_type_only(client, pw, login):
    login("bia")
    sequence = pw.restricted.number.split(".")[1].split("-")[0]
    html = client.get(f"/pesquisar?q={sequence}").get_data(as_text=True)
    assert pw.restricted.number in html and "Restrito" in html
    assert "Xavantes" not in html and "Quixad" not in html


def test_secret_process_only_with_a_credential_in_the_unit(pw, db):
    sequence = pw.secret.number.split(".")[1].split("-")[0]
    # ana started it in SEMAD, so she holds its first credential there
    assert processes_found(pw.ana, pw.semad, "zeladoria") == [(pw.secret.id, True)]
    assert processes_found(pw.ana, pw.gab, "zeladoria") == []   # the credential is SEMAD's
    assert processes_found(pw.admin, pw.semad, "zeladoria") == []  # same unit, no credential
    assert processes_found(pw.admin, pw.semad, sequence) == []     # not even its number
    assert processes_found(pw.bia, pw.gab, "pimpão") == []
    db.session.add(Credential(process_id=pw.secret.id, user_id=pw.bia.id, unit_id=pw.gab.id,
                              granted_by_id=pw.ana.id, granted_unit_id=pw.semad.id))
    db.session.commit()
    assert processes_found(pw.bia, pw.gab, "pimpão") == [(pw.secret.id, True)]


def test_another_orgao_finds_only_its_own(pw):
    assert processes_found(pw.caio, pw.presi, "quintela") == [(pw.cm_process.id, True)]
    assert processes_found(pw.ana, pw.semad, "quintela") == [(pw.public.id, True)]


def test_counts_and_filters_are_in_the_query(pw, db):
    doc = doc_with(pw.public, pw.semad, pw.ana, "A quadra poliesportiva precisa de reforma.")
    doc.state = "signed"
    db.session.commit()
    results = search.search(pw.bia, pw.gab, "poliesportiva", Filters())
    assert results.total == 2 and {h.document.id if h.document else "p" for h in results.hits} == {doc.id, "p"}
    assert search.search(pw.bia, pw.gab, "poliesportiva", Filters(document_type_id=doc.type_id)).total == 1
    assert processes_found(pw.ana, pw.semad, "reforma", unit_id=pw.gab.id) == []
    assert processes_found(pw.ana, pw.semad, "reforma", interested="joaquina") == [(pw.public.id, True)]
    assert processes_found(pw.ana, pw.semad, "reforma", access_level="restrito") == []
    # filters alone list the processes the unit may read
    listed = processes_found(pw.bia, pw.gab, "", interested="quixad")
    assert listed == []


# --- the bounded paths return the right first pages --------------------------------------------

@pytest.fixture
def small_steps(monkeypatch):
    """Tiny chunks, walks and buckets, so that a few documents go through every path (walk, buckets, keyset)."""
    for name, value in dict(FIRST_CHUNK=2, MAX_CHUNK=3, PROBE_ROWS=3, MAX_WALK=4, BUCKET=4).items():
        monkeypatch.setattr(search_candidates, name, value)


@pytest.fixture
def many(world, db, small_steps):
    """40 documents: every 3rd has "zebra" (some in a restricted process of GAB, invisible to SEMAD),
    every 7th has "girafa listrada", every document has "savana"; indexed with the tiny buckets."""
    clear_index()
    w = world
    from tests.search_support import make_process
    w.pub = make_process(w.pm, w.semad, w.ana)
    w.gab_only = make_process(w.pm, w.gab, w.bia, level="restrito")
    w.docs = []
    for n in range(40):
        process, unit, user = (w.gab_only, w.gab, w.bia) if n % 5 == 4 else (w.pub, w.semad, w.ana)
        words = ["savana"] + (["zebra"] if n % 3 == 0 else []) + (["girafa listrada"] if n % 7 == 0 else [])
        d = doc_with(process, unit, user, f"Documento {n}: " + " ".join(words) + ".")
        d.state = "signed"
        w.docs.append((d, n, process is w.pub))
    db.session.commit()
    return w


def expected(w, test, limit):
    return [d.id for d, n, visible in sorted(w.docs, key=lambda x: -x[0].id) if visible and test(n)][:limit]


@pytest.mark.parametrize("q,test", [
    ("zebra", lambda n: n % 3 == 0),                                 # ~1/3 of the rows: walk, then buckets
    ("savana", lambda n: True),                                      # every row: the walk
    ('"girafa listrada"', lambda n: n % 7 == 0),                     # rare phrase: buckets
    ("savana NÃO zebra", lambda n: n % 3 != 0),
])
def test_capped_paths_give_the_newest_visible_matches(many, app, q, test):
    for cap in (4, 100):
        app.config["SEARCH_RANK_LIMIT"] = cap
        try:
            results = search.search(many.ana, many.semad, q, Filters(), order="data", size=50)
        finally:
            app.config.pop("SEARCH_RANK_LIMIT")
        want = expected(many, test, cap)
        assert [h.document.id for h in results.hits if h.document] == want, (q, cap)
        assert results.total == len(want)
        assert results.capped == (len(expected(many, test, 1000)) > cap)


def test_capped_relevance_pages_cover_the_same_set(many, app):
    app.config["SEARCH_RANK_LIMIT"] = 6
    try:
        pages = [search.search(many.ana, many.semad, "savana", Filters(), size=4, page=p) for p in (1, 2)]
    finally:
        app.config.pop("SEARCH_RANK_LIMIT")
    ids = [h.document.id for r in pages for h in r.hits]
    assert sorted(ids, reverse=True) == expected(many, lambda n: True, 6)
    assert pages[0].total == 6 and pages[0].capped and pages[0].pages == 2


def test_bm25_prefers_repeated_words_and_phrases():
    from app.services import search_terms
    query = search_terms.parse_query('"merenda escolar" zebra')
    rows = [(1, "merend escol zebr"), (2, "merend escol zebr merend escol zebr"), (3, "escol merend zebr")]
    scores = search_candidates.bm25(query, rows)
    assert scores[2] > scores[1] > scores[3]


def test_postgresql_planner_settings_are_restored(pw, db):
    """The nested-loop settings hold for the search's own statements only, not for the rest of the request."""
    if db.session.get_bind().dialect.name != "postgresql":
        pytest.skip("PostgreSQL only")
    before = db.session.execute(db.text("SELECT current_setting('enable_hashjoin'), current_setting('jit')")).one()
    search.search(pw.ana, pw.semad, "poliesportiva", Filters())
    after = db.session.execute(db.text("SELECT current_setting('enable_hashjoin'), current_setting('jit')")).one()
    assert tuple(after) == tuple(before)


def test_documents_and_processes_share_one_ranked_list(pw, db):
    doc = doc_with(pw.public, pw.semad, pw.ana, "Texto longo sobre outra coisa. " * 20 + "Menciona poliesportiva.")
    doc.state = "signed"
    db.session.commit()
    found = hits(pw.ana, pw.semad, "poliesportiva")
    assert [h.document is None for h in found] == [True, False]  # the short especificação ranks first
    assert found[0].score >= found[1].score


@pytest.fixture
def dated(many, db):
    """The 40 documents of `many` created one day apart (in id order), from 2025-01-01."""
    from datetime import datetime, timedelta, timezone
    start = datetime(2025, 1, 1, 15, 0, tzinfo=timezone.utc)
    for d, n, _ in many.docs:
        d.created_at = start + timedelta(days=n)
    db.session.commit()
    return many


@pytest.mark.parametrize("q", ["zebra", "savana", ""])
def test_a_period_bounds_the_walk_and_finds_old_documents(dated, q):
    from datetime import date
    results = search.search(dated.ana, dated.semad, q, Filters(date_from=date(2025, 1, 11), date_to=date(2025, 1, 20)),
                            order="data", size=50)
    test = (lambda n: n % 3 == 0) if q == "zebra" else (lambda n: True)
    want = [d.id for d, n, visible in sorted(dated.docs, key=lambda x: -x[0].id) if visible and test(n) and 10 <= n <= 19]
    assert [h.document.id for h in results.hits if h.document] == want


def test_the_work_bound_says_the_search_is_incomplete(many, monkeypatch, client, login):
    monkeypatch.setattr(search, "MAX_EXAMINED", 5)
    results = search.search(many.ana, many.semad, "savana", Filters(document_type_id=many.docs[0][0].type_id + 999))
    assert results.total == 0 and results.incomplete and not results.capped
    monkeypatch.setattr(search, "MAX_EXAMINED", 200)
    results = search.search(many.ana, many.semad, "girafa", Filters())  # few candidates: complete
    assert not results.incomplete
    from sqlalchemy import select

    from app.models.document import DocumentType
    other_type = search.db.session.scalar(select(DocumentType.id).where(
        DocumentType.organization_id == many.pm.id, DocumentType.id != many.docs[0][0].type_id).limit(1))
    monkeypatch.setattr(search, "MAX_EXAMINED", 5)
    login("ana")
    html = client.get(f"/pesquisar?q=savana&document_type_id={other_type}").get_data(as_text=True)
    assert "Nenhum resultado" in html and "examinou só os documentos mais recentes" in html


@pytest.mark.parametrize("narrow", [True, False])
def test_interessado_filter_with_words_by_scope_or_by_walk(pw, db, monkeypatch, narrow):
    """A narrow interessado drives the search (its processes' documents are tested); a broad one walks."""
    if not narrow:
        monkeypatch.setattr(search, "SCOPE_CONTACTS", 0)
    doc = doc_with(pw.public, pw.semad, pw.ana, "A quadra poliesportiva precisa de reforma.")
    other = doc_with(pw.restricted, pw.semad, pw.ana, "Outra quadra, de outro processo.")
    for d in (doc, other):
        d.state = "signed"
    db.session.commit()
    found = hits(pw.ana, pw.semad, "quadra", interested="quintela")
    assert {(h.document.id if h.document else None, h.process.id) for h in found} == {
        (doc.id, pw.public.id), (None, pw.public.id)}
