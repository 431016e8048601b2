"""The second factor: Susanne (supervisor), Lone (3F) and administrators give a TOTP code after the
password before they see any page; Mette (caseworker) is not asked. A wrong code is refused with a
Danish error next to the field and an audit event."""

import re
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch
from django_otp.plugins.otp_totp.models import TOTPDevice

from jobcenter.accounts.middleware import SECOND_FACTOR_EXEMPT
from jobcenter.accounts.services import totp_secret_base32
from jobcenter.audit.models import Action, AuditEvent, Outcome
from jobcenter.organisation import services as org_services
from jobcenter.organisation.roles import Role
from tests.otp_plugin import current_token, totp_device, verified_login

pytestmark = pytest.mark.django_db

VERIFY = "/konto/to-faktor/"
SETUP = "/konto/to-faktor/opsaet/"
WRONG_CODE_ERROR = "Engangskoden er forkert eller udløbet."


def every_page_path(patterns: list | None = None, prefix: str = "") -> Iterator[tuple[str, str]]:
    """(path, view name) of every route in the project, parameters filled with placeholders."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = getattr(entry.pattern, "_route", None)
        if route is None:  # a regular-expression route (the admin's app index): not worth parsing
            continue
        route = re.sub(r"<int:[^>]+>", "1", route)
        route = re.sub(r"<[^>]+>", "x", route)
        if isinstance(entry, URLResolver):
            yield from every_page_path(entry.url_patterns, prefix + route)
        elif isinstance(entry, URLPattern):
            yield "/" + prefix + route, entry.name or ""


def wrong_token(device: TOTPDevice) -> str:
    return f"{(int(current_token(device)) + 500_000) % 1_000_000:06d}"


def second_factor_failures(user) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=Action.LOGIN_FAILED, actor_id=user.pk, details__second_factor=True))


def test_supervisor_without_second_factor_is_sent_to_it_from_every_page(client, world):
    client.force_login(world.susanne)
    paths = [(path, name) for path, name in every_page_path() if name not in SECOND_FACTOR_EXEMPT]
    assert len(paths) > 20, "the walk over the URL configuration found too few pages"
    for path, _name in paths:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(VERIFY), path


def test_the_start_page_sends_no_next_and_other_pages_come_back_after_the_code(client, world):
    client.force_login(world.susanne)
    assert client.get(reverse("home"))["Location"] == VERIFY
    assert client.get(reverse("search") + "?q=Hanne")["Location"] == VERIFY + "?next=%2Fsoeg%2F%3Fq%3DHanne"


def test_htmx_requests_are_redirected_by_the_browser_not_swapped_in(client, world):
    client.force_login(world.susanne)
    response = client.get(reverse("search"), headers={"HX-Request": "true"})
    assert response["HX-Redirect"].startswith(VERIFY)


def test_first_login_shows_the_secret_and_the_otpauth_address_and_confirms_the_device(client, world):
    client.force_login(world.susanne)
    assert client.get(VERIFY)["Location"] == SETUP
    page = client.get(SETUP)
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=world.susanne, confirmed=False)
    text = page.content.decode()
    assert "Opsæt to-faktor-login" in text
    assert re.search(r'id="totp-secret">[A-Z2-7]{32,}<', text)
    assert "otpauth://totp/Jobcenter%3Asusanne?secret=" in text
    assert page["Cache-Control"].startswith("max-age=0")

    secret = totp_secret_base32(device)
    assert f'id="totp-secret">{secret}<' in text
    assert f'id="totp-secret">{secret}<' in client.get(SETUP).content.decode()
    assert TOTPDevice.objects.filter(user=world.susanne).count() == 1, "a reload keeps the same secret"

    response = client.post(SETUP, {"token": current_token(device)})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    device.refresh_from_db()
    assert device.confirmed
    assert "Mit skrivebord" in client.get(reverse("home")).content.decode()


def test_a_wrong_code_at_setup_is_refused_and_confirms_nothing(client, world):
    client.force_login(world.susanne)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=world.susanne)
    response = client.post(SETUP, {"token": wrong_token(device)})
    assert response.status_code == 400
    assert WRONG_CODE_ERROR in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert len(second_factor_failures(world.susanne)) == 1
    assert client.get(reverse("home"))["Location"] == VERIFY


def test_a_wrong_code_is_a_400_with_a_danish_error_by_the_field_and_an_audit_event(client, world):
    device = totp_device(world.susanne)
    client.force_login(world.susanne)
    response = client.post(VERIFY, {"token": wrong_token(device)})
    assert response.status_code == 400
    text = response.content.decode()
    assert 'class="form-group form-error"' in text
    assert WRONG_CODE_ERROR in text
    [event] = second_factor_failures(world.susanne)
    assert event.outcome == Outcome.FAILED
    assert event.details["username"] == "susanne"
    assert client.get(reverse("home"))["Location"] == VERIFY, "still not verified"


@pytest.mark.parametrize(
    ("token", "error"),
    [("", "Skriv engangskoden fra din godkendelses-app."), ("12a456", "Engangskoden består kun af cifre.")],
)
def test_malformed_codes_are_refused_with_danish_errors(client, world, token, error):
    totp_device(world.susanne)
    client.force_login(world.susanne)
    response = client.post(VERIFY, {"token": token})
    assert response.status_code == 400
    assert error in response.content.decode()
    assert len(second_factor_failures(world.susanne)) == 1


def test_guessing_is_throttled_even_the_right_code_right_after_a_wrong_one(client, world):
    device = totp_device(world.susanne)
    client.force_login(world.susanne)
    client.post(VERIFY, {"token": wrong_token(device)})
    response = client.post(VERIFY, {"token": current_token(device)})
    assert response.status_code == 429
    assert "For mange forkerte forsøg." in response.content.decode()
    assert client.get(reverse("home"))["Location"] == VERIFY


def test_the_right_code_reaches_the_desk_with_a_new_session_key_and_a_login_event(client, world):
    device = totp_device(world.susanne)
    client.force_login(world.susanne)
    key_before = client.session.session_key
    response = client.post(VERIFY, {"token": current_token(device)})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session.session_key != key_before
    assert "Mit skrivebord" in client.get(reverse("home")).content.decode()
    assert client.get(reverse("supervision_home")).status_code == 200
    assert AuditEvent.objects.filter(
        action=Action.LOGIN, actor_id=world.susanne.pk, details__second_factor=True
    ).exists()


def test_after_the_code_the_user_goes_back_to_the_page_they_asked_for(client, world):
    device = totp_device(world.susanne)
    client.force_login(world.susanne)
    target = reverse("supervision_home")
    response = client.post(VERIFY + "?next=" + target, {"token": current_token(device), "next": target})
    assert response["Location"] == target


def test_a_foreign_next_address_is_ignored(client, world):
    device = totp_device(world.susanne)
    client.force_login(world.susanne)
    response = client.post(VERIFY, {"token": current_token(device), "next": "https://evil.example/"})
    assert response["Location"] == reverse("home")


def test_a_code_is_good_once(client, world):
    device = totp_device(world.susanne)
    token = current_token(device)
    client.force_login(world.susanne)
    assert client.post(VERIFY, {"token": token}).status_code == 302
    other = Client()
    other.force_login(world.susanne)
    assert other.post(VERIFY, {"token": token}).status_code == 400


def test_the_caseworker_is_not_asked(client, world):
    client.force_login(world.mette)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "Mit skrivebord" in response.content.decode()
    assert client.get(VERIFY)["Location"] == reverse("home")


def test_the_union_representative_lands_on_the_union_page(client, world):
    device = totp_device(world.lone)
    client.force_login(world.lone)
    assert client.get(reverse("home"))["Location"] == VERIFY
    response = client.post(VERIFY, {"token": current_token(device)})
    try:
        expected = reverse("union_landing")
    except NoReverseMatch:
        expected = reverse("home")
    assert response["Location"] == expected


def test_the_admin_needs_the_second_factor_too(client, world):
    admin = org_services.staff_user_create(
        username="anders", password="x", role=Role.ADMINISTRATOR, jobcentre=world.aalborg, acting_user=None
    )
    client.force_login(admin)
    assert client.get("/admin/")["Location"].startswith(VERIFY)
    assert client.get("/admin/auth/user/")["Location"].startswith(VERIFY)
    verified_login(client, admin)
    assert client.get("/admin/").status_code == 200


def test_an_unverified_user_may_log_out_and_switch_language(client, world):
    client.force_login(world.susanne)
    assert client.post(reverse("set_language"), {"language": "en", "next": VERIFY}).status_code == 302
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_the_second_factor_pages_need_a_password_login_first(client, db):
    assert client.get(VERIFY)["Location"].startswith(reverse("login"))
    assert client.get(SETUP)["Location"].startswith(reverse("login"))
