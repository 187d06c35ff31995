"""Unit tests for app.services.validators (CPF/CNPJ)."""

import pytest

from app.services.validators import (
    format_cnpj,
    format_cpf,
    is_valid_cnpj,
    is_valid_cpf,
    normalize_digits,
    validate_cpf_or_cnpj,
)

VALID_CPFS = ["529.982.247-25", "111.444.777-35", "52998224725", "11144477735"]
VALID_CNPJS = ["11.222.333/0001-81", "11.444.777/0001-61", "00.000.000/0001-91", "11222333000181",
               # alphanumeric (Receita Federal, from July 2026): its published example, bare and lower case
               "12.ABC.345/01DE-35", "12ABC34501DE35", "12.abc.345/01de-35"]

MSG_CPF = "CPF inválido: confira os dígitos."
MSG_CNPJ = "CNPJ inválido: confira os dígitos."
MSG_GENERIC = "Informe um CPF (11 dígitos) ou CNPJ (14 caracteres)."


@pytest.mark.parametrize("text", VALID_CPFS)
def test_valid_cpf(text):
    assert is_valid_cpf(text)


@pytest.mark.parametrize(
    "text",
    [
        "529.982.247-24",  # wrong second check digit
        "529.982.247-15",  # wrong first check digit
        "52998224",  # too short
        "529982247250",  # too long
        "529.982.247-2A",  # letter
        "111.111.111-11",  # repeated digits
        "00000000000",
        "99999999999",
        "",
        None,
    ],
)
def test_invalid_cpf(text):
    assert not is_valid_cpf(text)


@pytest.mark.parametrize("text", VALID_CNPJS)
def test_valid_cnpj(text):
    assert is_valid_cnpj(text)


@pytest.mark.parametrize(
    "text",
    [
        "11.222.333/0001-80",  # wrong second check digit
        "11.222.333/0001-91",  # wrong first check digit
        "1122233300018",  # too short
        "112223330001810",  # too long
        "11.222.333/0001-8X",  # letter in a check digit
        "12.ABC.345/01DE-36",  # alphanumeric, wrong second check digit
        "12.ABC.345/01DE-3A",
        "AA.AAA.AAA/AAAA-00",  # wrong check digits
        "12.ÁBC.345/01DE-35",  # not A–Z
        "11.111.111/1111-11",  # repeated digits
        "00000000000000",
        "",
        None,
    ],
)
def test_invalid_cnpj(text):
    assert not is_valid_cnpj(text)


def test_cpf_is_not_a_cnpj_and_vice_versa():
    assert not is_valid_cnpj("52998224725")
    assert not is_valid_cpf("11222333000181")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("529.982.247-25", "52998224725"), ("11.222.333/0001-81", "11222333000181"), ("", ""), (None, ""),
     ("a1b2c3", "123")],
)
def test_normalize_digits(text, expected):
    assert normalize_digits(text) == expected


@pytest.mark.parametrize(("text", "expected"), [("52998224725", "529.982.247-25"), ("529.982.247-25", "529.982.247-25")])
def test_format_cpf(text, expected):
    assert format_cpf(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"), [("11222333000181", "11.222.333/0001-81"), ("11.222.333/0001-81", "11.222.333/0001-81"),
                           ("12abc34501de35", "12.ABC.345/01DE-35")]
)
def test_format_cnpj(text, expected):
    assert format_cnpj(text) == expected


@pytest.mark.parametrize("text", ["5299822472", "529982247250", "5299822472a", "52998224A25"])
def test_format_cpf_rejects_wrong_length(text):
    with pytest.raises(ValueError):
        format_cpf(text)


@pytest.mark.parametrize("text", ["1122233300018", "112223330001810", "1122233300018x"])
def test_format_cnpj_rejects_wrong_length(text):
    with pytest.raises(ValueError):
        format_cnpj(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("529.982.247-25", "52998224725"),
        (" 52998224725 ", "52998224725"),
        ("11.222.333/0001-81", "11222333000181"),
        ("11222333000181", "11222333000181"),
        ("12.abc.345/01de-35", "12ABC34501DE35"),
    ],
)
def test_validate_cpf_or_cnpj_returns_bare_digits(text, expected):
    assert validate_cpf_or_cnpj(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("529.982.247-24", MSG_CPF),
        ("111.111.111-11", MSG_CPF),
        ("11.222.333/0001-80", MSG_CNPJ),
        ("00000000000000", MSG_CNPJ),
        ("123", MSG_GENERIC),
        ("529982247250", MSG_GENERIC),
        ("529.982.247-2A", MSG_GENERIC),
        ("12.ABC.345/01DE-34", MSG_CNPJ),
        ("5299822472X", MSG_GENERIC),
        ("", MSG_GENERIC),
        (None, MSG_GENERIC),
    ],
)
def test_validate_cpf_or_cnpj_errors(text, message):
    with pytest.raises(ValueError) as excinfo:
        validate_cpf_or_cnpj(text)
    assert str(excinfo.value) == message
