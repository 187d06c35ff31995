"""Document services: seeding, numbering modes, creation from models, versions and stale saves, delete/cancel."""
import threading

import pytest
from sqlalchemy import func, select

from app.models import Counter, Document, DocumentType, DocumentVersion, HistoryEntry, StandardText
from app.services import access, doc_types, documents
from app.services.errors import Duplicate, Forbidden, InvalidInput, NotFound
from tests.documents_support import docworld, doc_type, internal, make_process  # noqa: F401


def test_new_org_gets_document_types_models_and_standard_texts(docworld, db):
    names = set(db.session.scalars(select(DocumentType.name).where(DocumentType.organization_id == docworld.pm.id)))
    for expected in ("Ofício", "Memorando", "Despacho", "Parecer", "Portaria", "Decreto", "Requerimento", "Certidão",
                     "Declaração", "Comunicação Interna", "Termo de Referência", "Contrato", "Ata", "Relatório",
                     "Nota Técnica", "Edital"):
        assert expected in names
    oficio = doc_type(docworld.pm)
    assert "{destinatario}" in oficio.model_html and oficio.numbering == "unit_year"
    texts = db.session.scalar(select(func.count()).select_from(StandardText).where(
        StandardText.organization_id == docworld.pm.id))
    assert texts >= 4


def test_seeder_is_idempotent(docworld, db):
    before = db.session.scalar(select(func.count()).select_from(DocumentType))
    doc_types.seed_document_types(docworld.pm)
    doc_types.seed_document_types(docworld.pm)
    assert db.session.scalar(select(func.count()).select_from(DocumentType)) == before


def test_oficio_from_model_is_numbered_titled_and_filled(docworld, db):
    w = docworld
    w.dcc = doc_types  # noqa - keep linters quiet about unused import in some runs
    doc = internal(w.process, w.semad, w.ana, recipient="Sr. João <Silva>", interested="Fulano de Tal")
    db.session.commit()
    assert doc.sei_number >= 1 and len(doc.sei) >= 7
    assert doc.number == "1" and doc.title == f"Ofício nº 1/{doc.year}/SEMAD"
    html = documents.current_html(doc)
    assert "Sr. João &lt;Silva&gt;" in html and w.process.number in html and "{" not in html.split("[")[0]
    assert "Prefeitura Municipal de Teste" in html and "Ana Souza" not in html
    second = internal(w.process, w.semad, w.ana)
    assert second.number == "2" and second.sei_number == doc.sei_number + 1
    assert [i.contact.name for i in doc.interested] == ["Fulano de Tal"]


def test_sigla_path_from_leaf_to_root(docworld, db, make):
    w = docworld
    dcc = make.unit(w.pm, "DCC", parent=w.semad)
    make_process_ = make_process(w.pm, dcc, w.ana)
    w.ana.memberships  # noqa: B018
    from app.services import users
    users.set_memberships(w.ana, [w.semad, w.gab, dcc], by=w.admin)
    doc = internal(make_process_, dcc, w.ana)
    assert doc.title.endswith("/DCC/SEMAD")


@pytest.mark.parametrize("mode,expected_scope", [
    ("unit_year", "doctype:{t}:unit:{u}:{y}"), ("org_year", "doctype:{t}:{y}"), ("unit", "doctype:{t}:unit:{u}"),
    ("org", "doctype:{t}"), ("none", None), ("manual", None)])
def test_numbering_modes(docworld, db, mode, expected_scope):
    w = docworld
    t = doc_types.create_document_type(w.pm, by=w.admin, name=f"Tipo {mode}", applies_to="internal", numbering=mode,
                                       title_template="{tipo}" if mode == "none" else "{tipo} nº {numero}",
                                       model_html="<p>x</p>", min_signature_level="avancada", suggested_level="publico")
    a = documents.create_internal_document(w.process, t, by=w.ana, unit=w.semad, manual_number="A-7")
    b = documents.create_internal_document(w.process, t, by=w.ana, unit=w.gab, manual_number="A-7")
    year = a.year
    if expected_scope is None:
        assert a.number_scope is None and b.number_scope is None
        assert (a.number, b.number) == (("A-7", "A-7") if mode == "manual" else (None, None))
        return
    assert a.number_scope == expected_scope.format(t=t.id, u=w.semad.id, y=year)
    per_unit = mode in ("unit_year", "unit")
    assert (a.number, b.number) == (("1", "1") if per_unit else ("1", "2"))


def test_manual_mode_requires_the_number(docworld, db):
    t = doc_types.create_document_type(docworld.pm, by=docworld.admin, name="Manual", applies_to="internal",
                                       numbering="manual", title_template="{tipo} {numero}", model_html="",
                                       min_signature_level="avancada", suggested_level="publico")
    with pytest.raises(InvalidInput) as error:
        documents.create_internal_document(docworld.process, t, by=docworld.ana, unit=docworld.semad)
    assert error.value.field == "number"


