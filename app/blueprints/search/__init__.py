"""Pesquisar (full text) and the process exports (PDF, ZIP); also installs the indexing hook."""
from flask import Blueprint

bp = Blueprint("search", __name__)


@bp.record_once
def _install(state):
    from app.services import search_index
    search_index.init_hooks()
    state.app.jinja_env.globals.update(index_status=search_index.index_status,
                                       indexing_ids=search_index.pending_ids)


from app.blueprints.search import export_routes, routes  # noqa: E402,F401
