"""Conferir autenticidade: the public page (no login) printed on every signed document and in its QR code."""
from flask import Blueprint

bp = Blueprint("verify", __name__)

from app.blueprints.verify import routes  # noqa: E402,F401
