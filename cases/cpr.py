"""CPR numbers as the CPR office specifies them.

The 7th digit and the two-digit year give the century. Since 2007 some valid numbers fail the
modulus 11 check, and the CPR office says systems must never reject a number for that reason, so
this module checks the date and the century only.
"""

import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_CPR_PATTERN = re.compile(r"^([0-9]{2})([0-9]{2})([0-9]{2})-?([0-9]{4})$")


@dataclass(frozen=True)
class Cpr:
    digits: str
    birth_date: date

    @property
    def masked(self) -> str:
        return f"{self.digits[:6]}-XXXX"


def century_for(seventh_digit: int, two_digit_year: int) -> int | None:
    """The century a CPR number's date belongs to, or None where the combination is not issued."""
    if seventh_digit <= 3:
        return 1900
    if seventh_digit in (4, 9):
        return 2000 if two_digit_year <= 36 else 1900
    if two_digit_year <= 36:
        return 2000
    if two_digit_year >= 58:
        return 1800
    return None


def parse_cpr(value: str) -> Cpr:
    """Parse `DDMMYY-SSSS` (hyphen optional, surrounding blanks ignored) or raise a Danish ValidationError."""
    match = _CPR_PATTERN.match(value.strip())
    if not match:
        raise ValidationError(_("CPR-nummeret skal have formen DDMMÅÅ-XXXX."), code="cpr_format")
    day, month, year, serial = match.groups()
    century = century_for(int(serial[0]), int(year))
    if century is None:
        raise ValidationError(_("CPR-nummerets løbenummer passer ikke til fødselsåret."), code="cpr_century")
    try:
        birth_date = date(century + int(year), int(month), int(day))
    except ValueError:
        raise ValidationError(_("CPR-nummeret indeholder ikke en gyldig dato."), code="cpr_date") from None
    return Cpr(digits=f"{day}{month}{year}{serial}", birth_date=birth_date)


def validate_cpr(value: str) -> None:
    parse_cpr(value)
