"""HTTP helpers shared by the blueprints: page-or-fragment rendering, loaders, form handling."""
import re
from urllib.parse import urlsplit

from flask import abort, flash, make_response, redirect, render_template, request
from jinja2_fragments.flask import render_block

from app.extensions import db, htmx
from app.services.errors import DomainError, Forbidden, NotFound
from app.services.inputs import parse_id


def wants_fragment():
    """Fragment only for an htmx request that is neither boosted nor a history restore."""
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render(template, block=None, status=200, **context):
    """Render the full page, or only `block` of it for a plain htmx request; always Vary: HX-Request."""
    if block and wants_fragment():
        body = render_block(template, block, **context)
    else:
        body = render_template(template, **context)
    response = make_response(body, status)
    response.vary.add("HX-Request")
    return response


def get_or_404(model, ident):
    """The row with this id, or 404 (also for an id no row can have: malformed, 0, past the integer column)."""
    ident = parse_id(ident)
    obj = db.session.get(model, ident) if ident else None
    if obj is None:
        abort(404)
    return obj


def guard(check, *args, **kwargs):
    """Run an access check from services.access, mapping its errors to 403/404."""
    try:
        return check(*args, **kwargs)
    except NotFound:
        abort(404)
    except Forbidden:
        abort(403)


def apply_errors(form, error):
    """Put a DomainError's message on the matching form field (or the form top)."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None and hasattr(field, "errors"):
        field.errors = list(field.errors) + [error.message]
    else:
        form.form_errors.append(error.message)


def submit(posted, action, *, template, success_url, message=None, block=None, form_key="form",
           keep_errors=(), **context):
    """The POST side of a form route: validate, call one service, commit once, redirect (303).

    On invalid input or a DomainError the form is re-rendered with status 422 and nothing changes.
    `success_url` and `message` may be functions of what `action` returned (e.g. the new object).
    Errors in `keep_errors` are committed, not rolled back (a wrong password must still count).
    `form_key` names the posted form in the template (default "form")."""
    if posted.validate_on_submit():
        try:
            result = action()
            db.session.commit()
        except keep_errors as error:
            db.session.commit()
            apply_errors(posted, error)
        except DomainError as error:
            db.session.rollback()
            apply_errors(posted, error)
        else:
            text = message(result) if callable(message) else message
            if text:
                flash(text, "ok")
            return see_other(success_url(result) if callable(success_url) else success_url)
    status = 422 if request.method == "POST" else 200
    context[form_key] = posted
    return render(template, block=block, status=status, **context)


def see_other(url):
    """Redirect after POST with 303; htmx follows it and swaps the resulting page."""
    return redirect(url, code=303)


def current_unit():
    from flask import g
    return getattr(g, "unit", None)


_NOT_IN_LOCAL_PATH = re.compile(r"[\x00-\x20\x7f\\]")


def safe_next(target):
    r"""The target if it is a plain local path ("/processos/1?x=1"), else None (the caller's default page).

    Refused, never cleaned: browsers drop tabs and newlines and read "\" as "/", so "/\t/evil.example"
    or "/\evil.example" would leave the site; CR/LF would also break the Location header."""
    if not isinstance(target, str) or not target.startswith("/") or target.startswith("//") \
            or _NOT_IN_LOCAL_PATH.search(target):
        return None
    parts = urlsplit(target)
    return None if parts.scheme or parts.netloc else target
