"""Signatures at the same moment (threads with their own connections, as gunicorn workers would)."""
import io
import threading

import pypdf
import pytest
from sqlalchemy import func, select

from app.models import Document, Rendition, Unit, User
from app.models.signature import DocumentFreeze, Signature
from app.services import signing
from app.services.storage import get_storage
from tests.signing_support import docworld, role_id, sign, signworld  # noqa: F401


def _run(app, db, jobs):
    errors = []

    def work(job):
        try:
            with app.test_request_context(method="POST"):   # SQLite: writers take the lock at BEGIN
                job(db.session)
                db.session.commit()
                db.session.remove()
        except Exception as error:  # noqa: BLE001
            errors.append(error)
    threads = [threading.Thread(target=work, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    db.session.rollback()
    return errors


def _signer(ids, login):
    def job(session):
        user = session.scalar(select(User).where(User.login == login))
        sign(session.get(Document, ids["doc"]), user, session.get(Unit, ids["semad"]))
    return job


def test_four_clerks_sign_at_once_and_the_last_pdf_has_every_footer(app, signworld, db, make):
    if db.engine.dialect.name == "sqlite" and ":memory:" in str(db.engine.url):
        pytest.skip("needs a file or server database")
    w = signworld
    make.user(w.pm, [w.semad], "caua", name="Cauã Dias")
    make.user(w.pm, [w.semad], "duda", name="Duda Reis")
    db.session.commit()
    ids = dict(doc=w.oficio.id, semad=w.semad.id)
    errors = _run(app, db, [_signer(ids, login) for login in ("ana", "admin", "caua", "duda")])
    assert not errors, errors
    doc = db.session.get(Document, ids["doc"])
    assert len(signing.valid_signatures(doc)) == 4
    assert db.session.scalar(select(func.count()).select_from(DocumentFreeze)) == 1     # frozen once
    assert db.session.scalar(select(func.count()).select_from(Rendition)) == 4
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(
        get_storage().read(signing.signed_pdf(doc)))).pages)
    assert " ".join(text.split()).count("Documento assinado eletronicamente por") == 4


def test_the_same_clerk_twice_at_once_signs_once(app, signworld, db):
    if db.engine.dialect.name == "sqlite" and ":memory:" in str(db.engine.url):
        pytest.skip("needs a file or server database")
    w = signworld
    ids = dict(doc=w.oficio.id, semad=w.semad.id)
    errors = _run(app, db, [_signer(ids, "ana"), _signer(ids, "ana")])
    assert len(errors) == 1 and "já assinou" in str(errors[0])
    assert db.session.scalar(select(func.count()).select_from(Signature)) == 1


def test_one_valid_signature_per_user_is_also_a_database_rule(signworld, db):
    from sqlalchemy.exc import IntegrityError
    w = signworld
    first = sign(w.oficio, w.ana, w.semad)
    twin = Signature(document_id=first.document_id, freeze_id=first.freeze_id, user_id=first.user_id,
                     unit_id=first.unit_id, name=first.name, role=first.role, legal_text=first.legal_text,
                     content_hash=first.content_hash, kind="assinatura", method="senha")
    db.session.add(twin)
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    assert role_id(w.semad)
