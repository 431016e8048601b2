"""The absolute lifetime of a login, and the second factor for the roles that need one."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from jobcenter.accounts.services import (
    login_too_old,
    second_factor_passed,
    second_factor_required,
    session_keep_alive,
)

# What an unverified user may still reach: the second-factor pages themselves, logging out and the
# language switch (the pages must be readable in the language the user picks).
SECOND_FACTOR_EXEMPT = frozenset({"second_factor_verify", "second_factor_setup", "logout", "set_language"})


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    # An htmx request would swap the target page into a fragment; make the browser go there instead.
    # (Read from the header: django-htmx's middleware runs after this one.)
    if request.headers.get("HX-Request") == "true":
        return HttpResponseClientRedirect(url)
    return HttpResponseRedirect(url)


class SessionLifetimeMiddleware:
    """Logs the user out once their login is older than SESSION_ABSOLUTE_LIFETIME, active or not, and
    keeps an active user's session alive for another SESSION_COOKIE_AGE (the idle timeout)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and login_too_old(request.session):
            next_path = request.get_full_path() if request.method == "GET" else None
            logout(request)
            messages.info(request, _("Du har været logget ind i for lang tid. Log ind igen."))
            if next_path is None:
                return _redirect(request, reverse("login"))
            response = redirect_to_login(next_path)
            return _redirect(request, response["Location"])
        if request.user.is_authenticated:
            session_keep_alive(request.session)
        return self.get_response(request)


class SecondFactorMiddleware:
    """Sends a user whose role needs a second factor to the TOTP page until they have passed it in this
    session. Every page is covered, the admin included; the user may only verify, set up or log out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not second_factor_passed(user) and not self._exempt(request):
            if second_factor_required(user):
                return _redirect(request, self._verify_url(request))
        return self.get_response(request)

    @staticmethod
    def _exempt(request: HttpRequest) -> bool:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.view_name in SECOND_FACTOR_EXEMPT

    @staticmethod
    def _verify_url(request: HttpRequest) -> str:
        url = reverse("second_factor_verify")
        # The start page after login is no destination: the landing page depends on the role.
        if request.method == "GET" and request.path != reverse("home"):
            return f"{url}?{urlencode({'next': request.get_full_path()})}"
        return url
