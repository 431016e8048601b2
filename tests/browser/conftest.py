"""Browser journeys in Debian's Chromium, driven by Playwright against Django's live server.

Where Chromium is missing the journeys are skipped with a reason, unless REQUIRE_BROWSER is set (as
.ci/run sets it): then a missing browser fails the run instead of silently skipping it.
Every step's screenshot is kept under test-artifacts/screenshots/<test>/ as a test artefact.
"""

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from jobcenter.accounts.services import second_factor_required
from tests.otp_plugin import current_token, totp_device

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parent.parent.parent
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "bage-kager-hele-dagen"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Playwright runs an event loop in this thread; the live server and the ORM are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("REQUIRE_BROWSER"):
        raise pytest.UsageError(f"REQUIRE_BROWSER is set but {CHROMIUM} is missing: install Debian's chromium.")
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is not installed (apt-get install chromium)")
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


def _slug(text: str) -> str:
    return re.sub(r"[^\w.-]+", "_", text)


@pytest.fixture
def shots(request: pytest.FixtureRequest, page: Page) -> Callable[[str], Path]:
    """shots("step") saves a full-page screenshot named after the test and the step, in order."""
    folder = ARTIFACTS / _slug(request.node.name)
    folder.mkdir(parents=True, exist_ok=True)
    counter = iter(range(1, 1000))

    def shoot(step: str) -> Path:
        path = folder / f"{next(counter):02d}-{_slug(step)}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return shoot


@pytest.fixture
def axe(page: Page) -> Callable[[], None]:
    """Run axe-core (from the repo's npm install) on the current page: no serious or critical violations."""

    def check() -> None:
        # Evaluated through DevTools rather than added as a <script>: the page's CSP refuses inline
        # scripts, and the test must not weaken it (no bypass_csp).
        page.evaluate(AXE.read_text())
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        serious = [
            f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert not serious, f"{page.url}: " + "; ".join(serious)

    return check


@pytest.fixture
def login(page: Page, live_server) -> Iterator[Callable[..., None]]:  # type: ignore[no-untyped-def]
    """login(user): password, then, for the roles that need it (or with totp=True), the TOTP code from
    a device made for the user; `heading` is the landing page's heading (union reps land elsewhere)."""

    def log_in(user, *, totp: bool | None = None, heading: str = "Mit skrivebord") -> None:  # type: ignore[no-untyped-def]
        user.set_password(PASSWORD)
        user.save()
        if totp is None:
            totp = second_factor_required(user)
        if totp:
            # A fresh device each time: a TOTP code is good once, and a test may log in twice.
            TOTPDevice.objects.filter(user=user).delete()
            device = totp_device(user)
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("Brugernavn").fill(user.get_username())
        page.get_by_label("Adgangskode").fill(PASSWORD)
        page.get_by_role("button", name="Log ind").click()
        if totp:
            expect(page.get_by_role("heading", name="Bekræft dit login")).to_be_visible()
            page.get_by_label("Engangskode").fill(current_token(device))
            page.get_by_role("button", name="Bekræft").click()
        expect(page.get_by_role("heading", name=heading)).to_be_visible()

    return log_in
