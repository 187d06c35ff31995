"""Unit tests for app.services.numbering (NUP/NIPE check digits and formatting)."""

import re

import pytest

from app.services.numbering import (
    check_digits,
    format_nipe,
    format_nup,
    format_process_number,
    is_valid_process_number,
    looks_like_process_number,
    normalize_process_number,
)

KNOWN_NUPS = [
    "19957.000052/2014-19",
    "53504.003565/2020-96",
    "64615.000102/2023-84",
    "50500.092359/2021-75",
    "00100.006150/2019-17",
    "48190.000008/2026-50",
]
KNOWN_NIPE = "17.137001.000001/2026-21"
KNOWN_ALL = KNOWN_NUPS + [KNOWN_NIPE]


def _digits(text):
    """Return only the digits of text."""
    return re.sub(r"\D", "", text)


@pytest.mark.parametrize("number", KNOWN_ALL)
def test_check_digits_reproduce_known_vectors(number):
    digits = _digits(number)
    assert check_digits(digits[:-2]) == digits[-2:]


@pytest.mark.parametrize("number", KNOWN_NUPS)
def test_format_nup_reproduces_known_vectors(number):
    digits = _digits(number)
    assert format_nup(digits[:5], int(digits[5:11]), int(digits[11:15])) == number


@pytest.mark.parametrize("number", KNOWN_NUPS)
def test_format_nup_accepts_int_protocol_code(number):
    digits = _digits(number)
    assert format_nup(int(digits[:5]), int(digits[5:11]), int(digits[11:15])) == number


def test_format_nipe_reproduces_known_vector():
    assert format_nipe("17", "137001", 1, 2026) == KNOWN_NIPE


def test_format_process_number_nup():
    assert format_process_number("nup", protocol_code="48190", sequence=8, year=2026) == "48190.000008/2026-50"


def test_format_process_number_nipe():
    result = format_process_number("nipe", protocol_code="137001", sequence=1, year=2026, state_code="17")
    assert result == KNOWN_NIPE


def test_format_process_number_mask_is_case_insensitive():
    assert format_process_number("NUP", protocol_code=100, sequence=6150, year=2019) == "00100.006150/2019-17"


def test_format_process_number_nipe_requires_state_code():
    with pytest.raises(ValueError, match="UF"):
        format_process_number("nipe", protocol_code="137001", sequence=1, year=2026)


def test_format_process_number_unknown_mask():
    with pytest.raises(ValueError, match="Máscara"):
        format_process_number("cnj", protocol_code="1", sequence=1, year=2026)


@pytest.mark.parametrize(
    "args",
    [
        ("123456", 1, 2026),  # protocol code too long
        ("12a45", 1, 2026),  # letters in protocol code
        (-1, 1, 2026),  # negative protocol code
        ("12345", -1, 2026),  # negative sequence
        ("12345", 1_000_000, 2026),  # sequence too long
        ("12345", 1, 26),  # year not 4 digits
        ("12345", "1", 2026),  # sequence not an int
    ],
)
def test_format_nup_rejects_bad_parts(args):
    with pytest.raises(ValueError):
        format_nup(*args)


@pytest.mark.parametrize(
    "args",
    [
        ("170", "137001", 1, 2026),  # state code too long
        ("17", "1370011", 1, 2026),  # org/unit code too long
        ("1A", "137001", 1, 2026),  # letters in state code
    ],
)
def test_format_nipe_rejects_bad_parts(args):
    with pytest.raises(ValueError):
        format_nipe(*args)


@pytest.mark.parametrize("bad", ["", "12a4", "12.3", None])
def test_check_digits_rejects_non_digits(bad):
    with pytest.raises(ValueError):
        check_digits(bad)


@pytest.mark.parametrize("number", KNOWN_ALL)
def test_known_vectors_are_valid_with_punctuation(number):
    assert is_valid_process_number(number)


@pytest.mark.parametrize("number", KNOWN_ALL)
def test_known_vectors_are_valid_bare(number):
    assert is_valid_process_number(_digits(number))


@pytest.mark.parametrize("number", KNOWN_ALL)
def test_normalize_returns_bare_digits(number):
    assert normalize_process_number(number) == _digits(number)


def test_normalize_tolerates_surrounding_whitespace():
    assert normalize_process_number("  19957.000052/2014-19 ") == "19957000052201419"


@pytest.mark.parametrize(
    "bad",
    [
        "19957.000052/2014-18",  # wrong second check digit
        "19957.000052/2014-29",  # wrong first check digit
        "53504.003565/2020-69",  # swapped check digits
        "19957.000053/2014-19",  # body altered, check digits unchanged
        "17.137001.000001/2026-22",  # NIPE with wrong check digit
        "1995700005220141",  # 16 digits
        "199570000522014190",  # 18 digits
        "1713700100000120262",  # 19 digits
        "171370010000012026210",  # 21 digits
        "19957.00005A/2014-19",  # letter
        "NUP 19957.000052/2014-19",  # prefix text
        "",
        "   ",
        None,
    ],
)
def test_invalid_process_numbers(bad):
    assert not is_valid_process_number(bad)
    assert normalize_process_number(bad) is None


@pytest.mark.parametrize(
    "text",
    ["19957.000052/2014-19", "19957000052201419", "19957.000052/2014-18", "17.137001.000001/2026-21",
     "17137001000001202621", "17137001000001202699"],
)
def test_looks_like_process_number_true(text):
    assert looks_like_process_number(text)


@pytest.mark.parametrize(
    "text",
    ["", "19957", "1995700005220141", "199570000522014190", "19957.00005A/2014-19", "maria da silva", None],
)
def test_looks_like_process_number_false(text):
    assert not looks_like_process_number(text)


@pytest.mark.parametrize("sequence", [1, 2, 999, 123456, 999999])
def test_round_trip_generated_numbers_are_valid(sequence):
    nup = format_nup("12345", sequence, 2026)
    nipe = format_nipe("17", "137001", sequence, 2026)
    assert is_valid_process_number(nup)
    assert is_valid_process_number(nipe)
    assert re.fullmatch(r"\d{5}\.\d{6}/\d{4}-\d{2}", nup)
    assert re.fullmatch(r"\d{2}\.\d{6}\.\d{6}/\d{4}-\d{2}", nipe)
