"""Blocos de Assinatura: the list, a block's page and its actions (owner unit and target units)."""
from flask import request, url_for
from flask_login import current_user

from app.blueprints.signing import bp
from app.blueprints.signing.forms import AddDocumentForm, AvailabilityForm, BlockForm, SignForm
from app.blueprints.signing.routes import page, pdf_response, seen_version, sign_form, signing_submit
from app.extensions import db
from app.forms import EmptyForm
from app.models import Document, Unit
from app.models.signature import SignatureBlock
from app.services import access, blocks, form_tokens, signing, signing_pdf
from app.web import current_unit, get_or_404, guard, render, submit

BLOCK = "/blocos/<int:block_id>"


def load_block(block_id, check=access.require_block):
    return guard(check, current_user, current_unit(), get_or_404(SignatureBlock, block_id))


def block_url(block):
    return url_for("signing.block", block_id=block.id)


def block_context(block, **forms):
    """Everything the block page shows: documents with their signatures, the forms of this unit's role."""
    unit = current_unit()
    is_owner = block.unit_id == unit.id
    rows = [(d, signing.valid_signatures(d), signing.has_signed(d, current_user))
            for d in blocks.block_documents(block)]
    ctx = dict(sig_block=block, rows=rows, is_owner=is_owner, targets=block.targets,
               is_signer=access.block_available_to(block, unit), add_form=AddDocumentForm(),
               availability_form=_availability_form(block), sign_all_form=None)
    if ctx["is_signer"]:
        ctx["sign_all_form"] = sign_form()
    ctx.update({k: v for k, v in forms.items() if v is not None})
    return ctx


def _availability_form(block, form=None):
    form = form or AvailabilityForm()
    form.unit_ids.choices = [(u.id, f"{u.sigla} – {u.name}") for u in blocks.units_to_offer(block)]
    if request.method == "GET":
        form.unit_ids.data = [t.unit_id for t in block.targets]
    return form


@bp.get("/blocos")
def blocks_page():
    """Blocos de Assinatura: this unit's blocks and those made available to it."""
    unit = current_unit()
    concluded = request.args.get("concluidos") == "1"
    return render("signing/blocks.html", own=blocks.own_blocks(unit, include_concluded=concluded),
                  received=blocks.received_blocks(unit), concluded=concluded,
                  form=BlockForm(token=form_tokens.new_token()))


@bp.post("/blocos")
def create_block():
    """Novo bloco (then add documents to it)."""
    form, unit = BlockForm(), current_unit()
    return submit(form, lambda: blocks.create_block(unit, by=current_user, description=form.description.data,
                                                    token=form.token.data or None),
                  template="signing/blocks.html", success_url=block_url,
                  message=lambda block: f"Bloco de Assinatura nº {block.number} criado.",
                  own=blocks.own_blocks(unit), received=blocks.received_blocks(unit), concluded=False)


@bp.get(BLOCK)
def block(block_id):
    """A block: its documents and signatures; the owner adds, makes available, concludes; targets sign and return."""
    return render("signing/block.html", **block_context(load_block(block_id)))


def _block_action(block, action, message, form=None, form_key="action_form"):
    """An owner or target action posted from the block page: 303 back to it, or the page with the error (422)."""
    form = form or EmptyForm()
    return submit(form, action, template="signing/block.html", success_url=block_url(block), message=message,
                  form_key=form_key, **block_context(block, **{form_key: None}))


@bp.post(BLOCK + "/documentos")
def add_document(block_id):
    """Incluir documento no bloco, by its número SEI."""
    block = load_block(block_id, access.require_block_owner)
    form = AddDocumentForm()
    return _block_action(block, lambda: blocks.add_document(
        block, blocks.find_document(current_user.organization_id, form.sei.data), by=current_user, unit=current_unit()),
        "Documento incluído no bloco.", form, "add_form")


@bp.post(BLOCK + "/documentos/<int:document_id>/retirar")
def remove_document(block_id, document_id):
    block = load_block(block_id, access.require_block_owner)
    document = guard(access.require_block_document, current_user, current_unit(), block,
                     get_or_404(Document, document_id))
    return _block_action(block, lambda: blocks.remove_document(block, document, by=current_user, unit=current_unit()),
                         f"Documento {document.sei} retirado do bloco.")


