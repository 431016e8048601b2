"""Server time. Rules take `now` as an argument; services take it from here, never from the user."""

from datetime import date, datetime

from django.utils import timezone


def now() -> datetime:
    return timezone.now()


def today() -> date:
    return timezone.localdate()


def localdate(moment: datetime) -> date:
    return timezone.localdate(moment)


def localtime(moment: datetime) -> datetime:
    return timezone.localtime(moment)
