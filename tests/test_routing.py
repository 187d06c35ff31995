"""Enviar, receber, Concluir, Reabrir, Retorno Programado, business days and the e-mail notification."""
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.models import HistoryEntry, ProcessUnit, ScheduledReturn
from app.services import business_days, history, processes, routing, unit_tools
from app.services.errors import DomainError, Duplicate, InvalidInput
from app.services.movement import StaleForm
from tests.process_factory import make_process
from tests.routing_support import rw, smtp_server  # noqa: F401  (fixtures)


def rows(db, process):
    return {r.unit.sigla: r for r in db.session.scalars(select(ProcessUnit).where(ProcessUnit.process_id == process.id))}


def texts(db, process):
    return [history.describe(e) for e in db.session.scalars(select(HistoryEntry).where(
        HistoryEntry.process_id == process.id, HistoryEntry.unit_only.is_(False)).order_by(HistoryEntry.id))]


def count_history(db, process):
    return db.session.scalar(select(func.count()).select_from(HistoryEntry).where(HistoryEntry.process_id == process.id))


def next_business_day(db, org, start=None):
    return business_days.add_business_days(org, start or processes.today(), 1)


def test_send_opens_unread_in_each_destination_and_closes_here(db, rw):
    routing.send_process(rw.pub, [rw.dcc, rw.sefaz], by=rw.ana, from_unit=rw.semad)
    found = rows(db, rw.pub)
    assert found["SEMAD"].closed_at is not None
    for sigla in ("DCC", "SEFAZ"):
        row = found[sigla]
        assert row.closed_at is None and row.origin == "received" and row.seen_at is None
        assert row.assigned_to_id is None
    assert texts(db, rw.pub)[-2:] == ["Processo remetido pela unidade SEMAD"] * 2
    assert processes.mark_received(rw.pub, rw.dcc, by=rw.bruno)
    assert not processes.mark_received(rw.pub, rw.dcc, by=rw.bruno)  # once
    assert texts(db, rw.pub)[-1] == "Processo recebido na unidade"


def test_keep_open_and_remove_note(db, rw):
    unit_tools.set_note(rw.pub, rw.semad, by=rw.ana, text="Conferir valores")
    routing.send_process(rw.pub, [rw.dcc], by=rw.ana, from_unit=rw.semad, keep_open=True, remove_note=True)
    semad = rows(db, rw.pub)["SEMAD"]
    assert semad.closed_at is None and semad.note is None


def test_note_comes_back_when_the_process_returns(db, rw):
    unit_tools.set_note(rw.pub, rw.semad, by=rw.ana, text="Conferir valores")
    routing.send_process(rw.pub, [rw.dcc], by=rw.ana, from_unit=rw.semad)
    routing.send_process(rw.pub, [rw.semad], by=rw.bruno, from_unit=rw.dcc)
    semad = rows(db, rw.pub)["SEMAD"]
    assert semad.closed_at is None and semad.note == "Conferir valores" and semad.seen_at is None
    assert db.session.scalar(select(func.count()).select_from(ProcessUnit).where(
        ProcessUnit.process_id == rw.pub.id, ProcessUnit.unit_id == rw.semad.id)) == 1


@pytest.mark.parametrize("case, message", [
    ("none", "Escolha pelo menos uma unidade de destino."),
    ("self", "O processo já está nesta unidade"),
    ("inactive", "está inativa"),
    ("other_org", "outro órgão"),
    ("already_open", "já está aberto na unidade"),
    ("not_open_here", "não está aberto na unidade"),
])
def test_bad_sends_change_nothing(db, rw, case, message):
    from app.services import orgs
    if case == "inactive":
        orgs.update_unit(rw.sefaz, by=rw.admin, sigla="SEFAZ", name=rw.sefaz.name, parent=None, protocol_code=None,
                         email=None, active=False)
    if case == "already_open":
        routing.send_process(rw.pub, [rw.dcc], by=rw.ana, from_unit=rw.semad, keep_open=True)
    db.session.commit()
    targets = {"none": [], "self": [rw.semad], "inactive": [rw.sefaz], "other_org": [rw.presi],
               "already_open": [rw.dcc], "not_open_here": [rw.sefaz]}[case]
    sender = (rw.gab, rw.ana) if case == "not_open_here" else (rw.semad, rw.ana)
    before = count_history(db, rw.pub)
    with pytest.raises(DomainError) as error:
        routing.send_process(rw.pub, targets, by=sender[1], from_unit=sender[0])
    assert message in error.value.message
    db.session.rollback()
    assert count_history(db, rw.pub) == before


