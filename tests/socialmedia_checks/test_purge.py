"""L8 after recording: a finding never marked for use is purged once the jobcentre's retention period
(30 days in the presets) has passed. What remains is metadata (times, SHA-256), and the purge is logged."""

import datetime as dt
import hashlib

import pytest
import time_machine
from django.core.exceptions import FieldDoesNotExist
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from cases.models import JournalNote, JournalNoteKind
from jobcenter.core.violations import RuleViolationError
from socialmedia_checks import services as smc_services
from socialmedia_checks.models import Finding, FindingStatus
from socialmedia_checks.tasks import purge_unused_findings
from tests.factories import CaseFactory, tip_for
from tests.socialmedia_checks.conftest import citizen_statement, record_lookup

pytestmark = pytest.mark.django_db

SCREENSHOT = b"\x89PNG\r\n\x1a\n" + b"julesmaakager" * 100
DESCRIPTION = "Offentligt billede af julesmåkager med teksten 'Så er der bagt hele dagen!'."
RELEVANCE = "Kan vise, at borgeren kan stå op i længere tid."
URL = "https://www.facebook.com/photo/98765"
RETENTION = dt.timedelta(days=30)


@pytest.fixture
def lookup(prepared):
    return record_lookup(prepared.case, prepared.suspicion, by=prepared.mette)


def record_finding(lookup, *, by, attachment=True, description=DESCRIPTION) -> Finding:
    return smc_services.finding_record(
        lookup=lookup,
        description=description,
        relevance=RELEVANCE,
        url=URL,
        attachment=SimpleUploadedFile("julesmaakager.png", SCREENSHOT, "image/png") if attachment else None,
        acting_user=by,
    )


@pytest.fixture
def finding(lookup, prepared):
    return record_finding(lookup, by=prepared.mette)


def purge_notes(case):
    return list(case.journal_notes.filter(kind=JournalNoteKind.SYSTEM, text__contains="slettet"))


def test_l8_unused_finding_is_purged_after_the_retention_period(prepared, finding, django_capture_on_commit_callbacks):
    storage, name = finding.attachment.storage, finding.attachment.name
    assert storage.exists(name)
    purge_time = finding.recorded_at + RETENTION + dt.timedelta(seconds=1)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert smc_services.findings_purge_unused(now=purge_time) == 1
        assert storage.exists(name), "the file must outlive the transaction that purges its row"
    assert len(callbacks) == 1
    assert not storage.exists(name)

    finding.refresh_from_db()
    assert finding.status == FindingStatus.PURGED
    assert finding.purged_at == purge_time
    assert (finding.description, finding.url, finding.relevance, finding.attachment.name) == ("", "", "", "")
    # Metadata remains.
    assert finding.attachment_sha256 == hashlib.sha256(SCREENSHOT).hexdigest()
    assert finding.attachment_size == len(SCREENSHOT)
    assert finding.attachment_content_type == "image/png"
    assert finding.lookup.performed_at is not None
    # The purge is logged on the case, by the system.
    [note] = purge_notes(prepared.case)
    assert note.author is None
    assert str(finding.pk) in note.text
    assert "30" in note.text
    assert finding.history.first().history_change_reason == "finding_purge"


def test_l8_finding_is_purged_exactly_when_the_period_ends(finding):
    assert smc_services.findings_purge_unused(now=finding.recorded_at + RETENTION - dt.timedelta(seconds=1)) == 0
    finding.refresh_from_db()
    assert finding.status == FindingStatus.RECORDED
    assert finding.description == DESCRIPTION
    assert smc_services.findings_purge_unused(now=finding.recorded_at + RETENTION) == 1
    finding.refresh_from_db()
    assert finding.status == FindingStatus.PURGED


def test_l8_younger_finding_is_not_purged(prepared, finding):
    notes = JournalNote.objects.count()
    assert smc_services.findings_purge_unused(now=finding.recorded_at + dt.timedelta(days=29)) == 0
    finding.refresh_from_db()
    assert finding.status == FindingStatus.RECORDED
    assert finding.attachment.storage.exists(finding.attachment.name)
    assert JournalNote.objects.count() == notes


def test_l8_finding_marked_for_use_is_never_purged(prepared, finding):
    smc_services.finding_mark_for_use(finding=finding, title="Billede af julesmåkager", acting_user=prepared.mette)
    assert smc_services.findings_purge_unused(now=finding.recorded_at + dt.timedelta(days=3650)) == 0
    finding.refresh_from_db()
    assert finding.status == FindingStatus.MARKED_FOR_USE
    assert finding.description == DESCRIPTION
    assert finding.attachment.storage.exists(finding.attachment.name)
    assert purge_notes(prepared.case) == []


