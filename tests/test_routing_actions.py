"""Sobrestar, Anexar, Relacionar, Dar Ciência, Atualizar Andamento, Excluir, and the Sigiloso credentials
(Conceder, Cassar, Renunciar) with the level rules, at the service level."""
import pytest
from sqlalchemy import func, select

from app.models import Credential, HistoryEntry, Process, ProcessUnit
from app.services import access, catalog, credentials, history, process_actions, processes, relations, routing
from app.services.errors import DomainError, Duplicate, Forbidden, InvalidInput, NotFound
from tests.documents_support import doc_type
from tests.process_factory import make_process
from tests.routing_support import rw  # noqa: F401  (fixture)


def last_text(db, process):
    entry = db.session.scalar(select(HistoryEntry).where(HistoryEntry.process_id == process.id,
                                                         HistoryEntry.unit_only.is_(False))
                              .order_by(HistoryEntry.id.desc()).limit(1))
    return history.describe(entry)


def open_units(db, process):
    db.session.expire_all()
    return sorted(u.sigla for u in processes.open_units(process))


def basis(org, level):
    return next(b for b in catalog.legal_bases(org) if b.level == level)


def set_level(process, unit, user, level):
    return processes.update_process(process, unit, by=user, process_type=process.type,
                                    specification=process.specification, interested="", access_level=level,
                                    legal_basis=None if level == "publico" else basis(unit.organization, level))


# --- Sobrestar ---------------------------------------------------------------------------------

def test_suspend_only_when_open_here_alone(db, rw):
    routing.send_process(rw.pub, [rw.dcc], by=rw.ana, from_unit=rw.semad, keep_open=True)
    db.session.commit()
    with pytest.raises(InvalidInput, match="também está aberto em: DCC"):
        process_actions.suspend(rw.pub, rw.semad, by=rw.ana, reason="Aguardando")
    db.session.rollback()
    routing.conclude(rw.pub, rw.dcc, by=rw.bruno)
    db.session.commit()
    with pytest.raises(InvalidInput, match="Informe o motivo"):
        process_actions.suspend(rw.pub, rw.semad, by=rw.ana, reason="  ")
    db.session.rollback()
    process_actions.suspend(rw.pub, rw.semad, by=rw.ana, reason="Aguardando parecer jurídico", tied_to=rw.res)
    assert last_text(db, rw.pub) == f"Processo sobrestado. Motivo: Aguardando parecer jurídico (vinculado ao processo {rw.res.number})"
    rows, _, reasons = process_actions.suspended_page(rw.ana, rw.semad)
    assert [r.process_id for r in rows] == [rw.pub.id] and reasons[rw.pub.id].params["reason"].startswith("Aguardando")
    from app.services.inbox import InboxFilters, inbox_page
    assert rw.pub.id not in [r.process_id for r in inbox_page(rw.ana, rw.semad, InboxFilters()).rows]
    with pytest.raises(InvalidInput, match="sobrestado"):
        routing.conclude(rw.pub, rw.semad, by=rw.ana)
    db.session.rollback()


def test_unsuspend_returns_to_the_inbox(db, rw):
    process_actions.suspend(rw.pub, rw.semad, by=rw.ana, reason="Aguardando")
    process_actions.unsuspend(rw.pub, rw.semad, by=rw.ana)
    assert rw.pub.state == "open" and last_text(db, rw.pub) == "Removido o sobrestamento do processo"
    with pytest.raises(InvalidInput, match="não está sobrestado"):
        process_actions.unsuspend(rw.pub, rw.semad, by=rw.ana)


# --- Anexar ------------------------------------------------------------------------------------

