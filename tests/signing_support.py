"""Helpers for the signing, block and verification tests."""
import pytest

from app.services import blocks, orgs, signing
from tests.conftest import PASSWORD
from tests.documents_support import docworld, internal, make_process  # noqa: F401

IP = "203.0.113.7"


def role_id(unit, title=None):
    roles = orgs.signature_roles_for(unit)
    return next(r.id for r in roles if title is None or r.title == title)


def sign(document, user, unit, password=PASSWORD, **kw):
    return signing.sign_document(document, by=user, unit=unit, role_id=role_id(unit), password=password, ip=IP, **kw)


def block_for(document, owner, unit, targets, description="Assinaturas do ofício"):
    """A block of `unit` with the document, made available to `targets`."""
    block = blocks.create_block(unit, by=owner, description=description)
    blocks.add_document(block, document, by=owner, unit=unit)
    blocks.make_available(block, targets, by=owner, unit=unit)
    return block


@pytest.fixture
def signworld(docworld, db):
    """docworld plus an Ofício minuta of SEMAD (by ana) with some text."""
    w = docworld
    w.oficio = internal(w.process, w.semad, w.ana)
    from app.services import documents
    documents.save_version(w.oficio, "<p>Senhor Secretário, solicitamos informações.</p>", by=w.ana, unit=w.semad,
                           base_version=1)
    db.session.commit()
    return w


def cm_blocks(w, db):
    """The câmara's (CM) block, for the route access test."""
    if getattr(w, "cm_block", None) is None:
        from tests.documents_support import cm_documents
        cm = cm_documents(w, db)
        w.cm_block = blocks.create_block(w.presi, by=w.caio, description="Bloco da Câmara")
        blocks.add_document(w.cm_block, cm.doc, by=w.caio, unit=w.presi)
        db.session.commit()
    return w
