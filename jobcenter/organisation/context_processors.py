"""The user's roles, for the navigation: a link is shown only to those who may follow it."""

from typing import Any

from django.http import HttpRequest

from jobcenter.organisation.selectors import user_role_names


def roles(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user_roles": frozenset()}
    return {"user_roles": user_role_names(user)}
