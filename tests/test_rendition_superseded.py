"""An edit before the lock supersedes the signed PDFs (rows kept, bytes untouched); nothing serves them as
current, and /conferir recognises an old copy and says which one is in force."""
import csv
import hashlib
import importlib.util
import io
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from app.extensions import db as database
from app.models import Document, HistoryEntry, Rendition
from app.models.signature import Signature
from app.services import documents, export, signing, verification
from app.services.storage import get_storage
from tests.conftest import csrf_from
from tests.signing_support import docworld, sign, signworld  # noqa: F401

MIGRATION = Path(__file__).parents[1] / "migrations/versions/20261129_0012_rendition_superseded.py"


def _edit(document, user, unit, html="<p>Texto corrigido depois de assinado.</p>"):
    documents.save_version(document, html, by=user, unit=unit, base_version=document.current_version)
    return document.current_version


def _renditions(document):
    return database.session.scalars(select(Rendition).where(Rendition.document_id == document.id)
                                    .order_by(Rendition.id)).all()


@pytest.fixture
def edited(signworld, db):
    """The ofício signed twice (two renditions), then edited by SEMAD: both superseded, a minuta again."""
    w = signworld
    sign(w.oficio, w.ana, w.semad)
    sign(w.oficio, w.admin, w.semad)
    w.old_shas = [r.blob_sha256 for r in _renditions(w.oficio)]
    w.old_bytes = [get_storage().read(sha) for sha in w.old_shas]
    w.old_crc = w.oficio.crc
    w.version = _edit(w.oficio, w.ana, w.semad)
    db.session.commit()
    return w


def test_the_edit_supersedes_renditions_instead_of_deleting_them(edited, db):
    w = edited
    rows = _renditions(w.oficio)
    assert [r.blob_sha256 for r in rows] == w.old_shas
    assert all(r.superseded_at is not None and r.superseded_in_version == w.version for r in rows)
    assert [get_storage().read(sha) for sha in w.old_shas] == w.old_bytes      # bytes never rewritten
    assert signing.signed_pdf(w.oficio) is None and w.oficio.state == "draft"
    kinds = db.session.scalars(select(HistoryEntry.kind).where(HistoryEntry.process_id == w.process.id)).all()
    assert "document_signatures_cancelled" in kinds and "document_edited" in kinds


def test_signing_again_makes_a_new_current_rendition(edited, db):
    w = edited
    signature = sign(w.oficio, w.ana, w.semad)
    rows = _renditions(w.oficio)
    assert len(rows) == 3 and rows[-1].superseded_at is None
    assert signing.signed_pdf(w.oficio) == rows[-1].blob_sha256 == signature.rendition_sha256
    assert [r.superseded_at is not None for r in rows] == [True, True, False]


def test_export_and_the_pdf_view_never_serve_a_superseded_rendition(client, edited, login, db):
    w = edited
    login("ana")
    response = client.get(f"/processos/{w.process.id}/documentos/{w.oficio.id}/pdf")
    assert response.status_code == 200 and hashlib.sha256(response.data).hexdigest() not in w.old_shas
    assert export._rendition_blob(w.oficio) is None
    sign(w.oficio, w.ana, w.semad)
    current = signing.signed_pdf(w.oficio)
    archive = zipfile.ZipFile(io.BytesIO(b"".join(export.zip_stream(w.process, [w.oficio], user=w.ana,
                                                                    unit=w.semad))))
    manifest = list(csv.reader(io.StringIO(archive.read("manifest.csv").decode("utf-8-sig"))))
    assert manifest[1][4] == current and current not in w.old_shas


def test_a_dropped_old_copy_is_recognised_as_superseded(client, edited, db):
    w = edited
    html = _upload(client, w.old_bytes[-1]).get_data(as_text=True)
    assert "via emitida por este sistema" in html and "Esta via foi substituída" in html
    assert f"(versão {w.version})" in html and "ainda não foi assinado de novo" in html
    assert 'class="verdict ok"' not in html
    sign(w.oficio, w.ana, w.semad)
    db.session.commit()
    current = signing.signed_pdf(w.oficio)
    html = _upload(client, w.old_bytes[0]).get_data(as_text=True)
    assert "Esta via foi substituída" in html and "A via atual foi assinada em" in html
    assert "com 1 assinatura(s)" in html and current in html
    assert w.oficio.crc not in html                        # the new CRC is printed on the new copy only
    html = _upload(client, get_storage().read(current)).get_data(as_text=True)
    assert "substituída" not in html and 'class="verdict ok"' in html


def test_the_codes_of_an_old_copy_say_superseded_and_lock_nothing(client, edited, db):
    w = edited
    response = client.get(f"/conferir?codigo={w.oficio.sei}&crc={w.old_crc}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Via substituída" in html and "ainda não foi assinado de novo" in html
    assert "Ana Souza" in html and "Admin PM" in html and "documento.pdf" not in html
    sign(w.oficio, w.ana, w.semad)
    db.session.commit()
    html = client.get(f"/conferir?codigo={w.oficio.sei}&crc={w.old_crc}").get_data(as_text=True)
    assert "Via substituída" in html and "A via atual foi assinada em" in html
    assert db.session.get(Document, w.oficio.id).locked_at is None
    html = client.get(f"/conferir?codigo={w.oficio.sei}&crc={w.oficio.crc}").get_data(as_text=True)
    assert "Documento autêntico" in html and "substituída" not in html


def test_a_random_wrong_crc_is_still_wrong(edited, db):
    w = edited
    assert verification.lookup(int(w.oficio.sei_number), "0BADC0DE").status == "not_found"   # a minuta again
    sign(w.oficio, w.ana, w.semad)
    assert verification.lookup(int(w.oficio.sei_number), "0BADC0DE").status == "wrong_crc"
    answer = verification.lookup(int(w.oficio.sei_number), w.old_crc)
    assert answer.status == "superseded" and not answer.failed and answer.current.signatures == 1


def test_the_migration_gives_back_rows_deleted_before_it(edited, db):
    """Before 0012 the edit deleted the rows; the upgrade restores them from the signatures, once."""
    w = edited
    db.session.execute(Rendition.__table__.delete())
    db.session.commit()
    spec = importlib.util.spec_from_file_location("migration_0012", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for _ in range(2):
        db.session.execute(text(module.BACKFILL))
    rows = _renditions(w.oficio)
    cancelled = {s.rendition_sha256: s.cancelled_at for s in db.session.scalars(select(Signature))}
    assert [r.blob_sha256 for r in rows] == w.old_shas
    assert all(r.superseded_at == cancelled[r.blob_sha256] for r in rows)
    assert signing.signed_pdf(w.oficio) is None
    assert db.session.scalar(select(func.count()).select_from(Rendition)) == 2


def _upload(client, data, name="documento.pdf"):
    token = csrf_from(client.get("/conferir").get_data(as_text=True))
    return client.post("/conferir", data={"csrf_token": token, "arquivo": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")
