"""Every write about social-media lookups: recording a lookup, its findings, marking a finding for
use (which turns it into case evidence) and purging findings never used."""

import hashlib
from datetime import date, datetime

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from cases.models import Case, Suspicion, Tip
from cases.services import case_lock, ensure_actor_may_work_on, evidence_add_social_media_finding, journal_note_system
from jobcenter.core import clock
from jobcenter.core.history import save_validated
from jobcenter.core.violations import RuleViolationError, Violation, raise_if_any
from jobcenter.organisation.models import Platform, SharedProfile
from jobcenter.organisation.selectors import policy_current
from socialmedia_checks import rules
from socialmedia_checks.models import Finding, FindingStatus, Lookup, LookupOutcome
from socialmedia_checks.selectors import (
    basis_facts,
    earliest_other_information_at,
    lookup_policy_facts,
    shared_profile_facts,
)


@transaction.atomic
def lookup_record(
    *,
    case: Case,
    basis: Tip | Suspicion | None,
    platform: Platform | str,
    profile_url: str,
    purpose: str,
    content_was_public: bool,
    no_contact_confirmed: bool,
    outcome: LookupOutcome | str,
    performed_at: datetime,
    material_from_citizen: bool = False,
    shared_profile: SharedProfile | None = None,
    acting_user: User,
) -> Lookup:
    """Record one look at a citizen's profile (L1-L7). The acting user is always the person who looked,
    even when the jobcentre's shared profile was used (L6)."""
    case = case_lock(case)
    ensure_actor_may_work_on(case, acting_user)
    policy = policy_current(jobcentre=case.citizen.jobcentre_id)
    if basis is not None:
        # Re-read under the case lock so that a basis closed a moment ago counts as closed.
        basis = type(basis).objects.get(pk=basis.pk)
    facts = rules.LookupFacts(
        case_id=case.pk,
        case_jobcentre_id=case.citizen.jobcentre_id,
        bases=(basis_facts(basis),) if basis is not None else (),
        platform=platform,
        profile_url=profile_url.strip(),
        purpose=purpose,
        content_was_public=content_was_public,
        material_from_citizen=material_from_citizen,
        no_contact_confirmed=no_contact_confirmed,
        shared_profile=shared_profile_facts(shared_profile),
        performed_at=performed_at,
        earliest_other_information_at=earliest_other_information_at(case=case),
    )
    now = clock.now()
    raise_if_any(rules.check_lookup(facts, lookup_policy_facts(policy), now=now))
    # Within the clock tolerance a time a moment ahead of the server's is the present, never the future.
    performed_at = min(performed_at, now)
    lookup = save_validated(
        Lookup(
            case=case,
            tip=basis if isinstance(basis, Tip) else None,
            suspicion=basis if isinstance(basis, Suspicion) else None,
            policy=policy,
            platform=platform,
            profile_url=profile_url.strip(),
            shared_profile=shared_profile,
            purpose=purpose.strip(),
            content_was_public=content_was_public,
            material_from_citizen=material_from_citizen,
            no_contact_confirmed=no_contact_confirmed,
            outcome=outcome,
            performed_by=acting_user,
            performed_at=performed_at,
        ),
        acting_user=acting_user,
        reason="lookup_record",
    )
    journal_note_system(
        case=case,
        text=_("Opslag på %(platform)s %(when)s med grundlag i %(basis)s. Formål: %(purpose)s. Resultat: %(outcome)s.")
        % {
            "platform": lookup.get_platform_display(),
            "when": clock.localtime(performed_at).strftime("%d.%m.%Y %H:%M"),
            "basis": basis,
            "purpose": lookup.purpose,
            "outcome": lookup.get_outcome_display(),
        },
        acting_user=acting_user,
    )
    return lookup


def _attachment_facts(upload: UploadedFile) -> rules.AttachmentFacts:
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    return rules.AttachmentFacts(content_type=upload.content_type or "", size=upload.size or 0, head=head)


