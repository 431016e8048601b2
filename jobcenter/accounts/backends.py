"""The authentication backend: Django's model backend, loading the request's user with what every
page needs (roles, staff profile, unread messages) in one query instead of four."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User

from jobcenter.notifications.selectors import unread_count_subquery
from jobcenter.organisation.selectors import remember_role_facts, users_with_role_facts


class StaffModelBackend(ModelBackend):
    def get_user(self, user_id: int) -> User | None:
        user = (
            users_with_role_facts()
            .annotate(unread_notification_count=unread_count_subquery())
            .filter(pk=user_id)
            .first()
        )
        if user is None or not self.user_can_authenticate(user):
            return None
        remember_role_facts(user)
        return user
