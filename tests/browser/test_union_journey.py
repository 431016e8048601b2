"""Journey 5: Lone Holm, 3F's union representative, reads the Christmas-cookie case she holds a mandate for.

Hanne Jensen has given Lone a power of attorney as party representative for the cookie case. The case
holds a tip from a neighbour whose identity is confidential, a Facebook lookup resting on a documented
suspicion, and a decision that was refused under D2 and D3 because it cited the photo alone. Lone logs in
with her password and a one-time code, finds the case on her own landing page, reads its report (never
the tipper's name) and downloads it as PDF. A second Aalborg case she has no mandate for does not exist
for her, the caseworkers' screens are closed to her, and every refusal is in the audit stream.
"""

import datetime as dt
import io
import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from cases import services as case_services
from cases.models import MandateKind, TipChannel
from jobcenter.audit.models import Action, AuditEvent
from jobcenter.core import clock
from jobcenter.core.violations import RuleViolationError
from tests.cases.support import adverse_draft, cite, social_media_finding
from tests.factories import CaseFactory
from tests.otp_plugin import current_token, totp_device

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "fagforening-hele-vejen"
TIPPER = "Naboen Birthe Østergaard"
TIP_SUMMARY = "Borgeren er set bage julesmåkager i store mængder."
PURPOSE = "Sammenholde borgerens forklaring om funktionsevne med offentlige opslag."


def status_of(page: Page, url: str) -> int:
    """Go to the URL the way a typed address would, and give back the HTTP status of the answer."""
    response = page.goto(url)
    assert response is not None
    return response.status


def test_union_representative_reads_her_mandated_case_and_nothing_else(page: Page, live_server, world, shots, axe):
    case, mette, lone = world.cookie_case, world.mette, world.lone

    # The case as Mette left it: a confidential tip, a lookup with a finding, a refused decision attempt.
    case_services.tip_record(
        case=case,
        channel=TipChannel.PHONE,
        received_on=clock.today() - dt.timedelta(days=2),
        summary=TIP_SUMMARY,
        tipper_identity=TIPPER,
        acting_user=mette,
    )
    finding = social_media_finding(case, by=mette)
    decision = adverse_draft(case, by=mette)
    cite(decision, finding, by=mette)
    with pytest.raises(RuleViolationError):
        case_services.decision_issue(decision=decision, acting_user=mette)
    case_services.mandate_record(
        citizen=case.citizen,
        case=case,
        union=world.union_3f,
        representative=lone,
        kind=MandateKind.PARTY_REPRESENTATIVE,
        valid_from=clock.today(),
        acting_user=mette,
    )
    other = CaseFactory(team=world.sygedagpenge_team, acting_user=mette)

    lone.set_password(PASSWORD)
    lone.save()
    TOTPDevice.objects.filter(user=lone).delete()
    device = totp_device(lone)

    # 1. Password, then the second factor; she lands on her own page with the cookie case.
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Brugernavn").fill(lone.get_username())
    page.get_by_label("Adgangskode").fill(PASSWORD)
    shots("login")
    axe()
    page.get_by_role("button", name="Log ind").click()
    expect(page.get_by_role("heading", name="Bekræft dit login")).to_be_visible()
    shots("second-factor")
    axe()
    page.get_by_label("Engangskode").fill(current_token(device))
    page.get_by_role("button", name="Bekræft").click()
    expect(page.get_by_role("heading", name="Mine sager")).to_be_visible()
    rows = page.locator("#mandated-cases tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(case.reference)
    expect(rows.first).to_contain_text("Hanne Jensen")
    expect(rows.first).to_contain_text("Partsrepræsentant")
    expect(page.get_by_role("link", name=other.reference)).to_have_count(0)
    shots("landing")
    axe()

    # 2. The report: summary, timeline, lookup with basis and purpose, the refusal, compliance. No tipper.
    page.get_by_role("link", name=case.reference).click()
    expect(page.get_by_role("heading", name=f"Sagsrapport {case.reference}")).to_be_visible()
    summary = page.locator("#summary")
    expect(summary).to_contain_text(case.reference)
    expect(summary).to_contain_text("Hanne Jensen")
    expect(summary).to_contain_text("Anmelderes identitet er fortrolig")
    timeline = page.locator("#timeline")
    expect(timeline.locator('tr[data-kind="tip"]')).to_contain_text(TIP_SUMMARY)
    expect(timeline.locator('tr[data-kind="suspicion"]')).to_contain_text("Funktionsevne under sygemelding")
    expect(timeline.locator('tr[data-kind="lookup"]')).to_contain_text(PURPOSE)
    expect(timeline.locator('tr[data-kind="refusal"]')).to_contain_text("Udstedelse afvist: D2, D3")
    lookups = page.locator("#lookups")
    expect(lookups).to_contain_text("Begrundet mistanke: Funktionsevne under sygemelding")
    expect(lookups).to_contain_text(PURPOSE)
    attempt = page.locator("#decisions .refused-attempt")
    expect(attempt).to_have_count(1)
    expect(attempt.locator(".badge", has_text="D2")).to_be_visible()
    expect(attempt.locator(".badge", has_text="D3")).to_be_visible()
    expect(attempt).to_contain_text("Et fund fra sociale medier må aldrig stå alene")
    compliance = page.locator("#compliance")
    expect(compliance.get_by_role("heading", name="Overholdelse af reglerne")).to_be_visible()
    expect(compliance.locator('tr[data-rule="D6"]')).to_contain_text("Afvist efter: D2, D3.")
    content = page.content()
    assert "Birthe" not in content
    assert "Østergaard" not in content
    shots("case-report")
    axe()

    # 3. The report as PDF, made by a job whose progress the page follows: the case reference, never the tipper.
    page.get_by_role("button", name="Bestil PDF").click()
    expect(page.locator("progress")).to_have_attribute("value", "100")
    shots("report-job-done")
    axe()
    with page.expect_download() as info:
        page.get_by_role("link", name="Hent rapporten som PDF").click()
    path = info.value.path()
    assert path is not None
    pdf = path.read_bytes()
    assert pdf.startswith(b"%PDF")
    text = re.sub(r"\s+", " ", "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    assert case.reference in text
    assert "Birthe" not in text
    assert "Østergaard" not in text

    # 4. Another case, and the caseworkers' screens: refused, and every refusal is audited.
    assert status_of(page, f"{live_server.url}/rapporter/sager/{other.pk}/") == 404
    expect(page.get_by_text(other.reference)).to_have_count(0)
    shots("other-case-report-refused")
    axe()

    assert status_of(page, f"{live_server.url}/") in (403, 404)
    expect(page.get_by_role("heading", name="Mit skrivebord")).to_have_count(0)
    shots("desk-refused")
    axe()

    assert status_of(page, f"{live_server.url}/sager/{case.pk}/") in (403, 404)
    expect(page.get_by_role("heading", name=f"Sag {case.reference}")).to_have_count(0)
    shots("case-page-refused")
    axe()

    denied = AuditEvent.objects.filter(action=Action.ACCESS_DENIED, actor_username="lone")
    paths = set(denied.values_list("details__path", flat=True))
    assert {f"/rapporter/sager/{other.pk}/", "/", f"/sager/{case.pk}/"} <= paths