def test_l8_purge_is_idempotent(prepared, finding, django_capture_on_commit_callbacks):
    later = finding.recorded_at + RETENTION + dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert smc_services.findings_purge_unused(now=later) == 1
    history_rows = finding.history.count()
    with django_capture_on_commit_callbacks(execute=True) as second:
        assert smc_services.findings_purge_unused(now=later + dt.timedelta(days=1)) == 0
    assert second == []
    assert len(purge_notes(prepared.case)) == 1
    assert finding.history.count() == history_rows
    finding.refresh_from_db()
    assert finding.purged_at == later


def test_l8_purged_finding_cannot_be_marked_for_use(prepared, finding):
    smc_services.findings_purge_unused(now=finding.recorded_at + RETENTION)
    with pytest.raises(RuleViolationError) as excinfo:
        smc_services.finding_mark_for_use(finding=finding, title="For sent", acting_user=prepared.mette)
    assert excinfo.value.codes == ["INPUT.state"]
    assert not prepared.case.evidence_items.filter(kind="social_media_finding").exists()


def test_l8_retention_period_follows_the_jobcentres_policy(world, finding):
    world.set_policy(world.aalborg, finding_retention_days=7)
    assert smc_services.findings_purge_unused(now=finding.recorded_at + dt.timedelta(days=6)) == 0
    assert smc_services.findings_purge_unused(now=finding.recorded_at + dt.timedelta(days=7)) == 1


def test_l8_history_never_holds_a_findings_content(prepared, finding):
    historical = Finding.history.model
    for field in ("description", "url", "relevance", "attachment"):
        with pytest.raises(FieldDoesNotExist):
            historical._meta.get_field(field)
    with connection.cursor() as cursor:
        columns = {c.name for c in connection.introspection.get_table_description(cursor, historical._meta.db_table)}
    assert not columns & {"description", "url", "relevance", "attachment"}

    smc_services.finding_mark_for_use(finding=finding, title="Julesmåkager", acting_user=prepared.mette)
    other = record_finding(finding.lookup, by=prepared.mette, description="Billede fra en koncert i Aalborg.")
    smc_services.findings_purge_unused(now=other.recorded_at + RETENTION)
    rows = list(Finding.history.values())
    assert len(rows) >= 4  # two created, one marked for use, one purged
    for row in rows:
        for value in row.values():
            if isinstance(value, str):
                assert DESCRIPTION not in value
                assert "koncert" not in value
                assert RELEVANCE not in value
                assert URL not in value


def test_l8_after_a_purge_no_journal_note_still_holds_the_findings_content(prepared, finding):
    """What remains after a purge is metadata: the content must not survive in an immutable journal note."""
    smc_services.findings_purge_unused(now=finding.recorded_at + RETENTION)
    leaks = [n.text for n in JournalNote.objects.filter(case=prepared.case) if DESCRIPTION in n.text]
    assert leaks == []
    history_leaks = [h.text for h in JournalNote.history.filter(case=prepared.case) if DESCRIPTION in h.text]
    assert history_leaks == []


def test_l8_the_celery_task_purges_every_due_finding_and_reports_the_count(world, prepared, lookup):
    old_one = record_finding(lookup, by=prepared.mette)
    old_two = record_finding(lookup, by=prepared.mette, attachment=False, description="Billede fra en koncert.")
    used = record_finding(lookup, by=prepared.mette, attachment=False, description="Billede fra en bagedyst.")
    smc_services.finding_mark_for_use(finding=used, title="Bagedyst", acting_user=prepared.mette)
    # A finding in Aarhus, recorded later: not yet due.
    with time_machine.travel(timezone.now() + dt.timedelta(days=20), tick=False):
        with time_machine.travel(timezone.now() - dt.timedelta(hours=2), tick=False):
            aarhus_case = CaseFactory(team=world.aarhus_team, acting_user=world.ahmed)
            citizen_statement(aarhus_case, by=world.ahmed)
            aarhus_tip = tip_for(aarhus_case, by=world.ahmed)
        aarhus_lookup = record_lookup(
            aarhus_case,
            aarhus_tip,
            by=world.ahmed,
            shared_profile=world.aarhus.shared_profiles.create(platform="facebook", account_name="Aarhus Kontrol"),
        )
        young = record_finding(aarhus_lookup, by=world.ahmed, attachment=False)

    with time_machine.travel(timezone.now() + RETENTION + dt.timedelta(days=1), tick=False):
        # apply() runs the task body in this process whether or not REDIS_URL names a broker.
        assert purge_unused_findings.apply().get() == 2
        assert purge_unused_findings.apply().get() == 0

    statuses = {f.pk: f.status for f in Finding.objects.all()}
    assert statuses == {
        old_one.pk: FindingStatus.PURGED,
        old_two.pk: FindingStatus.PURGED,
        used.pk: FindingStatus.MARKED_FOR_USE,
        young.pk: FindingStatus.RECORDED,
    }
