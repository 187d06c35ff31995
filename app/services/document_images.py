"""Images in a document's text: the image documents (PNG/JPEG) of the process that the clerk may see, offered
by the editor ("Inserir imagem"), and the save that appends the chosen one (the editor without JavaScript)."""
from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

from sqlalchemy import select

from app.extensions import db
from app.models import Blob, Document
from app.services import access, documents
from app.services.errors import InvalidInput

IMAGE_MEDIA = ("image/png", "image/jpeg")   # what the image route serves and the PDF draws
NONE_HINT = "Inclua a imagem como documento externo (PNG ou JPEG) para usá-la no texto."


@dataclass(frozen=True)
class ImageChoice:
    id: int
    src: str        # /documentos/imagens/<sha256>: the only image address the sanitiser keeps
    alt: str        # the document's name in the tree and its número SEI


def image_src(sha256):
    return f"/documentos/imagens/{sha256}"


def alt_text(document):
    name = f"{document.type.name} {document.description}" if document.description else document.title
    return f"{name} (SEI nº {document.sei})"


def insertable_images(process, *, user, unit):
    """The process's image documents (external PNG/JPEG, not deleted or cancelled) that `user` in `unit` may see."""
    candidates = db.session.scalars(select(Document).join(Blob, Blob.sha256 == Document.blob_sha256).where(
        Document.process_id == process.id, Document.kind == "external", Document.deleted_at.is_(None),
        Document.state != "cancelled", Blob.media_type.in_(IMAGE_MEDIA)).order_by(Document.id))
    return [ImageChoice(d.id, image_src(d.blob_sha256), alt_text(d))
            for d in candidates if access.can_view_document(user, unit, d)]


def image_html(choice):
    return f"<p><img src={quoteattr(choice.src)} alt={quoteattr(choice.alt)}></p>"


def save_text(document, html, *, by, unit, base_version, image_id=None):
    """Save the editor's text as a new version (documents.save_version: sanitised, stale-checked), with the
    image document `image_id` appended when one was chosen; an image the clerk may not see is refused."""
    if image_id:
        choice = next((c for c in insertable_images(document.process, user=by, unit=unit) if c.id == image_id), None)
        if choice is None:
            raise InvalidInput("Imagem não encontrada: escolha um documento de imagem deste processo que você pode "
                               "ver.", "image_id")
        html = (html or "") + image_html(choice)
    return documents.save_version(document, html, by=by, unit=unit, base_version=base_version)
