"""Helpers for the document tests: processes open in a unit, documents, small valid files of each type."""
import io
import itertools
import zipfile

import pytest
from sqlalchemy import select

from app.extensions import db as _db
from app.models import DocumentType, LegalBasis, Process, ProcessType, ProcessUnit
from app.services import documents, external_documents

_numbers = itertools.count(1)


def make_process(org, unit, user, *, level="publico", open_in=(), basis=None):
    """A process generated in `unit` (open there and in `open_in`), inserted directly."""
    process_type = _db.session.scalar(select(ProcessType).where(ProcessType.organization_id == org.id).limit(1))
    if process_type is None:
        process_type = ProcessType(organization_id=org.id, name="Geral")
        _db.session.add(process_type)
        _db.session.flush()
    n = next(_numbers)
    if level != "publico" and basis is None:
        basis = legal_basis(org)
    process = Process(organization_id=org.id, number=f"{org.protocol_code}.{n:06d}/2026-00",
                      number_digits=f"{org.protocol_code}{n:06d}2026{n % 100:02d}{org.id:03d}"[:20],
                      type_id=process_type.id, specification="Teste", access_level=level,
                      legal_basis_id=basis.id if basis else None, generating_unit_id=unit.id, author_id=user.id)
    _db.session.add(process)
    _db.session.flush()
    for u in (unit, *open_in):
        _db.session.add(ProcessUnit(process_id=process.id, unit_id=u.id, origin="generated" if u is unit else "received",
                                    sigiloso=level == "sigiloso"))
    if level == "sigiloso":  # issue 4: a Sigiloso process is seen by credential holders; its author holds one
        from app.models import Credential
        _db.session.add(Credential(process_id=process.id, user_id=user.id, unit_id=unit.id, granted_by_id=user.id,
                                   granted_unit_id=unit.id))
    _db.session.flush()
    return process


def legal_basis(org, level="restrito"):
    basis = _db.session.scalar(select(LegalBasis).where(LegalBasis.organization_id == org.id,
                                                        LegalBasis.level == level).limit(1))
    if basis is None:
        basis = LegalBasis(organization_id=org.id, name=f"Informação Pessoal {level}", basis="Art. 31 da LAI",
                           level=level)
        _db.session.add(basis)
        _db.session.flush()
    return basis


def doc_type(org, name="Ofício"):
    return _db.session.scalar(select(DocumentType).where(DocumentType.organization_id == org.id,
                                                         DocumentType.name == name))


def internal(process, unit, user, type_name="Ofício", **kw):
    return documents.create_internal_document(process, doc_type(process_organization(process), type_name),
                                              by=user, unit=unit, **kw)


def process_organization(process):
    from app.models import Organization
    return _db.session.get(Organization, process.organization_id)


def external(process, unit, user, data=None, filename="anexo.pdf", type_name="Anexo", **kw):
    item = external_documents.UploadItem(stream=io.BytesIO(data or pdf_bytes()), filename=filename,
                                         type_id=doc_type(process_organization(process), type_name).id,
                                         document_date=documents.today_br(), **kw)
    return external_documents.create_external_documents(process, [item], by=user, unit=unit,
                                                        accepted=("pdf", "png", "jpeg", "tiff", "odt", "ods", "docx",
                                                                  "xlsx", "txt", "csv"),
                                                        max_bytes=10 * 1024 * 1024)[0]


# --- small valid files ----------------------------------------------------------------------

def pdf_bytes(text="Documento digitalizado"):
    from reportlab.pdfgen import canvas
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, invariant=1)
    c.drawString(100, 750, text)
    c.showPage()
    c.save()
    return buffer.getvalue()


def png_bytes(size=(32, 32)):
    from PIL import Image
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_bytes():
    from PIL import Image
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (0, 90, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


def tiff_bytes():
    from PIL import Image
    buffer = io.BytesIO()
    Image.new("L", (16, 16), 128).save(buffer, "TIFF")
    return buffer.getvalue()


def zip_bytes(entries, first=None):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if first:
            archive.writestr(zipfile.ZipInfo(first[0]), first[1])  # stored, first (ODF mimetype)
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx_bytes(body=b"<w:document/>"):
    return zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": body})


def xlsx_bytes():
    return zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})


def odf_bytes(kind="text"):
    return zip_bytes({"content.xml": b"<office:document-content/>"},
                     first=("mimetype", f"application/vnd.oasis.opendocument.{kind}".encode()))


@pytest.fixture
def docworld(world, db):
    """The world plus a public process of PM generated in SEMAD (open there), and one of CM."""
    w = world
    w.process = make_process(w.pm, w.semad, w.ana)
    w.cm_proc = make_process(w.cm, w.presi, w.caio)
    db.session.commit()
    return w


def cm_documents(w, db):
    """The câmara's (CM) documents for the route access test: a minuta, an external PNG, a Texto Padrão."""
    if getattr(w, "cm_docs", None) is None:
        from types import SimpleNamespace

        from app.services import doc_types
        from tests.process_factory import cm_objects
        process = cm_objects(w, db).cm_process
        w.cm_docs = SimpleNamespace(
            doc=internal(process, w.presi, w.caio),
            ext=external(process, w.presi, w.caio, data=png_bytes(), filename="foto.png"),
            text=doc_types.save_standard_text(w.cm, by=w.caio, unit=w.presi, name="Texto da Câmara", html="<p>x</p>"))
        db.session.commit()
    return w.cm_docs
