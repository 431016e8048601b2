"""Login time for the absolute session lifetime; a deactivated user's sessions end however they were
deactivated (the service, the admin, a shell)."""

from typing import Any

from django.contrib.auth.models import User
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from jobcenter.accounts.services import login_started_now, user_sessions_end


@receiver(user_logged_in)
def _remember_login_time(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        login_started_now(request.session)


@receiver(pre_save, sender=User)
def _note_deactivation(sender: Any, instance: User, update_fields: Any = None, **kwargs: Any) -> None:
    # Saves that cannot touch is_active (a login stamping last_login) cost no query.
    if instance.is_active or instance.pk is None or (update_fields is not None and "is_active" not in update_fields):
        return
    instance._accounts_deactivated = User.objects.filter(pk=instance.pk, is_active=True).exists()  # type: ignore[attr-defined]


@receiver(post_save, sender=User)
def _end_sessions_on_deactivation(sender: Any, instance: User, **kwargs: Any) -> None:
    if getattr(instance, "_accounts_deactivated", False):
        instance._accounts_deactivated = False  # type: ignore[attr-defined]
        user_sessions_end(user=instance)