def test_annex_rules(db, rw):
    main, other = rw.pub, rw.res
    with pytest.raises(InvalidInput, match="ele mesmo"):
        relations.annex(main, rw.semad, by=rw.ana, annexed=main)
    db.session.rollback()
    routing.send_process(other, [rw.dcc], by=rw.ana, from_unit=rw.semad, keep_open=True)
    db.session.commit()
    with pytest.raises(InvalidInput, match="aberto apenas nesta unidade"):
        relations.annex(main, rw.semad, by=rw.ana, annexed=other)
    db.session.rollback()
    routing.conclude(other, rw.dcc, by=rw.bruno)
    db.session.commit()
    relations.annex(main, rw.semad, by=rw.ana, annexed=other)
    db.session.commit()
    assert other.state == "annexed" and other.annexed_to_id == main.id and open_units(db, other) == []
    assert main.access_level == "restrito"  # the main process takes the annexed one's higher level
    assert last_text(db, other) == f"Processo anexado ao processo {main.number}"
    assert f"Anexado o processo {other.number}" in [history.describe(e) for e in history.entries_for(main, rw.semad)]
    assert relations.annexes_of(main) == [other]
    third = make_process(rw.semad, rw.ana)
    db.session.commit()
    with pytest.raises(InvalidInput, match="já está anexado"):
        relations.annex(third, rw.semad, by=rw.ana, annexed=other)
    db.session.rollback()
    with pytest.raises(InvalidInput, match="já está anexado a outro processo: anexe ao processo principal"):
        relations.annex(other, rw.semad, by=rw.ana, annexed=third)
    db.session.rollback()
    with pytest.raises(InvalidInput, match="tem processos anexados"):
        relations.annex(third, rw.semad, by=rw.ana, annexed=main)
    db.session.rollback()
    for action in (lambda: routing.send_process(other, [rw.dcc], by=rw.ana, from_unit=rw.semad),
                   lambda: routing.reopen(other, rw.semad, by=rw.ana)):
        with pytest.raises(DomainError, match="anexado|não está aberto"):
            action()
        db.session.rollback()
    # units where the main process goes read the annexed one too
    routing.send_process(main, [rw.sefaz], by=rw.ana, from_unit=rw.semad)
    db.session.commit()
    assert access.can_read_process(rw.carla, rw.sefaz, other)


def test_sigiloso_is_never_annexed(db, rw):
    secret = make_process(rw.semad, rw.ana, level="sigiloso")
    db.session.commit()
    with pytest.raises(InvalidInput, match="sigilosos"):
        relations.annex(rw.pub, rw.semad, by=rw.ana, annexed=secret)


# --- Relacionar --------------------------------------------------------------------------------

def test_relate_both_ways_and_undo(db, rw):
    relations.relate(rw.pub, rw.semad, by=rw.ana, other=rw.res)
    db.session.commit()
    assert relations.related_of(rw.res, rw.ana, rw.semad) == [rw.pub]
    assert last_text(db, rw.res) == f"Relacionamento com o processo {rw.pub.number}"
    with pytest.raises(Duplicate):
        relations.relate(rw.res, rw.semad, by=rw.ana, other=rw.pub)
    db.session.rollback()
    relations.unrelate(rw.res, rw.semad, by=rw.ana, other=rw.pub)
    assert relations.related_of(rw.pub, rw.ana, rw.semad) == []
    assert last_text(db, rw.pub) == f"Removido o relacionamento com o processo {rw.res.number}"
    with pytest.raises(InvalidInput, match="ele mesmo"):
        relations.relate(rw.pub, rw.semad, by=rw.ana, other=rw.pub)


def test_related_sigiloso_stays_hidden(db, rw):
    secret = make_process(rw.semad, rw.ana, level="sigiloso")
    relations.relate(rw.pub, rw.semad, by=rw.ana, other=secret)
    assert relations.related_of(rw.pub, rw.ana, rw.semad) == [secret]
    assert relations.related_of(rw.pub, rw.dora, rw.semad) == []  # dora has no credential
    with pytest.raises(InvalidInput, match="Nenhum processo"):
        relations.find_process(rw.dora, rw.semad, secret.number)


# --- Ciência, Atualizar Andamento, Excluir -------------------------------------------------------

def test_acknowledge_process_and_document_once(db, rw):
    from app.services import documents
    process_actions.acknowledge(rw.pub, rw.semad, by=rw.ana)
    db.session.commit()
    with pytest.raises(Duplicate, match="já deu ciência neste processo"):
        process_actions.acknowledge(rw.pub, rw.semad, by=rw.ana)
    db.session.rollback()
    process_actions.acknowledge(rw.pub, rw.semad, by=rw.dora)
    draft = documents.create_internal_document(rw.pub, doc_type(rw.pm), by=rw.ana, unit=rw.semad)
    db.session.commit()
    with pytest.raises(InvalidInput, match="minuta"):
        process_actions.acknowledge(rw.pub, rw.semad, by=rw.ana, document=draft)
    db.session.rollback()
    draft = documents.create_internal_document(rw.pub, doc_type(rw.pm), by=rw.ana, unit=rw.semad)
    draft.state = "signed"
    process_actions.acknowledge(rw.pub, rw.semad, by=rw.ana, document=draft)
    assert last_text(db, rw.pub) == f"Ciência no documento {draft.sei} ({draft.title}) por Ana Souza"
    assert len(process_actions.acknowledgements(rw.pub)) == 3


