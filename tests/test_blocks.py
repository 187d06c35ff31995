"""Blocos de Assinatura: the life of a block, co-signature from another unit, visibility without lock, history."""
import pytest
from sqlalchemy import select

from app.models import Document, HistoryEntry
from app.services import access, blocks, documents, signing
from app.services.errors import Duplicate, Forbidden, InvalidInput
from app.services.history import describe
from tests.conftest import PASSWORD
from tests.documents_support import external, internal, make_process
from tests.signing_support import IP, block_for, docworld, role_id, sign, signworld  # noqa: F401


def _texts(process):
    return [describe(e) for e in db_entries(process)]


def db_entries(process):
    from app.extensions import db
    return db.session.scalars(select(HistoryEntry).where(HistoryEntry.process_id == process.id)
                              .order_by(HistoryEntry.id)).all()


def test_co_signature_from_another_unit_through_a_block(signworld, db):
    w = signworld
    sign(w.oficio, w.ana, w.semad)
    block = block_for(w.oficio, w.ana, w.semad, [w.gab])
    assert block.number == 1 and block.state == "available"
    assert blocks.received_blocks(w.gab) == [block] and blocks.own_blocks(w.semad) == [block]
    # GAB sees the document through the block without locking it
    assert access.in_available_block(w.oficio, w.gab)
    assert not documents.lock_if_opened_elsewhere(w.oficio, w.gab) and w.oficio.locked_at is None
    blocks.sign_one(block, w.oficio, by=w.bia, unit=w.gab, role_id=role_id(w.gab), password=PASSWORD, ip=IP)
    sigs = signing.valid_signatures(w.oficio)
    assert [(s.name, s.unit_id) for s in sigs] == [("Ana Souza", w.semad.id), ("Bia Lima", w.gab.id)]
    # while the block offers it, SEMAD cannot change it under GAB's eyes
    with pytest.raises(Forbidden, match="disponibilizado"):
        access.require_can_edit(w.ana, w.semad, w.oficio)
    with pytest.raises(Forbidden, match="disponibilizado"):
        documents.save_version(w.oficio, "<p>x</p>", by=w.ana, unit=w.semad, base_version=w.oficio.current_version)
    blocks.return_block(block, by=w.bia, unit=w.gab)
    assert block.state == "returned" and blocks.received_blocks(w.gab) == []
    # another unit signed: SEMAD can no longer edit or delete; only cancel
    with pytest.raises(Forbidden, match="outra unidade"):
        access.require_can_edit(w.ana, w.semad, w.oficio)
    with pytest.raises(Forbidden, match="outra unidade"):
        documents.save_version(w.oficio, "<p>x</p>", by=w.ana, unit=w.semad, base_version=w.oficio.current_version)
    with pytest.raises(Forbidden, match="outra unidade"):
        access.require_can_delete(w.ana, w.semad, w.oficio)
    access.require_can_cancel(w.ana, w.semad, w.oficio)
    assert not access.in_available_block(w.oficio, w.gab)
    blocks.conclude_block(block, by=w.ana, unit=w.semad)
    assert block.state == "concluded" and blocks.own_blocks(w.semad) == []
    texts = _texts(w.process)
    assert f"Documento {w.oficio.sei} incluído no Bloco de Assinatura nº 1" in texts
    assert "Bloco de Assinatura nº 1 disponibilizado para GAB" in texts
    assert f"Assinado Documento {w.oficio.sei} por Bia Lima" in texts
    assert "Bloco de Assinatura nº 1 devolvido pela unidade GAB" in texts
    assert "Bloco de Assinatura nº 1 concluído" in texts


def test_a_minuta_in_a_block_is_signed_first_by_the_other_unit(signworld, db):
    w = signworld
    block = block_for(w.oficio, w.ana, w.semad, [w.gab])
    assert w.oficio.is_draft
    blocks.sign_all(block, by=w.bia, unit=w.gab, role_id=role_id(w.gab), password=PASSWORD, ip=IP)
    assert w.oficio.state == "signed" and w.oficio.crc
    with pytest.raises(Duplicate):
        blocks.sign_all(block, by=w.bia, unit=w.gab, role_id=role_id(w.gab), password=PASSWORD, ip=IP)
    sign(w.oficio, w.ana, w.semad)
    assert [s.name for s in signing.valid_signatures(w.oficio)] == ["Bia Lima", "Ana Souza"]


