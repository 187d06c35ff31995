"""Documents of a process (bp) and their órgão-level administration (admin_bp)."""
from flask import Blueprint

bp = Blueprint("documents", __name__)
admin_bp = Blueprint("documents_admin", __name__, url_prefix="/admin")

from app.blueprints.documents import admin, files, routes, texts  # noqa: E402,F401


@bp.app_template_filter("clean_html")
def _clean_html_filter(html):
    from app.services.sanitize import clean_html
    return clean_html(html)


@bp.app_template_global("document_tree_entries")
def _document_tree_entries(process):
    """(document, readable) pairs of the tree, for the process page (issue 3) to show the tree."""
    from app.blueprints.documents.routes import tree_entries
    from app.web import current_unit
    return tree_entries(process, current_unit())
