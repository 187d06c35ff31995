"""Process numbering: NUP (17 digits) and NIPE (20 digits) with modulo-11 check digits."""

from __future__ import annotations

import re

NUP_LENGTH = 17
NIPE_LENGTH = 20
MASKS = ("nup", "nipe")

_PUNCTUATION_RE = re.compile(r"[\s./-]")
_DIGITS_RE = re.compile(r"[0-9]+")


def _mod11_digit(digits: str) -> int:
    """Return one modulo-11 check digit, weights 2, 3, 4, ... from the right, no wrap."""
    total = sum(int(char) * weight for weight, char in enumerate(reversed(digits), start=2))
    result = 11 - (total % 11)
    if result == 10:
        return 0
    if result == 11:
        return 1
    return result


def check_digits(digits: str) -> str:
    """Return the two check digits (as a string) for a non-empty string of digits."""
    if not isinstance(digits, str) or not _DIGITS_RE.fullmatch(digits):
        raise ValueError("Os dígitos verificadores só podem ser calculados sobre uma sequência de dígitos.")
    first = _mod11_digit(digits)
    second = _mod11_digit(digits + str(first))
    return f"{first}{second}"


def _code_digits(value: str | int, width: int, label: str) -> str:
    """Return value as a zero-padded digit string of exactly width digits, or raise ValueError."""
    if isinstance(value, bool):
        raise ValueError(f"{label} inválido.")
    if isinstance(value, int):
        if value < 0:
            raise ValueError(f"{label} inválido: não pode ser negativo.")
        text = str(value)
    elif isinstance(value, str):
        text = value.strip()
    else:
        raise ValueError(f"{label} inválido.")
    if not _DIGITS_RE.fullmatch(text):
        raise ValueError(f"{label} inválido: use apenas dígitos.")
    if len(text) > width:
        raise ValueError(f"{label} inválido: no máximo {width} dígitos.")
    return text.zfill(width)


def _sequence_digits(sequence: int) -> str:
    """Return the 6-digit zero-padded sequence, or raise ValueError."""
    if isinstance(sequence, bool) or not isinstance(sequence, int):
        raise ValueError("Sequencial inválido: deve ser um número inteiro.")
    if not 0 <= sequence <= 999_999:
        raise ValueError("Sequencial inválido: deve estar entre 0 e 999999.")
    return f"{sequence:06d}"


def _year_digits(year: int) -> str:
    """Return the 4-digit year, or raise ValueError."""
    if isinstance(year, bool) or not isinstance(year, int):
        raise ValueError("Ano inválido: deve ser um número inteiro.")
    if not 1000 <= year <= 9999:
        raise ValueError("Ano inválido: deve ter 4 dígitos.")
    return str(year)


def _format_digits(digits: str) -> str:
    """Format a 17- or 20-digit string (check digits included) with standard punctuation."""
    if len(digits) == NUP_LENGTH:
        return f"{digits[0:5]}.{digits[5:11]}/{digits[11:15]}-{digits[15:17]}"
    return f"{digits[0:2]}.{digits[2:8]}.{digits[8:14]}/{digits[14:18]}-{digits[18:20]}"


def format_nup(protocol_code: str | int, sequence: int, year: int) -> str:
    """Build a formatted NUP, UUUUU.SSSSSS/AAAA-DD, computing its check digits."""
    body = _code_digits(protocol_code, 5, "Código do protocolo") + _sequence_digits(sequence) + _year_digits(year)
    return _format_digits(body + check_digits(body))


def format_nipe(state_code: str, org_unit_code: str, sequence: int, year: int) -> str:
    """Build a formatted NIPE, PP.OOOUUU.SSSSSS/AAAA-DD, computing its check digits."""
    body = (
        _code_digits(state_code, 2, "Código da UF")
        + _code_digits(org_unit_code, 6, "Código do órgão/unidade")
        + _sequence_digits(sequence)
        + _year_digits(year)
    )
    return _format_digits(body + check_digits(body))


def format_process_number(
    mask: str,
    *,
    protocol_code: str | int,
    sequence: int,
    year: int,
    state_code: str | int | None = None,
) -> str:
    """Build a formatted process number for mask "nup" or "nipe" (protocol_code is OOOUUU for nipe)."""
    kind = (mask or "").strip().lower()
    if kind == "nup":
        return format_nup(protocol_code, sequence, year)
    if kind == "nipe":
        if state_code is None or (isinstance(state_code, str) and not state_code.strip()):
            raise ValueError("Código da UF é obrigatório para a máscara NIPE.")
        return format_nipe(state_code, protocol_code, sequence, year)
    raise ValueError(f"Máscara de numeração desconhecida: {mask!r} (use 'nup' ou 'nipe').")


def _strip_punctuation(text: str) -> str | None:
    """Remove spaces, dots, slashes and hyphens; return None if anything but digits remains."""
    if not isinstance(text, str):
        return None
    digits = _PUNCTUATION_RE.sub("", text)
    if not digits or not _DIGITS_RE.fullmatch(digits):
        return None
    return digits


def normalize_process_number(text: str) -> str | None:
    """Return the bare digits of a valid NUP or NIPE, or None when it is not valid."""
    digits = _strip_punctuation(text)
    if digits is None or len(digits) not in (NUP_LENGTH, NIPE_LENGTH):
        return None
    if check_digits(digits[:-2]) != digits[-2:]:
        return None
    return digits


def is_valid_process_number(text: str) -> bool:
    """Return True for a NUP or NIPE with correct check digits, with or without punctuation."""
    return normalize_process_number(text) is not None


def looks_like_process_number(text: str) -> bool:
    """Return True when text has 17 or 20 digits after removing punctuation (check digits not verified)."""
    digits = _strip_punctuation(text)
    return digits is not None and len(digits) in (NUP_LENGTH, NIPE_LENGTH)


def format_process_digits(text: str) -> str | None:
    """Return the punctuated form of a valid NUP or NIPE, or None when it is not valid."""
    digits = normalize_process_number(text)
    return _format_digits(digits) if digits else None
