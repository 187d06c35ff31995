"""E-mail notifications through SMTP (configured by environment), sent by a background job.

A service calls `queue(...)` inside its transaction; the message is handed to the job only after
that transaction commits (a rolled-back send mails nobody). SMTP_HOST unset = e-mail disabled.
Settings: SMTP_HOST, SMTP_PORT (25), SMTP_USER, SMTP_PASSWORD, SMTP_STARTTLS (0/1), MAIL_FROM."""
import logging
import smtplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app
from sqlalchemy import event

from app.extensions import db
from app.jobs import job

log = logging.getLogger(__name__)
OUTBOX = "mail_outbox"


def enabled():
    return bool(current_app.config.get("SMTP_HOST"))


def settings():
    config = current_app.config
    return dict(host=config.get("SMTP_HOST"), port=int(config.get("SMTP_PORT") or 25),
                user=config.get("SMTP_USER") or None, password=config.get("SMTP_PASSWORD") or None,
                starttls=bool(config.get("SMTP_STARTTLS")),
                sender=config.get("MAIL_FROM") or "expediente@localhost")


def queue(to, subject, body):
    """Send after the current transaction commits (nothing is sent if it rolls back)."""
    to = [address for address in dict.fromkeys(to or []) if address]
    if to:
        db.session.info.setdefault(OUTBOX, []).append((to, subject, body))


def build_message(sender, to, subject, body):
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, ", ".join(to), subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "localhost")
    message.set_content(body)
    return message


def send_now(to, subject, body, config=None):
    """One SMTP conversation (STARTTLS and login when configured)."""
    config = config or settings()
    message = build_message(config["sender"], to, subject, body)
    with smtplib.SMTP(config["host"], config["port"], timeout=30) as smtp:
        if config["starttls"]:
            smtp.starttls()
        if config["user"]:
            smtp.login(config["user"], config["password"] or "")
        smtp.send_message(message)


@job(retries=3, retry_delay=60)
def deliver_mail(to, subject, body):
    """Background job: send one message (retried by the worker when the server is unreachable).
    The SMTP settings are read where the job runs, so no password goes into the job queue."""
    send_now(to, subject, body)
    return len(to)


def _after_commit(session):
    if session.in_nested_transaction():
        return
    outbox = session.info.pop(OUTBOX, None)
    if not outbox:
        return
    for to, subject, body in outbox:
        try:
            deliver_mail(to, subject, body)
        except Exception:  # noqa: BLE001 - a mail failure never breaks the committed action
            log.exception("could not send or enqueue the e-mail to %s", to)


def _after_rollback(session, previous):
    if not previous.nested:
        session.info.pop(OUTBOX, None)


_installed = []


def init_hooks():
    """Listen on the scoped session once per process."""
    if not _installed:
        _installed.append(True)
        event.listen(db.session, "after_commit", _after_commit)
        event.listen(db.session, "after_soft_rollback", _after_rollback)
