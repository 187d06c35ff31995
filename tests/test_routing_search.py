"""Sigiloso and credential rules reach Pesquisar and the process export through the one access policy."""
from app.services import access, credentials, documents, routing, search
from app.services.search import Filters
from tests.documents_support import doc_type
from tests.process_factory import make_process
from tests.routing_support import rw  # noqa: F401  (fixture)
from tests.search_support import clear_index, write


def found(user, unit, q):
    return [h.document.id for h in search.search(user, unit, q, Filters()).hits if getattr(h, "document", None)]


def test_sigiloso_document_is_found_only_by_credential_holders(db, rw):
    clear_index()
    secret = make_process(rw.semad, rw.ana, level="sigiloso", specification="Apuração reservada")
    document = documents.create_internal_document(secret, doc_type(rw.pm), by=rw.ana, unit=rw.semad)
    write(document, rw.semad, rw.ana, "Relatório sobre o zeppelin municipal")
    document.state = "signed"
    db.session.commit()
    assert found(rw.ana, rw.semad, "zeppelin") == [document.id]
    assert found(rw.dora, rw.semad, "zeppelin") == []  # same unit, no credential
    assert found(rw.carla, rw.sefaz, "zeppelin") == []
    credential = credentials.grant(secret, rw.semad, by=rw.ana, user=rw.carla, to_unit=rw.sefaz)
    db.session.commit()
    assert found(rw.carla, rw.sefaz, "zeppelin") == [document.id]
    assert access.can_export_document(rw.carla, rw.sefaz, document)
    credentials.revoke(secret, rw.semad, by=rw.ana, credential=credential)
    db.session.commit()
    assert found(rw.carla, rw.sefaz, "zeppelin") == []  # a former holder finds nothing
    assert not access.can_export_document(rw.carla, rw.sefaz, document)


def test_restrito_content_follows_the_process_where_it_goes(db, rw):
    clear_index()
    document = documents.create_internal_document(rw.res, doc_type(rw.pm), by=rw.ana, unit=rw.semad)
    write(document, rw.semad, rw.ana, "Laudo do periquito")
    document.state = "signed"
    db.session.commit()
    assert found(rw.carla, rw.sefaz, "periquito") == []
    routing.send_process(rw.res, [rw.sefaz], by=rw.ana, from_unit=rw.semad)
    db.session.commit()
    assert found(rw.carla, rw.sefaz, "periquito") == [document.id]