def test_cross_org_routing_needs_both_organizations(db, rw):
    with pytest.raises(InvalidInput):
        routing.send_process(rw.pub, [rw.presi], by=rw.ana, from_unit=rw.semad)
    db.session.rollback()
    rw.pm.allow_cross_org_routing = True
    assert rw.presi not in routing.find_destinations(rw.semad, "PRESI")
    rw.cm.allow_cross_org_routing = True
    db.session.commit()
    assert rw.presi in routing.find_destinations(rw.semad, "presi")
    routing.send_process(rw.pub, [rw.presi], by=rw.ana, from_unit=rw.semad)
    assert texts(db, rw.pub)[-1] == "Processo remetido pela unidade SEMAD (PM)"
    from app.services import access
    assert access.can_read_process(rw.caio, rw.presi, rw.pub)


def test_finder_by_sigla_or_name_without_accents(db, rw):
    assert [u.sigla for u in routing.find_destinations(rw.semad, "fazenda")] == ["SEFAZ"]
    assert [u.sigla for u in routing.find_destinations(rw.semad, "compras")] == ["DCC"]
    assert rw.semad not in routing.find_destinations(rw.semad, "SEMAD")
    assert [u.sigla for u in routing.find_destinations(rw.semad, "gabinete")] == ["GAB"]
    assert routing.find_destinations(rw.semad, "  ") == []


def test_version_refuses_a_stale_form_and_names_a_double_submit(db, rw):
    version = rw.pub.version
    routing.send_process(rw.pub, [rw.dcc], by=rw.ana, from_unit=rw.semad, keep_open=True, version=version)
    db.session.commit()
    before = count_history(db, rw.pub)
    with pytest.raises(Duplicate, match="Este envio já foi feito"):
        routing.send_process(rw.pub, [rw.dcc], by=rw.ana, from_unit=rw.semad, keep_open=True, version=version)
    db.session.rollback()
    with pytest.raises(StaleForm, match="foi movimentado depois"):
        routing.send_process(rw.pub, [rw.sefaz], by=rw.ana, from_unit=rw.semad, version=version)
    db.session.rollback()
    assert count_history(db, rw.pub) == before


def test_conclude_and_reopen(db, rw):
    routing.send_process(rw.pub, [rw.dcc], by=rw.ana, from_unit=rw.semad)
    routing.conclude(rw.pub, rw.dcc, by=rw.bruno)
    db.session.commit()
    assert all(r.closed_at is not None for r in rows(db, rw.pub).values())
    with pytest.raises(DomainError, match="não está aberto"):
        routing.conclude(rw.pub, rw.dcc, by=rw.bruno)
    db.session.rollback()
    with pytest.raises(DomainError, match="nunca esteve"):
        routing.reopen(rw.pub, rw.sefaz, by=rw.carla)
    db.session.rollback()
    routing.reopen(rw.pub, rw.semad, by=rw.dora)
    db.session.commit()
    semad = rows(db, rw.pub)["SEMAD"]
    assert semad.closed_at is None and semad.assigned_to_id == rw.dora.id and semad.seen_at is not None
    with pytest.raises(InvalidInput, match="já está aberto"):
        routing.reopen(rw.pub, rw.semad, by=rw.dora)
    db.session.rollback()
    assert texts(db, rw.pub)[-2:] == ["Conclusão do processo na unidade", "Reabertura do processo na unidade"]


def test_programmed_return(db, rw):
    due = business_days.add_business_days(rw.pm, processes.today(), 5)
    routing.send_process(rw.pub, [rw.dcc], by=rw.ana, from_unit=rw.semad, return_due=due)
    db.session.commit()
    dcc = rows(db, rw.pub)["DCC"]
    assert dcc.return_due == due
    waiting, _ = routing.returns_page(rw.semad, awaiting=True)
    owing, _ = routing.returns_page(rw.dcc, awaiting=False)
    assert [(r.process_id, r.due) for r in waiting] == [(rw.pub.id, due)] == [(r.process_id, r.due) for r in owing]
    with pytest.raises(InvalidInput, match="deve devolver o processo à unidade SEMAD"):
        routing.conclude(rw.pub, rw.dcc, by=rw.bruno)
    db.session.rollback()
    with pytest.raises(InvalidInput, match="inclua SEMAD entre os destinos"):
        routing.send_process(rw.pub, [rw.sefaz], by=rw.bruno, from_unit=rw.dcc)
    db.session.rollback()
    routing.send_process(rw.pub, [rw.sefaz], by=rw.bruno, from_unit=rw.dcc, keep_open=True)  # allowed
    routing.send_process(rw.pub, [rw.semad], by=rw.bruno, from_unit=rw.dcc)
    assert routing.returns_page(rw.semad, awaiting=True)[0] == []
    assert rows(db, rw.pub)["DCC"].closed_at is not None
    assert texts(db, rw.pub)[-1] == "Processo remetido pela unidade DCC/SEMAD (retorno programado atendido)"
    assert db.session.scalar(select(ScheduledReturn.returned_at)) is not None


