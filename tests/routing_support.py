"""The other órgão's (CM) routing objects named by the route-access PARAMS: a second process, a
credential of a sigiloso process and a feriado."""
from datetime import date

from app.services import business_days, relations
from tests.process_factory import cm_objects, make_process


def cm_routing(w, db):
    """Created once per world, on top of cm_objects."""
    cm_objects(w, db)
    if getattr(w, "cm_other", None) is None:
        w.cm_other = make_process(w.presi, w.caio, specification="Outro processo da Câmara")
        relations.relate(w.cm_process, w.presi, by=w.caio, other=w.cm_other)
        w.cm_secret = make_process(w.presi, w.caio, specification="Sigiloso da Câmara", level="sigiloso")
        from app.services.credentials import active_credentials
        w.cm_credential = active_credentials(w.cm_secret)[0]
        w.cm_holiday = business_days.add_holiday(w.cm, by=w.cadmin, day=date(2026, 3, 19), name="Aniversário da cidade")
        db.session.commit()
    return w


import pytest  # noqa: E402


@pytest.fixture
def rw(world, make, db):
    """`world` plus SEMAD's DCC (user bruno), SEFAZ (carla, with e-mail) and dora in SEMAD; a público, a
    restrito process of SEMAD (by ana)."""
    w = world
    w.dcc = make.unit(w.pm, "DCC", name="Departamento de Compras e Contratos", parent=w.semad)
    w.sefaz = make.unit(w.pm, "SEFAZ", name="Secretaria Municipal de Fazenda", email="sefaz@exemplo.gov.br")
    w.bruno = make.user(w.pm, [w.dcc], "bruno", name="Bruno Lima")
    w.carla = make.user(w.pm, [w.sefaz], "carla", name="Carla Mendes")
    w.dora = make.user(w.pm, [w.semad], "dora", name="Dora Reis")
    w.pub = make_process(w.semad, w.ana, specification="Compra de papel")
    w.res = make_process(w.semad, w.ana, specification="Licença médica", level="restrito")
    db.session.commit()
    return w


def _free_port():
    import socket
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def local_smtp(app, monkeypatch):
    """A real local SMTP server (aiosmtpd); the app is configured to send to it. `.messages` are parsed.
    A generator: the fixtures below (and the browser tests' one) yield from it."""
    from email import message_from_bytes, policy

    from aiosmtpd.controller import Controller

    class Inbox:
        def __init__(self):
            self.messages, self.envelopes = [], []

        async def handle_DATA(self, server, session, envelope):
            self.envelopes.append(envelope)
            self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
            return "250 Message accepted"

    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", port)
    monkeypatch.setitem(app.config, "MAIL_FROM", "expediente@exemplo.gov.br")
    yield inbox
    controller.stop()


@pytest.fixture
def smtp_server(app, monkeypatch):
    yield from local_smtp(app, monkeypatch)