@bp.post(BLOCK + "/disponibilizar")
def make_available(block_id):
    """Disponibilizar para as unidades escolhidas."""
    block = load_block(block_id, access.require_block_owner)
    form = _availability_form(block)
    return _block_action(block, lambda: blocks.make_available(
        block, [db.session.get(Unit, i) for i in form.unit_ids.data or []], by=current_user, unit=current_unit()),
        f"Bloco nº {block.number} disponibilizado.", form, "availability_form")


@bp.post(BLOCK + "/cancelar-disponibilizacao")
def cancel_availability(block_id):
    block = load_block(block_id, access.require_block_owner)
    return _block_action(block, lambda: blocks.cancel_availability(block, by=current_user, unit=current_unit()),
                         "Disponibilização cancelada.")


@bp.post(BLOCK + "/concluir")
def conclude(block_id):
    block = load_block(block_id, access.require_block_owner)
    return _block_action(block, lambda: blocks.conclude_block(block, by=current_user, unit=current_unit()),
                         f"Bloco nº {block.number} concluído.")


@bp.post(BLOCK + "/reabrir")
def reopen(block_id):
    block = load_block(block_id, access.require_block_owner)
    return _block_action(block, lambda: blocks.reopen_block(block, by=current_user, unit=current_unit()),
                         f"Bloco nº {block.number} reaberto.")


@bp.post(BLOCK + "/devolver")
def return_block(block_id):
    """Devolver: the target unit is done with the block."""
    block = load_block(block_id, access.require_block_signer)
    form = EmptyForm()
    return submit(form, lambda: blocks.return_block(block, by=current_user, unit=current_unit()),
                  template="signing/block.html", success_url=url_for("signing.blocks_page"),
                  message=f"Bloco nº {block.number} devolvido à unidade {block.unit.sigla}.",
                  form_key="action_form", **block_context(block))


@bp.post(BLOCK + "/assinar")
def sign_all(block_id):
    """Assinar todos: every document of the block this user has not signed, with one password."""
    block = load_block(block_id, access.require_block_signer)
    form = sign_form(SignForm)
    return signing_submit(form, lambda: blocks.sign_all(
        block, by=current_user, unit=current_unit(), role_id=form.role_id.data, password=form.password.data,
        ip=request.remote_addr), template="signing/block.html", success_url=block_url(block),
        message="Documentos do bloco assinados.", **block_context(block, sign_all_form=form))


@bp.route(BLOCK + "/documentos/<int:document_id>", methods=["GET", "POST"])
def block_document(block_id, document_id):
    """A document seen from the block (not locked by it) and Assinar it."""
    block = load_block(block_id)
    document = guard(access.require_block_document, current_user, current_unit(), block,
                     get_or_404(Document, document_id))
    form = sign_form(document=document)
    can_sign = access.try_check(access.require_can_sign, current_user, current_unit(), document)
    pdf_url = url_for("signing.block_pdf", block_id=block.id, document_id=document.id)
    return signing_submit(form, lambda: blocks.sign_one(
        block, document, by=current_user, unit=current_unit(), role_id=form.role_id.data, password=form.password.data,
        ip=request.remote_addr, seen_version=seen_version(form)), template="signing/sign.html", success_url=block_url(block),
        message=f"Documento {document.sei} assinado.", action_label="Assinar" if can_sign else None,
        **page(document, sig_block=block, pdf_url=pdf_url))


@bp.get(BLOCK + "/documentos/<int:document_id>/pdf")
def block_pdf(block_id, document_id):
    """The document's PDF for the block's units: the stored signed one, else the text as it would be signed."""
    block = load_block(block_id)
    document = guard(access.require_block_document, current_user, current_unit(), block,
                     get_or_404(Document, document_id))
    guard(access.require_document_content, current_user, current_unit(), document)
    sha = signing.signed_pdf(document)
    if sha is not None:
        return pdf_response(sha, f"documento-{document.sei}-assinado.pdf")
    return pdf_response(None, f"documento-{document.sei}.pdf", data=signing_pdf.preview_pdf(document, user=current_user, unit=current_unit()))
