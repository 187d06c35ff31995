"""Atomic named counters: UPDATE … RETURNING inside the caller's transaction (never max()+1)."""
from sqlalchemy import insert, update
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Counter


def next_value(scope):
    """Increment and return the counter `scope`, creating it at 1; the row stays locked until commit."""
    stmt = update(Counter).where(Counter.scope == scope).values(value=Counter.value + 1).returning(Counter.value)
    value = db.session.execute(stmt).scalar()
    if value is not None:
        return value
    try:
        with db.session.begin_nested():
            db.session.execute(insert(Counter).values(scope=scope, value=1))
        return 1
    except IntegrityError:
        # Another transaction created it first; now the UPDATE waits on its row lock.
        return db.session.execute(stmt).scalar()
