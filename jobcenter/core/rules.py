"""Input rules every service shares: texts that say something, dates that have happened."""

from datetime import date, datetime

from django.utils.translation import gettext as _

from jobcenter.core.violations import Violation


def text_required(value: str, *, field: str) -> list[Violation]:
    """A text that says something: at least one letter or digit, not only blanks or invisible characters."""
    if any(char.isalnum() for char in value):
        return []
    return [Violation("INPUT.blank", _("Feltet skal udfyldes."), field)]


def not_in_future(value: date | datetime | None, *, now: date | datetime, field: str) -> list[Violation]:
    if value is None or value <= now:
        return []
    return [Violation("INPUT.future", _("Datoen kan ikke ligge i fremtiden."), field)]
