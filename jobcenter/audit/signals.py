"""Logins, logouts and failed logins are audit events (A3)."""

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from jobcenter.audit.models import Action, Outcome
from jobcenter.audit.services import audit_record


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(actor=user, action=Action.LOGIN)


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(actor=user, action=Action.LOGOUT)


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    audit_record(
        actor=None,
        action=Action.LOGIN_FAILED,
        outcome=Outcome.FAILED,
        details={"username": str(credentials.get("username", ""))[:150]},
    )
