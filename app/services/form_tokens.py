"""One-time form tokens: a doubled or replayed submit of a creation form finds what the first one made.

A token is kept as a row of the counter table (scope "once:<kind>:<token>", value = id of the result):
its scope is the primary key, so of two racing submits only one can take the token, with no new table."""
import re
import secrets

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Counter
from app.services.errors import InvalidInput

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def new_token():
    """The hidden value a form carries from the GET that showed it to the POST that submits it."""
    return secrets.token_urlsafe(24)


def _scope(kind, token):
    return f"once:{kind}:{token}"


def claim(kind, token):
    """Take `token` for this submit: None if it was free (now taken), else the id the first submit recorded.

    A token that is not one of ours is a stale or forged form. Without a token nothing is checked."""
    if not token:
        return None
    if not TOKEN_RE.match(token):
        raise InvalidInput("Formulário inválido: recarregue a página e tente de novo.")
    scope = _scope(kind, token)
    try:
        with db.session.begin_nested():
            db.session.execute(insert(Counter).values(scope=scope, value=0))
        return None
    except IntegrityError:
        # Taken before (or by a racing submit that has now committed: the insert waited for it).
        return db.session.scalar(select(Counter.value).where(Counter.scope == scope))


def record(kind, token, result_id):
    """Remember what the submit holding `token` made, for the doubled submits that come after it."""
    if token:
        db.session.execute(update(Counter).where(Counter.scope == _scope(kind, token)).values(value=result_id))
