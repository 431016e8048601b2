"""CPR numbers: the century table, no modulus 11, Danish refusals, and the CPR kept out of history."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from cases import services as case_services
from cases.cpr import century_for, parse_cpr
from cases.models import Citizen
from tests.cases.support import writes_nothing

MOD11_WEIGHTS = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)


def mod11_remainder(digits: str) -> int:
    return sum(int(d) * w for d, w in zip(digits, MOD11_WEIGHTS, strict=True)) % 11


@pytest.mark.parametrize(
    ("seventh", "yy", "century"),
    [
        (0, 0, 1900),
        (0, 99, 1900),
        (3, 36, 1900),
        (3, 37, 1900),
        (4, 0, 2000),
        (4, 36, 2000),
        (4, 37, 1900),
        (4, 99, 1900),
        (9, 36, 2000),
        (9, 37, 1900),
        (5, 0, 2000),
        (5, 36, 2000),
        (5, 37, None),
        (6, 50, None),
        (8, 57, None),
        (5, 58, 1800),
        (8, 99, 1800),
    ],
)
def test_the_seventh_digit_and_the_year_give_the_century(seventh, yy, century):
    assert century_for(seventh, yy) == century


@pytest.mark.parametrize(
    ("cpr", "born"),
    [
        ("1203854321", dt.date(1985, 3, 12)),
        ("120385-4321", dt.date(1985, 3, 12)),
        ("0101001234", dt.date(1900, 1, 1)),
        ("0101364234", dt.date(2036, 1, 1)),
        ("0101374234", dt.date(1937, 1, 1)),
        ("0101369234", dt.date(2036, 1, 1)),
        ("0101365234", dt.date(2036, 1, 1)),
        ("0101588234", dt.date(1858, 1, 1)),
        ("2902004234", dt.date(2000, 2, 29)),
        ("  010101-2345 ", dt.date(1901, 1, 1)),
    ],
)
def test_valid_numbers_give_their_birth_date_with_or_without_hyphen(cpr, born):
    parsed = parse_cpr(cpr)
    assert parsed.birth_date == born
    assert parsed.digits == cpr.strip().replace("-", "")
    assert parsed.masked == f"{parsed.digits[:6]}-XXXX"


def test_a_number_failing_modulus_11_is_accepted():
    cpr = "0101651234"
    assert mod11_remainder(cpr) != 0
    assert parse_cpr(cpr).birth_date == dt.date(1965, 1, 1)


@pytest.mark.parametrize(
    ("cpr", "code", "danish"),
    [
        ("3102851234", "cpr_date", "gyldig dato"),
        ("2902014234", "cpr_date", "gyldig dato"),
        ("0113851234", "cpr_date", "gyldig dato"),
        ("0101405234", "cpr_century", "løbenummer"),
        ("12345", "cpr_format", "DDMMÅÅ-XXXX"),
        ("", "cpr_format", "DDMMÅÅ-XXXX"),
        ("010165 1234", "cpr_format", "DDMMÅÅ-XXXX"),
        ("010165--1234", "cpr_format", "DDMMÅÅ-XXXX"),
        ("01016512345", "cpr_format", "DDMMÅÅ-XXXX"),
        ("0101-651234", "cpr_format", "DDMMÅÅ-XXXX"),
        ("01O1651234", "cpr_format", "DDMMÅÅ-XXXX"),
        ("٠١٠١٦٥١٢٣٤", "cpr_format", "DDMMÅÅ-XXXX"),
    ],
)
def test_invalid_dates_centuries_and_formats_are_refused_in_danish(cpr, code, danish):
    with pytest.raises(ValidationError) as refused:
        parse_cpr(cpr)
    assert refused.value.code == code
    assert danish in refused.value.messages[0]
    assert "CPR-nummer" in refused.value.messages[0]


def _seventh_digits_for(year: int) -> list[int]:
    yy = year % 100
    if year < 1900:
        return [5, 6, 7, 8]
    if year < 2000:
        return [0, 1, 2, 3] + ([4, 9] if yy >= 37 else [])
    return [4, 5, 6, 7, 8, 9]


@given(
    born=st.dates(min_value=dt.date(1858, 1, 1), max_value=dt.date(2036, 12, 31)),
    serial=st.integers(min_value=0, max_value=999),
    hyphen=st.booleans(),
    data=st.data(),
)
def test_any_birth_date_1858_to_2036_parses_back_from_a_suitable_cpr(born, serial, hyphen, data):
    seventh = data.draw(st.sampled_from(_seventh_digits_for(born.year)))
    cpr = f"{born:%d%m}{born.year % 100:02d}{'-' if hyphen else ''}{seventh}{serial:03d}"
    assert parse_cpr(cpr).birth_date == born


@pytest.mark.django_db
@pytest.mark.parametrize("cpr", ["3102851234", "0101405234", "1234", "0101651234x", "٠١٠١٦٥١٢٣٤"])
def test_citizen_create_with_an_invalid_cpr_writes_nothing(world, cpr):
    with writes_nothing(), pytest.raises(ValidationError):
        case_services.citizen_create(
            jobcentre=world.aalborg, cpr=cpr, first_name="Karl", last_name="Hansen", acting_user=world.mette
        )


@pytest.mark.django_db
def test_citizen_create_accepts_a_mod11_failing_cpr_and_stores_ten_digits(world):
    citizen = case_services.citizen_create(
        jobcentre=world.aalborg, cpr="010165-1234", first_name="Karl", last_name="Hansen", acting_user=world.mette
    )
    citizen.refresh_from_db()
    assert citizen.cpr == "0101651234"
    assert citizen.birth_date == dt.date(1965, 1, 1)


@pytest.mark.django_db
def test_the_cpr_is_not_a_column_of_the_citizen_history(world):
    history_model = Citizen.history.model
    assert "cpr" not in {field.name for field in history_model._meta.get_fields()}
    assert "cpr" not in {field.column for field in history_model._meta.concrete_fields}
    hanne_history = world.cookie_case.citizen.history.get()
    assert "1203854321" not in str(vars(hanne_history))
