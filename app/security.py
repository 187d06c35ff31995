"""Security headers, strict CSP, session loading, the current unit and fingerprinted static files."""
import hashlib
from pathlib import Path

from flask import g, request, session
from flask_login import current_user

from app.extensions import db, login_manager

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
       "frame-ancestors 'none'")
ONE_YEAR = 365 * 24 * 3600


def init_app(app):
    from werkzeug.middleware.proxy_fix import ProxyFix
    if app.config["PROXY_COUNT"]:
        n = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)

    login_manager.login_view = "auth.login"
    login_manager.login_message = "Entre com seu usuário e senha para continuar."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(_load_user)
    login_manager.unauthorized_handler(_unauthorized)

    fingerprints = {}

    @app.url_defaults
    def _static_fingerprint(endpoint, values):
        if endpoint == "static" and "filename" in values:
            name = values["filename"]
            if name not in fingerprints or app.debug:
                path = Path(app.static_folder) / name
                fingerprints[name] = hashlib.sha256(path.read_bytes()).hexdigest()[:12] if path.is_file() else "0"
            values["v"] = fingerprints[name]

    app.get_send_file_max_age = lambda filename: ONE_YEAR if request.args.get("v") else 300

    app.before_request(_resolve_current_unit)
    app.after_request(_security_headers)


def _load_user(user_id):
    from app.models import User
    ident, _, token = (user_id or "").partition(":")
    if not ident.isdigit():
        return None
    user = db.session.get(User, int(ident))
    if user is None or not user.active or user.session_token != token:
        return None
    return user


def _unauthorized():
    from flask import flash, make_response, redirect, url_for
    from app.extensions import htmx
    target = url_for("auth.login", next=request.full_path.rstrip("?") if request.method == "GET" else None)
    if htmx:
        # An htmx request with an expired session must leave the page, not swap a login form into it.
        response = make_response("", 401)
        response.headers["HX-Redirect"] = target
        return response
    flash(login_manager.login_message, "info")
    return redirect(target)


def _resolve_current_unit():
    """g.unit: the unit the user works in now (session choice, else last used, else first)."""
    g.unit = None
    if not current_user.is_authenticated:
        return
    units = current_user.units
    by_id = {u.id: u for u in units}
    chosen = session.get("unit_id") or current_user.last_unit_id
    g.unit = by_id.get(chosen) or (units[0] if units else None)


def _security_headers(response):
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if response.mimetype == "text/html":
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("Cache-Control", "no-store")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response