def test_progress_update(db, rw):
    process_actions.update_progress(rw.pub, rw.semad, by=rw.ana, text="Aguardando documentos do requerente")
    assert last_text(db, rw.pub) == "Aguardando documentos do requerente"
    with pytest.raises(InvalidInput, match="no máximo 1000"):
        process_actions.update_progress(rw.pub, rw.semad, by=rw.ana, text="x" * 1001)
    with pytest.raises(Forbidden):
        process_actions.update_progress(rw.pub, rw.dcc, by=rw.bruno, text="Fora")


def test_delete_rules(db, rw):
    assert process_actions.deletion_refusal(rw.pub, rw.gab) == "Só a unidade que gerou o processo pode excluí-lo."
    from app.services import documents
    documents.create_internal_document(rw.res, doc_type(rw.pm), by=rw.ana, unit=rw.semad)
    db.session.commit()
    with pytest.raises(InvalidInput, match="tem documentos"):
        process_actions.delete_process(rw.res, rw.semad, by=rw.ana)
    db.session.rollback()
    number, pid = rw.pub.number, rw.pub.id
    relations.relate(rw.pub, rw.semad, by=rw.ana, other=rw.res)
    process_actions.delete_process(rw.pub, rw.semad, by=rw.ana)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Process).where(Process.id == pid)) == 0
    assert db.session.scalar(select(func.count()).select_from(HistoryEntry).where(HistoryEntry.process_id == pid)) == 0
    from app.models import AuditEntry
    assert db.session.scalar(select(AuditEntry.params).where(AuditEntry.kind == "process_deleted"))["number"] == number
    fresh = make_process(rw.semad, rw.ana)
    assert fresh.number != number  # never reused


# --- Credenciais (Sigiloso) ----------------------------------------------------------------------

def test_sigiloso_starts_with_its_author_only(db, rw):
    secret = make_process(rw.semad, rw.ana, level="sigiloso")
    assert access.can_read_process(rw.ana, rw.semad, secret)
    assert not access.can_view_process(rw.dora, rw.semad, secret)  # same unit, no credential
    assert not access.can_view_process(rw.ana, rw.gab, secret)  # ana's credential is for SEMAD
    from app.services.inbox import InboxFilters, inbox_counts, inbox_page
    assert secret.id in [r.process_id for r in inbox_page(rw.ana, rw.semad, InboxFilters()).rows]
    assert secret.id not in [r.process_id for r in inbox_page(rw.dora, rw.semad, InboxFilters()).rows]
    assert inbox_counts(rw.ana, rw.semad)["generated"] == inbox_counts(rw.dora, rw.semad)["generated"] + 1


def test_grant_revoke_renounce(db, rw):
    secret = make_process(rw.semad, rw.ana, level="sigiloso")
    db.session.commit()
    with pytest.raises(InvalidInput, match="não trabalha na unidade"):
        credentials.grant(secret, rw.semad, by=rw.ana, user=rw.bruno, to_unit=rw.sefaz)
    db.session.rollback()
    credential = credentials.grant(secret, rw.semad, by=rw.ana, user=rw.bruno, to_unit=rw.dcc)
    db.session.commit()
    assert open_units(db, secret) == ["DCC", "SEMAD"]
    assert last_text(db, secret) == "Concedida credencial de acesso para Bruno Lima na unidade DCC"
    assert access.can_read_process(rw.bruno, rw.dcc, secret)
    listed, _ = credentials.credentials_of(rw.bruno)
    assert [c.process_id for c in listed] == [secret.id]
    with pytest.raises(Duplicate):
        credentials.grant(secret, rw.semad, by=rw.ana, user=rw.bruno, to_unit=rw.dcc)
    db.session.rollback()
    with pytest.raises(NotFound):  # dora (same unit) holds no credential: she cannot grant
        credentials.grant(secret, rw.semad, by=rw.dora, user=rw.carla, to_unit=rw.sefaz)
    db.session.rollback()
    with pytest.raises(InvalidInput, match="Renunciar"):
        credentials.revoke(secret, rw.semad, by=rw.ana, credential=credentials.active_credentials(secret)[0])
    db.session.rollback()
    with pytest.raises(Forbidden, match="Só a unidade que concedeu"):  # bruno holds one in DCC, granted by SEMAD
        credentials.revoke(secret, rw.dcc, by=rw.bruno, credential=credentials.active_credentials(secret)[0])
    db.session.rollback()
    credentials.revoke(secret, rw.semad, by=rw.ana, credential=credential)
    db.session.commit()
    assert open_units(db, secret) == ["SEMAD"] and not access.can_view_process(rw.bruno, rw.dcc, secret)
    assert last_text(db, secret) == "Cassada a credencial de acesso de Bruno Lima na unidade DCC"
    with pytest.raises(InvalidInput, match="único usuário com credencial"):
        credentials.renounce(secret, rw.semad, by=rw.ana)
    db.session.rollback()
    credentials.grant(secret, rw.semad, by=rw.ana, user=rw.dora, to_unit=rw.semad)
    db.session.commit()
    credentials.renounce(secret, rw.semad, by=rw.ana)
    db.session.commit()
    assert not access.can_view_process(rw.ana, rw.semad, secret) and access.can_view_process(rw.dora, rw.semad, secret)
    assert open_units(db, secret) == ["SEMAD"]  # dora still holds one here


