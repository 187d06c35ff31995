"""Brazilian taxpayer identifiers: CPF and CNPJ check-digit validation and formatting.

Since July 2026 the Receita Federal also issues alphanumeric CNPJs (IN RFB 2.229/2024): the first
12 positions may be A–Z or 0–9, the two check digits stay numeric, and each character counts as its
ASCII code minus 48 in the same modulo-11 sums — so numeric CNPJs keep their old digits."""

from __future__ import annotations

import re

from app.services.errors import InvalidInput

CPF_LENGTH = 11
CNPJ_LENGTH = 14

_ALLOWED_RE = re.compile(r"[0-9A-Za-z\s./-]*")
_NON_DIGIT_RE = re.compile(r"[^0-9]")
_NON_ALNUM_RE = re.compile(r"[^0-9A-Z]")
_CNPJ_RE = re.compile(r"[0-9A-Z]{12}[0-9]{2}")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_CNPJ_WEIGHTS_FIRST = (5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2)
_CNPJ_WEIGHTS_SECOND = (6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2)


def normalize_digits(text: str | None) -> str:
    """Return only the ASCII digits found in text (empty string for None)."""
    if text is None:
        return ""
    return _NON_DIGIT_RE.sub("", str(text))


def _clean(text: str | None) -> str | None:
    """Return the uppercase letters and digits of text if it holds only those and punctuation, else None."""
    if not isinstance(text, str) or not _ALLOWED_RE.fullmatch(text):
        return None
    return _NON_ALNUM_RE.sub("", text.upper())


def _cpf_digit(digits: str) -> int:
    """Return one CPF check digit for the given leading digits."""
    weight_start = len(digits) + 1
    total = sum(int(char) * weight for char, weight in zip(digits, range(weight_start, 1, -1)))
    remainder = total % 11
    return 0 if remainder < 2 else 11 - remainder


def _cnpj_digit(digits: str, weights: tuple[int, ...]) -> int:
    """Return one CNPJ check digit for the given leading digits and weights."""
    total = sum((ord(char) - 48) * weight for char, weight in zip(digits, weights))
    remainder = total % 11
    return 0 if remainder < 2 else 11 - remainder


def _cpf_digits_ok(digits: str) -> bool:
    """Return True if an 11-digit string has correct CPF check digits and is not a repeated digit."""
    if len(digits) != CPF_LENGTH or not digits.isdigit() or len(set(digits)) == 1:
        return False
    first = _cpf_digit(digits[:9])
    second = _cpf_digit(digits[:9] + str(first))
    return digits[9:] == f"{first}{second}"


def _cnpj_digits_ok(digits: str) -> bool:
    """Return True if a 14-character CNPJ has correct check digits and is not one repeated character."""
    if not _CNPJ_RE.fullmatch(digits) or len(set(digits)) == 1:
        return False
    first = _cnpj_digit(digits[:12], _CNPJ_WEIGHTS_FIRST)
    second = _cnpj_digit(digits[:12] + str(first), _CNPJ_WEIGHTS_SECOND)
    return digits[12:] == f"{first}{second}"


def is_valid_cpf(text: str) -> bool:
    """Return True for a valid CPF, punctuated (000.000.000-00) or bare."""
    digits = _clean(text)
    return digits is not None and _cpf_digits_ok(digits)


def is_valid_cnpj(text: str) -> bool:
    """Return True for a valid CNPJ, numeric or alphanumeric, punctuated (AA.AAA.AAA/AAAA-00) or bare."""
    digits = _clean(text)
    return digits is not None and _cnpj_digits_ok(digits)


def format_cpf(text: str) -> str:
    """Format 11 CPF digits as 000.000.000-00 (raises ValueError on wrong length)."""
    digits = _clean(text)
    if digits is None or len(digits) != CPF_LENGTH or not digits.isdigit():
        raise ValueError("CPF deve ter 11 dígitos.")
    return f"{digits[0:3]}.{digits[3:6]}.{digits[6:9]}-{digits[9:11]}"


def format_cnpj(text: str) -> str:
    """Format 14 CNPJ characters as AA.AAA.AAA/AAAA-00 (raises ValueError on a wrong shape)."""
    digits = _clean(text)
    if digits is None or not _CNPJ_RE.fullmatch(digits):
        raise ValueError("CNPJ deve ter 14 caracteres.")
    return f"{digits[0:2]}.{digits[2:5]}.{digits[5:8]}/{digits[8:12]}-{digits[12:14]}"


def validate_cpf_or_cnpj(text: str) -> str:
    """Return the bare characters of a valid CPF or CNPJ, or raise ValueError with a Portuguese message."""
    digits = _clean(text)
    if digits is None or not (len(digits) == CPF_LENGTH and digits.isdigit() or _CNPJ_RE.fullmatch(digits)):
        raise ValueError("Informe um CPF (11 dígitos) ou CNPJ (14 caracteres).")
    if len(digits) == CPF_LENGTH:
        if not _cpf_digits_ok(digits):
            raise ValueError("CPF inválido: confira os dígitos.")
        return digits
    if not _cnpj_digits_ok(digits):
        raise ValueError("CNPJ inválido: confira os dígitos.")
    return digits


def clean_email(email: str | None, field: str = "email") -> str | None:
    """The trimmed e-mail address, None when empty; raises InvalidInput when it is not an address."""
    email = (email or "").strip()
    if email and (len(email) > 200 or not EMAIL_RE.match(email)):
        raise InvalidInput("E-mail inválido.", field)
    return email or None
