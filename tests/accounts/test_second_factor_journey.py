"""Journey: Susanne's first login sets up her authenticator app, her next one asks for a code; both in
Chromium under the real Content-Security-Policy, with no policy violation on the way."""

import pytest
from django_otp.oath import totp
from playwright.sync_api import ConsoleMessage, Page, expect

from tests.browser.conftest import CHROMIUM, PASSWORD, axe, browser_type_launch_args, shots  # noqa: F401

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed (apt-get install chromium)"),
]


def code_for(secret: str) -> str:
    from base64 import b32decode

    return f"{totp(b32decode(secret)):06d}"


def test_supervisor_sets_up_the_second_factor_and_reaches_her_desk(page: Page, live_server, world, shots, axe):  # noqa: F811
    # Chromium reports each refused inline script or style on the console ("... violates the following
    # Content Security Policy directive ...").
    violations: list[str] = []

    def watch(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            violations.append(message.text)

    page.on("console", watch)
    world.susanne.set_password(PASSWORD)
    world.susanne.save()

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Brugernavn").fill("susanne")
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    expect(page.get_by_role("heading", name="Opsæt to-faktor-login")).to_be_visible()
    expect(page.locator("#totp-uri")).to_contain_text("otpauth://totp/")
    shots("setup")
    axe()

    secret = page.locator("#totp-secret").inner_text()
    page.get_by_label("Engangskode").fill(f"{(int(code_for(secret)) + 1) % 1_000_000:06d}")
    page.get_by_role("button", name="Bekræft opsætningen").click()
    expect(page.get_by_text("Engangskoden er forkert eller udløbet.")).to_be_visible()
    shots("wrong-code")
    page.wait_for_timeout(1100)  # the throttle after one wrong code

    page.get_by_label("Engangskode").fill(code_for(secret))
    page.get_by_role("button", name="Bekræft opsætningen").click()
    expect(page.get_by_role("heading", name="Mit skrivebord")).to_be_visible()
    shots("desk")
    page.get_by_role("link", name="Tilsyn").click()
    expect(page).to_have_url(f"{live_server.url}/tilsyn/")
    axe()
    assert not violations, violations