def test_title_expression_is_validated(docworld):
    with pytest.raises(InvalidInput):
        doc_types.clean_title_template("{tipo} {foo}", "unit_year")
    with pytest.raises(InvalidInput):
        doc_types.clean_title_template("{tipo} nº {numero}", "none")
    with pytest.raises(InvalidInput):
        doc_types.clean_title_template("{tipo.__class__}", "unit_year")
    assert doc_types.clean_title_template("{tipo} nº {numero}/{ano}/{siglas}", "unit_year")


def test_deleted_numbers_are_not_reused(docworld, db):
    w = docworld
    first = internal(w.process, w.semad, w.ana)
    documents.delete_document(first, by=w.ana, unit=w.semad)
    second = internal(w.process, w.semad, w.ana)
    assert second.number == "2" and second.sei_number == first.sei_number + 1


def test_same_token_creates_one_document(docworld, db):
    w = docworld
    a = internal(w.process, w.semad, w.ana, token="tok-1-0123456789abcdef")
    b = internal(w.process, w.semad, w.ana, token="tok-1-0123456789abcdef")
    assert a.id == b.id
    assert db.session.scalar(select(func.count()).select_from(Document)) == 1


def test_source_standard_text_and_model_document(docworld, db):
    w = docworld
    text = doc_types.save_standard_text(w.pm, by=w.ana, unit=w.semad, name="Meu texto",
                                        html="<p>Processo {processo} — {usuario}</p>")
    a = internal(w.process, w.semad, w.ana, source="standard_text", standard_text=text)
    assert documents.current_html(a) == f"<p>Processo {w.process.number} — Ana Souza</p>"
    documents.save_version(a, "<p>Texto próprio <strong>forte</strong></p>", by=w.ana, unit=w.semad, base_version=1)
    b = internal(w.process, w.semad, w.ana, type_name="Despacho", source="document", model_document=a)
    assert documents.current_html(b) == "<p>Texto próprio <strong>forte</strong></p>"


def test_versions_and_optimistic_concurrency(docworld, db):
    w = docworld
    doc = internal(w.process, w.semad, w.ana)
    v2 = documents.save_version(doc, "<p>dois</p>", by=w.ana, unit=w.semad, base_version=1)
    assert v2.number == 2 and doc.current_version == 2
    assert documents.save_version(doc, "<p>dois</p>", by=w.ana, unit=w.semad, base_version=2) is None
    with pytest.raises(documents.StaleEdit) as error:
        documents.save_version(doc, "<p>antigo editor</p>", by=w.bia, unit=w.semad, base_version=1)
    assert "Nada foi salvo" in error.value.message and "Ana Souza" in error.value.message
    assert documents.current_html(doc) == "<p>dois</p>"
    for blank in ("", "<p></p>", "<p>&nbsp;</p><p> <br></p>", "<script>x()</script>"):
        with pytest.raises(InvalidInput, match="vazio"):
            documents.save_version(doc, blank, by=w.ana, unit=w.semad, base_version=2)
    assert doc.current_version == 2
    restored = documents.restore_version(doc, documents.versions_of(doc)[-1], by=w.ana, unit=w.semad, base_version=2)
    assert restored.number == 3 and restored.restored_from == 1
    assert [v.number for v in documents.versions_of(doc)] == [3, 2, 1]


def test_saves_are_sanitised(docworld, db):
    w = docworld
    doc = internal(w.process, w.semad, w.ana)
    documents.save_version(doc, '<p onclick="x()">a<script>alert(1)</script></p>', by=w.ana, unit=w.semad,
                           base_version=1)
    assert documents.current_html(doc) == "<p>a</p>"


def test_history_written_and_minuta_events_unit_only(docworld, db):
    w = docworld
    doc = internal(w.process, w.semad, w.ana)
    documents.save_version(doc, "<p>x</p>", by=w.ana, unit=w.semad, base_version=1)
    documents.update_document(doc, by=w.ana, unit=w.semad, description="Resposta", interested="",
                              access_level="publico", legal_basis_id=None)
    documents.delete_document(doc, by=w.ana, unit=w.semad)
    entries = db.session.scalars(select(HistoryEntry).where(HistoryEntry.process_id == w.process.id)
                                 .order_by(HistoryEntry.id)).all()
    kinds = [e.kind for e in entries]
    assert kinds == ["document_created", "document_edited", "document_updated", "document_deleted"]
    assert all(e.unit_only for e in entries)
    from app.services.history import describe
    assert describe(entries[0]) == f"Gerado documento {doc.title} ({doc.sei})"
    assert describe(entries[2]) == f"Alterado documento {doc.sei}: descrição"


