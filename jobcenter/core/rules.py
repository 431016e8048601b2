"""Input rules every service shares: texts that say something, dates that have happened."""

from datetime import date, datetime

from django.utils.translation import gettext as _

from jobcenter.core.violations import Violation


def is_blank(value: str) -> bool:
    """A text says nothing unless it has a letter or digit: blanks, punctuation and invisible characters don't count."""
    return not any(char.isalnum() for char in value)


def text_required(value: str, *, field: str) -> list[Violation]:
    if not is_blank(value):
        return []
    return [Violation("INPUT.blank", _("Feltet skal udfyldes."), field)]


def not_in_future(value: date | datetime | None, *, now: date | datetime, field: str) -> list[Violation]:
    if value is None or value <= now:
        return []
    return [Violation("INPUT.future", _("Datoen kan ikke ligge i fremtiden."), field)]
