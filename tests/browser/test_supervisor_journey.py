"""Journey 5: Susanne, supervisor in Aalborg, follows up on the Christmas-cookie case from her desk.

Mette has built the cookie case's refused decision: a Facebook photo marked for use, and a decision to
add praktik hours resting on it alone, refused under D2 and D3. Susanne logs in with her second factor,
goes to the supervisor's desk, filters the audit log on the case and sees the refused attempt with its
rules, exports the log as CSV (itself an audited export), flags the lookup behind the photo with a
comment that goes into the case's journal, and finds the refused attempt again on the flags page.
"""

import csv
import io

import pytest
from playwright.sync_api import Page, expect

from cases import services as case_services
from cases.models import DecisionKind, JournalNote, JournalNoteKind
from jobcenter.audit.models import Action, AuditEvent
from jobcenter.core.violations import RuleViolationError
from jobcenter.supervision.models import LookupReview, ReviewOutcome
from socialmedia_checks.models import Lookup
from tests.cases.support import adverse_draft, cite, social_media_finding

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

COMMENT = "Grundlaget blev registreret kort før opslaget."


def test_supervisor_reviews_the_cookie_case_from_her_desk(page: Page, live_server, world, login, shots, axe):
    case, mette, susanne = world.cookie_case, world.mette, world.susanne

    # Setup, through the services as Mette: the photo alone behind a decision, refused under D2 and D3.
    finding = social_media_finding(case, by=mette)
    decision = adverse_draft(
        case,
        by=mette,
        kind=DecisionKind.PRAKTIK_HOURS_INCREASE,
        summary="Praktik øges fra 10 til 20 timer om ugen.",
        facts_relied_on="Billede på Facebook.",
    )
    cite(decision, finding, by=mette)
    with pytest.raises(RuleViolationError) as refused:
        case_services.decision_issue(decision=decision, acting_user=mette)
    assert sorted(refused.value.codes) == ["D2", "D3"]
    lookup = Lookup.objects.get(case=case)

    # 1. Susanne logs in with her second factor and goes from her desk to the supervisor's desk.
    login(susanne)
    shots("desk")
    axe()
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Tilsyn").click()
    expect(page.get_by_role("heading", name="Tilsyn", exact=True)).to_be_visible()
    expect(page.locator("#desk-unreviewed")).to_contain_text("1 opslag venter på gennemgang")
    shots("supervision-home")
    axe()

    # 2. The audit log, filtered on the case: the refused attempt with its rules.
    page.get_by_role("link", name="Revisionslog: hvem har set og ændret hvad").click()
    expect(page.get_by_role("heading", name="Revisionsspor")).to_be_visible()
    shots("audit-log")
    axe()
    page.get_by_label("Sagsnummer").fill(case.reference)
    page.get_by_role("button", name="Vis hændelser").click()
    table = page.locator("#audit-log")
    expect(table).to_be_visible()
    refusal = table.locator("tbody tr").filter(has_text="Afgørelse afvist")
    expect(refusal).to_have_count(1)
    expect(refusal).to_contain_text(case.reference)
    expect(refusal).to_contain_text("mette")
    expect(refusal.locator(".badge-error").filter(has_text="Afvist af reglerne")).to_be_visible()
    expect(refusal.locator(".badge-error").filter(has_text="D2")).to_be_visible()
    expect(refusal.locator(".badge-error").filter(has_text="D3")).to_be_visible()
    # Every row is about the cookie case.
    for reference in table.locator("tbody tr td:nth-child(6)").all_inner_texts():
        assert reference.strip() == case.reference
    shots("audit-log-filtered")
    axe()

    # 3. The same filter exported as CSV: a file with a header row and the case's events, and an export event.
    with page.expect_download() as info:
        page.get_by_role("button", name="Eksportér som CSV").click()
    download = info.value
    assert download.suggested_filename.startswith("revisionsspor-")
    assert download.suggested_filename.endswith(".csv")
    path = download.path()
    assert path is not None
    with open(path, encoding="utf-8-sig") as handle:
        text = handle.read()
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == [
        "Hændelse",
        "Tidspunkt",
        "Brugernavn",
        "Rolle",
        "Handling",
        "Objekttype",
        "Objekt",
        "Sag",
        "Udfald",
        "Begrundelse",
        "Kildeadresse",
    ]
    assert len(rows) > 2
    assert all(row[7] == case.reference for row in rows[1:])
    refused_rows = [row for row in rows[1:] if row[4] == "Afgørelse afvist"]
    assert len(refused_rows) == 1
    assert refused_rows[0][2] == "mette"
    assert refused_rows[0][8] == "Afvist af reglerne"
    assert refused_rows[0][9] == "D2, D3"
    exports = AuditEvent.objects.filter(action=Action.EXPORT, actor=susanne, case_id=case.pk)
    assert exports.count() == 1
    assert exports.get().details["export"] == "audit_log"
    # The page is still the filtered log.
    expect(page.locator("#audit-log")).to_be_visible()

    # 4. The review queue: flag the cookie case's lookup with a comment.
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Tilsyn").click()
    page.locator("#desk-unreviewed").click()
    expect(page.get_by_role("heading", name="Gennemgang af opslag")).to_be_visible()
    row = page.locator(f"#lookup-{lookup.pk}")
    expect(row.get_by_role("link", name=f"Opslag på Facebook i sag {case.reference}")).to_be_visible()
    expect(row).to_contain_text("Ikke gennemgået")
    shots("review-queue")
    axe()
    row.locator("summary", has_text="Markér med bemærkning").click()
    row.get_by_label("Bemærkning").fill(COMMENT)
    shots("review-queue-flag-form")
    axe()
    row.get_by_role("button", name="Markér med bemærkning").click()
    expect(page.get_by_text("Opslaget er markeret med din bemærkning.")).to_be_visible()
    expect(page.locator(f"#lookup-{lookup.pk}")).to_have_count(0)
    shots("review-queue-after-flag")
    axe()

    page.get_by_label("Vis").select_option(label="Markeret med bemærkning")
    page.get_by_role("button", name="Vis", exact=True).click()
    flagged = page.locator(f"#lookup-{lookup.pk}")
    expect(flagged).to_be_visible()
    expect(flagged.locator(".badge-error").filter(has_text="Markeret med bemærkning")).to_be_visible()
    expect(flagged).to_contain_text("af Susanne Berg")
    expect(flagged).to_contain_text(COMMENT)
    shots("review-queue-flagged")
    axe()

    review = LookupReview.objects.get(lookup=lookup)
    assert review.outcome == ReviewOutcome.FLAGGED
    assert review.reviewer == susanne
    assert review.comment == COMMENT
    note = JournalNote.objects.get(case=case, kind=JournalNoteKind.SYSTEM, text__contains=COMMENT)
    assert note.author == susanne

    # 5. The flags page lists the refused attempt with its rules; the approvals inbox is empty.
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Tilsyn").click()
    expect(page.get_by_role("heading", name="Tilsyn", exact=True)).to_be_visible()
    page.get_by_role("link", name="Flag", exact=True).click()
    expect(page.get_by_role("heading", name="Flag", exact=True)).to_be_visible()
    attempts = page.locator('[data-flag="D6.refused"] tbody tr')
    expect(attempts).to_have_count(1)
    expect(attempts.first).to_contain_text(case.reference)
    expect(attempts.first).to_contain_text("Mette Madsen")
    expect(attempts.first.locator(".badge-error")).to_have_text("D2, D3")
    shots("flags")
    axe()

    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Tilsyn").click()
    page.locator("#desk-awaiting-approval").click()
    expect(page.get_by_role("heading", name="Afgørelser, der venter på godkendelse")).to_be_visible()
    expect(page.locator("#approvals-empty")).to_have_text("Ingen afgørelser venter på godkendelse.")
    shots("approvals")
    axe()
