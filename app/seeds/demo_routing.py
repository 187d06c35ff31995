"""Demo routing for `flask seed-demo` (idempotent): a process that travelled with a Retorno Programado,
one sobrestado, and a Sigiloso one with a second credential. Each step runs only if not done yet."""
from sqlalchemy import select

from app.extensions import db
from app.models import HistoryEntry, Process
from app.services import business_days, catalog, credentials, orgs, process_actions, processes, routing, users


def _process(token):
    return db.session.scalar(select(Process).where(Process.creation_token == token))


def _has(process, kind):
    return db.session.scalar(select(HistoryEntry.id).where(HistoryEntry.process_id == process.id,
                                                           HistoryEntry.kind == kind).limit(1)) is not None


def seed():
    org = orgs.find_org("PMEX")
    if org is None:
        return
    unit = lambda sigla: orgs.find_unit(org, sigla)  # noqa: E731
    pregao = _process("demo-processo-005")  # DCC: Aquisição de material de expediente 2026
    if pregao is not None and not _has(pregao, "process_sent"):
        due = business_days.add_business_days(org, processes.today(), 5)
        routing.send_process(pregao, [unit("SEFAZ")], by=users.find_user("bruno"), from_unit=unit("DCC"),
                             keep_open=True, return_due=due)
    tfd = _process("demo-processo-011")  # SMS: TFD para consulta em Belo Horizonte
    if tfd is not None and tfd.state == "open" and not _has(tfd, "process_suspended"):
        process_actions.suspend(tfd, unit("SMS"), by=users.find_user("elisa"),
                                reason="Aguardando o agendamento da consulta em Belo Horizonte")
    token = "demo-roteamento-sigiloso-1"
    if _process(token) is None:
        basis = next(b for b in catalog.legal_bases(org) if b.level == "sigiloso")
        secret = processes.create_process(
            unit("GAB"), by=users.find_user("gabriela"), process_type=catalog.find_type(org, "Pessoal: Processo Administrativo Disciplinar"),
            specification="Sindicância sobre denúncia anônima", access_level="sigiloso", legal_basis=basis, token=token)
        credentials.grant(secret, unit("GAB"), by=users.find_user("gabriela"), user=users.find_user("ana"),
                          to_unit=unit("GAB"))
    db.session.flush()