def test_cancel_needs_reason_and_keeps_document(docworld, db):
    w = docworld
    doc = internal(w.process, w.semad, w.ana)
    with pytest.raises(Forbidden):
        access.require_can_cancel(w.ana, w.semad, doc)  # a minuta is deleted, not cancelled
    doc.state = "signed"
    with pytest.raises(InvalidInput):
        documents.cancel_document(doc, by=w.ana, unit=w.semad, reason="  ")
    documents.cancel_document(doc, by=w.ana, unit=w.semad, reason="Emitido por engano")
    assert doc.is_cancelled and doc in documents.tree_documents(w.process, w.semad)
    entry = db.session.scalars(select(HistoryEntry).where(HistoryEntry.kind == "document_cancelled")).one()
    from app.services.history import describe
    assert describe(entry) == f"Cancelado documento {doc.sei}. Motivo: Emitido por engano"


def test_delete_only_by_own_unit_and_while_unlocked(docworld, db):
    w = docworld
    doc = internal(w.process, w.semad, w.ana)
    with pytest.raises(Forbidden):
        access.require_can_delete(w.ana, w.gab, doc)
    doc.state = "signed"
    documents.lock_if_opened_elsewhere(doc, w.gab)
    assert doc.locked_at is not None
    with pytest.raises(Forbidden):
        access.require_can_delete(w.ana, w.semad, doc)


def test_lock_process_documents_on_send(docworld, db):
    w = docworld
    ext = __import__("tests.documents_support", fromlist=["external"]).external(w.process, w.semad, w.ana)
    draft = internal(w.process, w.semad, w.ana)
    documents.lock_process_documents(w.process, w.semad)
    db.session.expire_all()
    assert ext.locked_at is not None and draft.locked_at is None


def test_level_of_document_raises_the_process_level(docworld, db):
    from tests.documents_support import legal_basis
    w = docworld
    basis = legal_basis(w.pm)
    internal(w.process, w.semad, w.ana, access_level="restrito", legal_basis_id=basis.id)
    assert w.process.access_level == "restrito" and w.process.legal_basis_id == basis.id
    with pytest.raises(InvalidInput) as error:
        internal(w.process, w.semad, w.ana, access_level="sigiloso")
    assert error.value.field == "legal_basis_id"


def test_access_rules(docworld, db, make):
    from tests.documents_support import legal_basis
    w = docworld
    draft = internal(w.process, w.semad, w.ana)
    assert access.can_view_document(w.ana, w.semad, draft)
    assert not access.can_view_document(w.bia, w.gab, draft)          # minuta of another unit
    with pytest.raises(NotFound):
        access.require_document(w.bia, w.gab, w.process, draft)
    with pytest.raises(NotFound):
        access.require_document(w.caio, w.presi, w.process, draft)    # other órgão
    draft.state = "signed"
    assert access.can_view_document(w.bia, w.gab, draft)               # público, signed: everyone in the órgão
    restricted = make_process(w.pm, w.semad, w.ana, level="restrito", basis=legal_basis(w.pm))
    doc = internal(restricted, w.semad, w.ana)
    doc.state = "signed"
    with pytest.raises(Forbidden):
        access.require_document(w.bia, w.gab, restricted, doc)         # Restrito, never been in GAB
    with pytest.raises(Forbidden):
        access.require_can_include(w.bia, w.gab, w.process)            # not open in GAB


def test_concurrent_creation_numbers_are_unique(app, docworld, db):
    """Several threads create documents at once: números SEI and per-type numbers never repeat."""
    if db.engine.dialect.name == "sqlite" and ":memory:" in str(db.engine.url):
        pytest.skip("needs a file or server database")
    w = docworld
    ids = dict(process=w.process.id, semad=w.semad.id, ana=w.ana.id, type=doc_type(w.pm).id)
    errors = []

    def work():
        from app.models import Process, Unit, User
        try:
            for _ in range(5):
                # As in production: a POST request context, so SQLite writers take the lock at BEGIN and queue.
                with app.test_request_context(method="POST"):
                    session = db.session
                    documents.create_internal_document(
                        session.get(Process, ids["process"]), session.get(DocumentType, ids["type"]),
                        by=session.get(User, ids["ana"]), unit=session.get(Unit, ids["semad"]))
                    session.commit()
                    session.remove()
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    db.session.rollback()
    docs = db.session.scalars(select(Document)).all()
    assert len(docs) == 20
    assert len({d.sei_number for d in docs}) == 20
    assert sorted(int(d.number) for d in docs) == list(range(1, 21))
    assert db.session.get(Counter, documents.SEI_SCOPE).value >= 20
    assert db.session.scalar(select(func.count()).select_from(DocumentVersion)) == 20