def _sha256(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


@transaction.atomic
def finding_record(
    *,
    lookup: Lookup,
    description: str,
    relevance: str,
    url: str = "",
    posted_on: date | None = None,
    attachment: UploadedFile | None = None,
    acting_user: User,
) -> Finding:
    """Record what a lookup found, only as much as is relevant (L8), with a journal note (L7)."""
    case = case_lock(lookup.case)
    ensure_actor_may_work_on(case, acting_user)
    raise_if_any(
        rules.check_finding(
            description=description,
            relevance=relevance,
            url=url.strip(),
            posted_on_in_future=posted_on is not None and posted_on > clock.today(),
            attachment=_attachment_facts(attachment) if attachment is not None else None,
            max_attachment_bytes=settings.FINDING_ATTACHMENT_MAX_BYTES,
        )
    )
    finding = Finding(
        lookup=lookup,
        description=description.strip(),
        relevance=relevance.strip(),
        url=url.strip(),
        posted_on=posted_on,
        recorded_by=acting_user,
    )
    if attachment is None:
        save_validated(finding, acting_user=acting_user, reason="finding_record")
    else:
        finding.attachment_sha256 = _sha256(attachment)
        finding.attachment_content_type = attachment.content_type or ""
        finding.attachment_size = attachment.size
        # Validate before the file touches the disk, and remove it if anything later refuses the row.
        finding.full_clean(exclude=["attachment"])
        finding.attachment.save(attachment.name or "fund", attachment, save=False)
        try:
            save_validated(finding, acting_user=acting_user, reason="finding_record")
        except BaseException:
            finding.attachment.delete(save=False)
            raise
    # The note holds metadata only: a purge must leave nothing of the content behind (L8).
    journal_note_system(
        case=case,
        text=_("Fund %(id)s registreret fra opslag på %(platform)s%(hash)s.")
        % {
            "id": finding.pk,
            "platform": lookup.get_platform_display(),
            "hash": _(" (skærmbillede, SHA-256 %(sha)s)") % {"sha": finding.attachment_sha256}
            if finding.attachment_sha256
            else "",
        },
        acting_user=acting_user,
    )
    return finding


@transaction.atomic
def finding_mark_for_use(*, finding: Finding, title: str, acting_user: User) -> Finding:
    """Mark a finding for use: it becomes an evidence item of kind social-media finding, which can be
    covered by a hearing and, once that hearing is complete, cited in a decision (H1, D3)."""
    case = case_lock(finding.lookup.case)
    ensure_actor_may_work_on(case, acting_user)
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    if finding.status != FindingStatus.RECORDED:
        raise RuleViolationError([Violation("INPUT.state", _("Fundet er allerede markeret til brug eller slettet."))])
    finding.evidence_item = evidence_add_social_media_finding(
        case=case,
        title=title,
        description=finding.description,
        occurred_on=finding.posted_on,
        source_url=finding.url,
        acting_user=acting_user,
    )
    finding.status = FindingStatus.MARKED_FOR_USE
    save_validated(finding, acting_user=acting_user, reason="finding_mark_for_use")
    return finding


def findings_purge_unused(*, now: datetime | None = None) -> int:
    """Purge every finding never marked for use whose policy retention period has passed (L8).
    Each purge runs in its own transaction and leaves metadata and a journal note. Idempotent."""
    now = now or clock.now()
    purged = 0
    candidates = Finding.objects.filter(status=FindingStatus.RECORDED).values_list("pk", flat=True)
    for pk in candidates.iterator():
        purged += finding_purge(finding_id=pk, now=now)
    return purged


@transaction.atomic
def finding_purge(*, finding_id: int, now: datetime) -> int:
    finding = Finding.objects.select_for_update(of=("self",)).select_related("lookup__case__citizen").get(pk=finding_id)
    policy = policy_current(jobcentre=finding.lookup.case.citizen.jobcentre_id)
    if not rules.finding_purge_due(
        marked_for_use=finding.status == FindingStatus.MARKED_FOR_USE,
        already_purged=finding.status == FindingStatus.PURGED,
        recorded_at=finding.recorded_at,
        retention_days=policy.finding_retention_days,
        now=now,
    ):
        return 0
    if finding.attachment:
        attachment_name = finding.attachment.name
        storage = finding.attachment.storage
        transaction.on_commit(lambda: storage.delete(attachment_name))
    finding.description = ""
    finding.url = ""
    finding.relevance = ""
    finding.attachment = ""
    finding.status = FindingStatus.PURGED
    finding.purged_at = now
    save_validated(finding, acting_user=None, reason="finding_purge")
    journal_note_system(
        case=finding.lookup.case,
        text=_(
            "Fund %(id)s fra opslag %(date)s er slettet, fordi det ikke blev markeret til brug inden for %(days)s dage. "
            "Metadata (tidspunkt, SHA-256) er bevaret."
        )
        % {
            "id": finding.pk,
            "date": clock.localtime(finding.lookup.performed_at).strftime("%d.%m.%Y"),
            "days": policy.finding_retention_days,
        },
        acting_user=None,
    )
    return 1
