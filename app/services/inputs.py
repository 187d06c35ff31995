"""Values from outside (forms, query strings, the CLI) that the database must be able to store.

Ids are PostgreSQL `integer` columns: a larger number is no id at all (on PostgreSQL it would fail the
query, on SQLite past 2**63 too). Text must not carry NUL (PostgreSQL refuses it) nor the other C0
control characters and DEL (invisible junk a clerk never meant to type); tab, CR and LF stay."""
import re

MAX_ID = 2**31 - 1
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def to_id(value):
    """An id (0..MAX_ID; 0 is the forms' "none") from "12" or 12; ValueError otherwise (for `type=` and `coerce=`)."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and 0 < len(text := value.strip()) <= 10 and text.isascii() and text.isdigit():
        number = int(text)
    else:
        raise ValueError("Identificador inválido.")
    if not 0 <= number <= MAX_ID:
        raise ValueError("Identificador inválido.")
    return number


def parse_id(value):
    """The id in `value`, or None when it is missing, malformed or out of range (then nothing can match)."""
    try:
        return to_id(value)
    except ValueError:
        return None


def parse_ids(values):
    """The ids among `values`, in order and without repeats; what is no id is dropped."""
    return list(dict.fromkeys(i for i in map(parse_id, values or ()) if i is not None))


def clean_text(value):
    """`value` without NUL, the other C0 control characters (but tab, CR and LF) and DEL; a non-str stays."""
    return _CONTROL.sub("", value) if isinstance(value, str) else value
