"""The second factor after the password: set up a TOTP app once, then give a code at every login."""

from typing import Any

import django_otp
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django_otp.plugins.otp_totp.models import TOTPDevice

from jobcenter.accounts.forms import TokenForm
from jobcenter.accounts.services import (
    confirmed_totp_device,
    second_factor_passed,
    second_factor_required,
    totp_device_for_setup,
    totp_secret_base32,
    totp_token_check,
)
from jobcenter.audit.models import Action, Outcome
from jobcenter.audit.services import audit_record
from jobcenter.organisation.roles import Role
from jobcenter.organisation.selectors import staff_profile_for, teams_of_user, user_has_role, user_role_names


def landing_url(user: User) -> str:
    """Union representatives start on their own page; everyone else on the desk."""
    if user_has_role(user, Role.UNION_REPRESENTATIVE):
        try:
            return reverse("union_landing")
        except NoReverseMatch:
            pass
    return reverse("home")


def _next_url(request: HttpRequest) -> str | None:
    candidate = request.POST.get("next") or request.GET.get("next")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return None


@method_decorator(never_cache, name="dispatch")
class SecondFactorView(LoginRequiredMixin, View):
    """Shared by verification and setup: both check a code against a TOTP device, and on success
    mark the session as verified, give it a new key (ASVS 7.2.4) and go on."""

    template_name: str
    # Setup: the first correct code also confirms the new device.
    confirms_device = False

    def device(self, user: User) -> TOTPDevice | None:
        raise NotImplementedError

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if isinstance(user, User) and (second_factor_passed(user) or not second_factor_required(user)):
            return HttpResponseRedirect(_next_url(request) or landing_url(user))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        device = self.device(request.user)  # type: ignore[arg-type]
        if device is None:
            return self.elsewhere(request)
        return self.show(request, device, TokenForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        user: User = request.user  # type: ignore[assignment]
        device = self.device(user)
        if device is None:
            return self.elsewhere(request)
        form = TokenForm(request.POST)
        if not form.is_valid():
            return self.refuse(request, device, form, status=400, reason="malformed_token")
        check = totp_token_check(device=device, token=form.cleaned_data["token"], confirm_device=self.confirms_device)
        if not check.allowed:
            form.add_error("token", _("For mange forkerte forsøg. Vent et øjeblik, og prøv igen."))
            return self.refuse(request, device, form, status=429, reason="throttled")
        if not check.verified:
            form.add_error("token", _("Engangskoden er forkert eller udløbet. Prøv med den kode, appen viser nu."))
            return self.refuse(request, device, form, status=400, reason="wrong_token")
        django_otp.login(request, device)
        request.session.cycle_key()
        audit_record(actor=user, action=Action.LOGIN, details={"second_factor": True})
        return HttpResponseRedirect(_next_url(request) or landing_url(user))

    def elsewhere(self, request: HttpRequest) -> HttpResponse:
        raise NotImplementedError

    def refuse(
        self, request: HttpRequest, device: TOTPDevice, form: TokenForm, *, status: int, reason: str
    ) -> HttpResponse:
        audit_record(
            actor=request.user,  # type: ignore[arg-type]
            action=Action.LOGIN_FAILED,
            outcome=Outcome.FAILED,
            reason=reason,
            details={"second_factor": True, "username": request.user.get_username()},
        )
        return self.show(request, device, form, status=status)

    def show(self, request: HttpRequest, device: TOTPDevice, form: TokenForm, status: int = 200) -> HttpResponse:
        context = {"form": form, "next": _next_url(request) or "", **self.extra_context(device)}
        return render(request, self.template_name, context, status=status)

    def extra_context(self, device: TOTPDevice) -> dict[str, Any]:
        return {}

    @staticmethod
    def with_next(request: HttpRequest, url: str) -> str:
        next_url = _next_url(request)
        return f"{url}?{urlencode({'next': next_url})}" if next_url else url


class SecondFactorVerifyView(SecondFactorView):
    template_name = "accounts/second_factor_verify.html"

    def device(self, user: User) -> TOTPDevice | None:
        return confirmed_totp_device(user)

    def elsewhere(self, request: HttpRequest) -> HttpResponse:
        return HttpResponseRedirect(self.with_next(request, reverse("second_factor_setup")))


class SecondFactorSetupView(SecondFactorView):
    """First login of a user who needs a second factor: the secret to put into an authenticator app,
    confirmed by the first code the app shows."""

    template_name = "accounts/second_factor_setup.html"
    confirms_device = True

    def device(self, user: User) -> TOTPDevice | None:
        if confirmed_totp_device(user) is not None:
            return None
        return totp_device_for_setup(user)

    def elsewhere(self, request: HttpRequest) -> HttpResponse:
        return HttpResponseRedirect(self.with_next(request, reverse("second_factor_verify")))

    def extra_context(self, device: TOTPDevice) -> dict[str, Any]:
        return {"secret": totp_secret_base32(device), "otpauth_uri": device.config_url}


class AccountView(LoginRequiredMixin, View):
    """Who the user is logged in as: name, roles, jobcentre or union, teams and the second factor.
    The lightest page with the whole page frame; the benchmark measures every other page against it."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        assert isinstance(user, User)
        return render(
            request,
            "accounts/account.html",
            {
                "profile": staff_profile_for(user),
                "roles": sorted(Role(name).label for name in user_role_names(user) if name in Role.values),
                "teams": list(teams_of_user(user)),
                "second_factor_required": second_factor_required(user),
                "second_factor_passed": second_factor_passed(user),
            },
        )