def test_sign_all_signs_every_pending_document_with_one_password(signworld, db):
    w = signworld
    second = internal(w.process, w.semad, w.ana, "Despacho")
    block = block_for(w.oficio, w.ana, w.semad, [w.gab])
    blocks.cancel_availability(block, by=w.ana, unit=w.semad)
    blocks.add_document(block, second, by=w.ana, unit=w.semad)
    blocks.make_available(block, [w.gab], by=w.ana, unit=w.semad)
    blocks.sign_one(block, w.oficio, by=w.ana, unit=w.gab, role_id=role_id(w.gab), password=PASSWORD, ip=IP)
    with pytest.raises(signing.WrongPassword):
        blocks.sign_all(block, by=w.bia, unit=w.gab, role_id=role_id(w.gab), password="errada-1", ip=IP)
    signed = blocks.sign_all(block, by=w.ana, unit=w.gab, role_id=role_id(w.gab), password=PASSWORD, ip=IP)
    assert [s.document_id for s in signed] == [second.id]      # the ofício was already signed by her
    signed = blocks.sign_all(block, by=w.bia, unit=w.gab, role_id=role_id(w.gab), password=PASSWORD, ip=IP)
    assert {s.document_id for s in signed} == {w.oficio.id, second.id}


def test_block_rules_and_bad_input(signworld, db, make):
    w = signworld
    block = blocks.create_block(w.semad, by=w.ana, description="  Contratos  ")
    assert block.description == "Contratos"
    with pytest.raises(InvalidInput, match="descrição"):
        blocks.create_block(w.semad, by=w.ana, description=" ")
    with pytest.raises(InvalidInput, match="ao menos um documento"):
        blocks.make_available(block, [w.gab], by=w.ana, unit=w.semad)
    with pytest.raises(InvalidInput, match="SEI"):
        blocks.add_document(block, None, by=w.ana, unit=w.semad)
    ext = external(w.process, w.semad, w.ana)
    with pytest.raises(InvalidInput, match="internos"):
        blocks.add_document(block, ext, by=w.ana, unit=w.semad)
    gab_process = make_process(w.pm, w.gab, w.bia)
    gab_doc = internal(gab_process, w.gab, w.bia)
    with pytest.raises(InvalidInput, match="GAB"):
        blocks.add_document(block, gab_doc, by=w.ana, unit=w.semad)
    secret = make_process(w.pm, w.semad, w.ana, level="sigiloso")
    from tests.documents_support import legal_basis
    secret_doc = internal(secret, w.semad, w.ana, access_level="sigiloso",
                          legal_basis_id=legal_basis(w.pm, "sigiloso").id)
    with pytest.raises(InvalidInput, match="sigiloso"):
        blocks.add_document(block, secret_doc, by=w.ana, unit=w.semad)
    blocks.add_document(block, w.oficio, by=w.ana, unit=w.semad)
    with pytest.raises(Duplicate):
        blocks.add_document(block, w.oficio, by=w.ana, unit=w.semad)
    with pytest.raises(InvalidInput, match="outras unidades"):
        blocks.make_available(block, [w.semad], by=w.ana, unit=w.semad)
    other_org_unit = make.unit(w.cm, "XCM")
    with pytest.raises(InvalidInput, match="do órgão"):
        blocks.make_available(block, [other_org_unit], by=w.ana, unit=w.semad)
    blocks.make_available(block, [w.gab], by=w.ana, unit=w.semad)
    with pytest.raises(Forbidden, match="disponibilizado"):
        blocks.add_document(block, internal(w.process, w.semad, w.ana), by=w.ana, unit=w.semad)
    with pytest.raises(Forbidden, match="disponibilizado"):
        blocks.conclude_block(block, by=w.ana, unit=w.semad)
    with pytest.raises(Forbidden):                                # only the block's unit
        blocks.cancel_availability(block, by=w.ana, unit=w.gab)
    with pytest.raises(Forbidden):                                # only a target unit
        blocks.return_block(block, by=w.ana, unit=w.semad)
    blocks.cancel_availability(block, by=w.ana, unit=w.semad)
    assert not access.in_available_block(w.oficio, w.gab)
    with pytest.raises(Forbidden):                                # no longer available: GAB cannot sign
        sign(w.oficio, w.bia, w.gab)
    blocks.remove_document(block, w.oficio, by=w.ana, unit=w.semad)
    blocks.conclude_block(block, by=w.ana, unit=w.semad)
    blocks.reopen_block(block, by=w.ana, unit=w.semad)
    assert block.state == "open"


def test_block_numbers_are_sequential_per_org(signworld, db):
    w = signworld
    numbers = [blocks.create_block(u, by=w.ana, description="b").number for u in (w.semad, w.gab, w.semad)]
    assert numbers == [1, 2, 3]
    assert blocks.create_block(w.presi, by=w.caio, description="c").number == 1


def test_block_units_see_the_document_even_in_a_restricted_process(signworld, db):
    w = signworld
    restricted = make_process(w.pm, w.semad, w.ana, level="restrito")
    doc = internal(restricted, w.semad, w.ana)
    block = block_for(doc, w.ana, w.semad, [w.gab])
    access.require_block_document(w.bia, w.gab, block, doc)
    assert not access.can_view_document(w.bia, w.gab, doc)     # the process itself stays restricted for GAB
    blocks.sign_one(block, doc, by=w.bia, unit=w.gab, role_id=role_id(w.gab), password=PASSWORD, ip=IP)
    assert db.session.get(Document, doc.id).locked_at is None
