"""Assinar, Autenticar and the Blocos de Assinatura (issue 6)."""
from flask import Blueprint

bp = Blueprint("signing", __name__)

from app.blueprints.signing import block_routes, routes  # noqa: E402,F401


@bp.app_template_global("document_signatures")
def _document_signatures(document):
    """The signatures in force of a document, for its page (documents/show.html)."""
    from app.services.signing import valid_signatures
    return valid_signatures(document) if document.crc else []
