"""Time as integer microseconds since the epoch (UTC): cheap to draw, add and sort; formatted once per row."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
SECOND = 1_000_000
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE
DAY = 24 * HOUR
LOCAL = ZoneInfo(settings.TIME_ZONE)


def moment(us: int) -> datetime:
    return EPOCH + timedelta(microseconds=us)


def stamp(us: int) -> str:
    """The UTC ISO form that the audit chain hashes; PostgreSQL reads it as the same timestamptz."""
    return moment(us).isoformat(timespec="microseconds")


def local_date(us: int) -> date:
    return moment(us).astimezone(LOCAL).date()


def local_start(day: date) -> int:
    """Microseconds at local midnight of `day`."""
    start = datetime(day.year, day.month, day.day, tzinfo=LOCAL)
    return (start - EPOCH) // timedelta(microseconds=1)


def micros(value: datetime) -> int:
    return (value - EPOCH) // timedelta(microseconds=1)