def test_return_date_rules(db, rw):
    today = processes.today()
    with pytest.raises(InvalidInput, match="posterior a hoje"):
        routing.check_return_due(rw.pm, today)
    saturday = today + timedelta(days=(5 - today.weekday()) % 7 or 7)
    with pytest.raises(InvalidInput, match="não é dia útil \\(sábado\\)"):
        routing.check_return_due(rw.pm, saturday)
    monday = saturday + timedelta(days=2)
    business_days.add_holiday(rw.pm, by=rw.admin, day=monday, name="Aniversário da cidade")
    with pytest.raises(InvalidInput, match="feriado: Aniversário da cidade"):
        routing.check_return_due(rw.pm, monday)
    with pytest.raises(InvalidInput, match="não os dois"):
        routing.return_due_from(rw.pm, on=monday, business_days_count=2)


def test_business_days_skip_weekends_and_holidays(db, rw):
    friday = date(2026, 12, 18)
    assert business_days.add_business_days(rw.pm, friday, 1) == date(2026, 12, 21)
    business_days.add_holiday(rw.pm, by=rw.admin, day=date(2026, 12, 21), name="Feriado municipal")
    business_days.add_national_holidays(rw.pm, by=rw.admin, year=2026)
    assert business_days.add_business_days(rw.pm, friday, 1) == date(2026, 12, 22)
    assert business_days.add_business_days(rw.pm, friday, 5) == date(2026, 12, 29)  # skips Christmas
    assert business_days.add_business_days(rw.cm, friday, 1) == date(2026, 12, 21)  # another órgão's holidays
    with pytest.raises(Duplicate):
        business_days.add_holiday(rw.pm, by=rw.admin, day=date(2026, 12, 25), name="Outro")
    with pytest.raises(InvalidInput):
        business_days.add_business_days(rw.pm, friday, 0)


def test_send_locks_the_senders_documents(db, rw):
    from app.models import Document
    from tests.documents_support import doc_type
    from app.services import documents
    document = documents.create_internal_document(rw.pub, doc_type(rw.pm), by=rw.ana, unit=rw.semad)
    document.state = "signed"
    db.session.flush()
    routing.send_process(rw.pub, [rw.dcc], by=rw.ana, from_unit=rw.semad)
    db.session.expire_all()
    assert db.session.get(Document, document.id).locked_at is not None


def test_suspended_or_sigiloso_are_not_sent(db, rw):
    from app.services import process_actions
    secret = make_process(rw.semad, rw.ana, level="sigiloso")
    with pytest.raises(InvalidInput, match="conceda credencial"):
        routing.send_process(secret, [rw.dcc], by=rw.ana, from_unit=rw.semad)
    db.session.rollback()
    process_actions.suspend(rw.pub, rw.semad, by=rw.ana, reason="Aguardando parecer")
    db.session.commit()
    with pytest.raises(InvalidInput, match="sobrestado"):
        routing.send_process(rw.pub, [rw.dcc], by=rw.ana, from_unit=rw.semad)


def test_batch_send_and_conclude_all_or_nothing(db, rw):
    other = make_process(rw.gab, rw.ana)
    with pytest.raises(DomainError, match="não estão abertos"):
        routing.send_batch(rw.semad, by=rw.ana, process_ids=[rw.pub.id, other.id], to_units=[rw.dcc])
    db.session.rollback()
    assert routing.send_batch(rw.semad, by=rw.ana, process_ids=[rw.pub.id, rw.res.id], to_units=[rw.dcc]) == 2
    assert unit_tools.apply_batch(rw.dcc, by=rw.bruno, process_ids=[rw.pub.id, rw.res.id], action="conclude") == 2
    assert all(r.closed_at is not None for r in rows(db, rw.res).values())


def test_notification_mail_is_sent_after_commit(app, db, rw, smtp_server):
    routing.send_process(rw.pub, [rw.sefaz, rw.dcc], by=rw.ana, from_unit=rw.semad, notify=True)
    assert smtp_server.messages == []  # nothing before the commit
    db.session.commit()
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["To"] == "sefaz@exemplo.gov.br"
    assert rw.pub.number in message["Subject"]
    body = message.get_content()
    assert "SEMAD" in body and "SEFAZ" in body and "Compra de papel" not in body  # no especificação by e-mail


def test_notification_needs_an_address_and_smtp(app, db, rw, smtp_server, monkeypatch):
    with pytest.raises(InvalidInput, match="Nenhuma das unidades de destino tem e-mail"):
        routing.send_process(rw.pub, [rw.dcc], by=rw.ana, from_unit=rw.semad, notify=True)
    db.session.rollback()
    monkeypatch.setitem(app.config, "SMTP_HOST", None)
    with pytest.raises(InvalidInput, match="não está configurado"):
        routing.send_process(rw.pub, [rw.sefaz], by=rw.ana, from_unit=rw.semad, notify=True)
    db.session.rollback()
    db.session.commit()
    assert smtp_server.messages == []


def test_a_new_organization_starts_with_the_national_holidays(db, rw):
    year = processes.today().year
    names = {h.day: h.name for h in business_days.holidays(rw.pm, year)}
    assert names[date(year, 12, 25)] == "Natal" and names[date(year, 4, 21)] == "Tiradentes"
    assert business_days.holidays(rw.pm, year + 1)
