"""L8 at recording time: a finding says what it is and why it matters; its attachment is a real
screenshot or PDF of bounded size, whose SHA-256 is kept."""

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from cases.models import EvidenceKind
from jobcenter.core.violations import RuleViolationError
from socialmedia_checks import services as smc_services
from socialmedia_checks.models import Finding, FindingStatus
from tests.socialmedia_checks.conftest import record_lookup, refused

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x11" * 500
PDF = b"%PDF-1.7\n" + b"1 0 obj << >> endobj\n" * 20


@pytest.fixture
def lookup(prepared):
    return record_lookup(prepared.case, prepared.suspicion, by=prepared.mette)


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file())


def record_finding(lookup, *, by, **overrides) -> Finding:
    fields = {
        "description": "Offentligt billede af julesmåkager med teksten 'Så er der bagt!'.",
        "relevance": "Kan vise, at borgeren kan stå op i længere tid, hvilket er kontroltemaet.",
        "url": "https://www.facebook.com/photo/123",
        "posted_on": timezone.localdate() - dt.timedelta(days=3),
        **overrides,
    }
    return smc_services.finding_record(lookup=lookup, acting_user=by, **fields)


def test_l8_a_finding_with_description_and_relevance_is_recorded(lookup, prepared):
    finding = record_finding(lookup, by=prepared.mette)
    finding.refresh_from_db()
    assert finding.status == FindingStatus.RECORDED
    assert finding.recorded_by == prepared.mette
    assert finding.relevance.startswith("Kan vise")
    assert finding.attachment_sha256 == ""
    assert finding.evidence_item is None


@pytest.mark.parametrize("relevance", ["", "   \n"])
def test_l8_finding_without_relevance_is_refused(lookup, prepared, relevance):
    with refused("L8.relevance"):
        record_finding(lookup, by=prepared.mette, relevance=relevance)


@pytest.mark.parametrize("description", ["", "\t "])
def test_l8_finding_without_description_is_refused(lookup, prepared, description):
    with refused("L8.description"):
        record_finding(lookup, by=prepared.mette, description=description)


def test_l8_finding_with_a_url_that_is_not_a_web_address_is_refused(lookup, prepared):
    with refused("L8.url"):
        record_finding(lookup, by=prepared.mette, url="javascript:alert(1)")


def test_finding_posted_in_the_future_is_refused(lookup, prepared):
    with refused("INPUT.future"):
        record_finding(lookup, by=prepared.mette, posted_on=timezone.localdate() + dt.timedelta(days=1))


def test_finding_posted_today_is_accepted(lookup, prepared):
    finding = record_finding(lookup, by=prepared.mette, posted_on=timezone.localdate())
    assert finding.posted_on == timezone.localdate()


def test_a1_caseworker_of_another_jobcentre_cannot_record_a_finding(world, lookup):
    with refused("A1"):
        record_finding(lookup, by=world.ahmed)


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("noter.txt", b"Hun bagte kager hele dagen.", "text/plain"),
        ("skaermbillede.png", b"GIF89a this is not a PNG at all", "image/png"),
        ("skaermbillede.png", JPEG, "image/png"),
        ("billede.jpg", PNG, "image/jpeg"),
        ("rapport.pdf", b"MZ\x90\x00 an executable", "application/pdf"),
        ("program.exe", b"MZ\x90\x00 an executable", "application/x-msdownload"),
        ("billede.gif", b"GIF89a" + b"\x00" * 100, "image/gif"),
    ],
)
def test_l8_attachment_of_the_wrong_type_is_refused_and_no_file_is_stored(
    lookup, prepared, name, content, content_type
):
    files_before = stored_files()
    with refused("L8.type"):
        record_finding(
            lookup, by=prepared.mette, attachment=SimpleUploadedFile(name, content, content_type=content_type)
        )
    assert stored_files() == files_before


def test_l8_an_empty_file_is_refused_as_empty_and_no_file_is_stored(lookup, prepared):
    files_before = stored_files()
    with refused("L8.empty"):
        record_finding(
            lookup, by=prepared.mette, attachment=SimpleUploadedFile("tom.png", b"", content_type="image/png")
        )
    assert stored_files() == files_before


@override_settings(FINDING_ATTACHMENT_MAX_BYTES=1024)
def test_l8_oversized_attachment_is_refused_and_no_file_is_stored(lookup, prepared):
    big = b"\x89PNG\r\n\x1a\n" + b"\x00" * 2048
    files_before = stored_files()
    with refused("L8.size"):
        record_finding(lookup, by=prepared.mette, attachment=SimpleUploadedFile("stor.png", big, "image/png"))
    assert stored_files() == files_before


@override_settings(FINDING_ATTACHMENT_MAX_BYTES=1024)
def test_l8_attachment_of_exactly_the_maximum_size_is_accepted(lookup, prepared):
    exact = b"\x89PNG\r\n\x1a\n" + b"\x00" * (1024 - 8)
    finding = record_finding(lookup, by=prepared.mette, attachment=SimpleUploadedFile("s.png", exact, "image/png"))
    assert finding.attachment_size == 1024


def test_l8_a_finding_refused_after_the_rule_checks_leaves_no_screenshot_behind(lookup, prepared):
    """A URL longer than the field allows passes the rules but not the model validation. The refused finding
    must not leave its screenshot in storage: no row points at it, so no purge would ever remove it."""
    files_before = stored_files()
    with pytest.raises(ValidationError):
        record_finding(
            lookup,
            by=prepared.mette,
            url="https://www.facebook.com/photo/" + "9" * 1000,
            attachment=SimpleUploadedFile("skaermbillede.png", PNG, "image/png"),
        )
    assert not Finding.objects.exists()
    assert stored_files() == files_before


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [("skaermbillede.png", PNG, "image/png"), ("foto.jpg", JPEG, "image/jpeg"), ("opslag.pdf", PDF, "application/pdf")],
)
def test_l8_valid_attachment_is_stored_with_its_sha256_type_and_size(lookup, prepared, name, content, content_type):
    finding = record_finding(lookup, by=prepared.mette, attachment=SimpleUploadedFile(name, content, content_type))
    finding.refresh_from_db()
    assert finding.attachment_sha256 == hashlib.sha256(content).hexdigest()
    assert finding.attachment_content_type == content_type
    assert finding.attachment_size == len(content)
    assert finding.attachment.name.startswith("findings/")
    with finding.attachment.open("rb") as stored:
        assert stored.read() == content
    # The hash is metadata and survives in history; the file name does not.
    historical = finding.history.get()
    assert historical.attachment_sha256 == finding.attachment_sha256


def test_l8_a_finding_becomes_evidence_only_when_marked_for_use(lookup, prepared):
    finding = record_finding(lookup, by=prepared.mette)
    assert not prepared.case.evidence_items.filter(kind=EvidenceKind.SOCIAL_MEDIA_FINDING).exists()
    marked = smc_services.finding_mark_for_use(
        finding=finding, title="Billede af julesmåkager", acting_user=prepared.mette
    )
    assert marked.status == FindingStatus.MARKED_FOR_USE
    item = marked.evidence_item
    assert item.kind == EvidenceKind.SOCIAL_MEDIA_FINDING
    assert item.case == prepared.case
    assert item.source_url == "https://www.facebook.com/photo/123"
    with pytest.raises(RuleViolationError) as twice:
        smc_services.finding_mark_for_use(finding=finding, title="Igen", acting_user=prepared.mette)
    assert twice.value.codes == ["INPUT.state"]
    assert prepared.case.evidence_items.filter(kind=EvidenceKind.SOCIAL_MEDIA_FINDING).count() == 1
