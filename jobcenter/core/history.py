"""Saving through the ORM with the acting user in the history row and an audit event in the same transaction.

django-simple-history takes the user from the request when there is one; services and Celery tasks
run without a request, so every service names its acting user explicitly through this helper.
"""

from typing import TypeVar

from django.contrib.auth.models import User
from django.db import models, transaction

from jobcenter.audit.models import Action, Outcome
from jobcenter.audit.services import audit_change

ModelT = TypeVar("ModelT", bound=models.Model)


def save_validated(
    instance: ModelT,
    *,
    acting_user: User | None,
    reason: str = "",
    exclude: list[str] | None = None,
    audit_action: Action = Action.CHANGE,
    audit_outcome: Outcome = Outcome.SUCCESS,
    audit_reason: str = "",
) -> ModelT:
    """full_clean() then save(), recording who did it and why in the history row and the audit stream."""
    instance.full_clean(exclude=exclude)
    instance._history_user = acting_user  # type: ignore[attr-defined]
    instance._change_reason = reason  # type: ignore[attr-defined]
    with transaction.atomic():
        instance.save()
        audit_change(
            instance, actor=acting_user, service=reason, action=audit_action, outcome=audit_outcome, reason=audit_reason
        )
    return instance