def test_level_changes(db, rw):
    routing.send_process(rw.pub, [rw.dcc], by=rw.ana, from_unit=rw.semad, keep_open=True)
    db.session.commit()
    with pytest.raises(InvalidInput, match="aberto apenas nesta unidade"):
        set_level(rw.pub, rw.semad, rw.ana, "sigiloso")
    db.session.rollback()
    routing.conclude(rw.pub, rw.dcc, by=rw.bruno)
    db.session.commit()
    set_level(rw.pub, rw.semad, rw.ana, "sigiloso")
    db.session.commit()
    assert access.can_view_process(rw.ana, rw.semad, rw.pub) and not access.can_view_process(rw.bruno, rw.dcc, rw.pub)
    assert all(r.sigiloso for r in db.session.scalars(select(ProcessUnit).where(ProcessUnit.process_id == rw.pub.id)))
    credentials.grant(rw.pub, rw.semad, by=rw.ana, user=rw.carla, to_unit=rw.sefaz)
    set_level(rw.pub, rw.semad, rw.ana, "restrito")
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Credential).where(
        Credential.process_id == rw.pub.id, Credential.ended_at.is_(None))) == 0
    texts = [history.describe(e) for e in history.entries_for(rw.pub, rw.semad)]
    assert any(t.startswith("Alterado nível de acesso de Sigiloso para Restrito") and
               t.endswith("2 credenciais de acesso encerradas") for t in texts), texts
    assert access.can_read_process(rw.bruno, rw.dcc, rw.pub)  # DCC is a unit where it has been


def test_process_takes_the_highest_level_of_its_documents(db, rw):
    from app.services import documents
    documents.create_internal_document(rw.pub, doc_type(rw.pm), by=rw.ana, unit=rw.semad, access_level="restrito",
                                       legal_basis_id=basis(rw.pm, "restrito").id)
    assert rw.pub.access_level == "restrito"
    db.session.commit()
    with pytest.raises(InvalidInput, match="não pode ser menor que Restrito"):
        set_level(rw.pub, rw.semad, rw.ana, "publico")
    db.session.rollback()
    routing.send_process(rw.res, [rw.dcc], by=rw.ana, from_unit=rw.semad, keep_open=True)
    db.session.commit()
    with pytest.raises(InvalidInput, match="aberto apenas nesta unidade"):  # a sigiloso document, open elsewhere
        documents.create_internal_document(rw.res, doc_type(rw.pm), by=rw.ana, unit=rw.semad,
                                           access_level="sigiloso", legal_basis_id=basis(rw.pm, "sigiloso").id)
    db.session.rollback()
    secret_doc = documents.create_internal_document(rw.pub, doc_type(rw.pm), by=rw.ana, unit=rw.semad,
                                                    access_level="sigiloso",
                                                    legal_basis_id=basis(rw.pm, "sigiloso").id)
    db.session.commit()
    assert rw.pub.access_level == "sigiloso" and access.has_credential(rw.ana, rw.semad, rw.pub)
    assert access.can_view_document(rw.ana, rw.semad, secret_doc)
    assert not access.can_view_process(rw.dora, rw.semad, rw.pub)
