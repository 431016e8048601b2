"""Saving through the ORM with the acting user and a reason written into the history row.

django-simple-history takes the user from the request when there is one; services and Celery tasks
run without a request, so every service names its acting user explicitly through this helper.
"""

from typing import TypeVar

from django.contrib.auth.models import User
from django.db import models

ModelT = TypeVar("ModelT", bound=models.Model)


def save_validated(
    instance: ModelT,
    *,
    acting_user: User | None,
    reason: str = "",
    exclude: list[str] | None = None,
) -> ModelT:
    """full_clean() then save(), recording who did it and why in the history row."""
    instance.full_clean(exclude=exclude)
    instance._history_user = acting_user  # type: ignore[attr-defined]
    instance._change_reason = reason  # type: ignore[attr-defined]
    instance.save()
    return instance
