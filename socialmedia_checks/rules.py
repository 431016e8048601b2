"""The lookup and finding rules (L1-L8) as pure functions: facts in, violations out."""

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from jobcenter.core.rules import is_blank
from jobcenter.core.violations import Violation

ALLOWED_ATTACHMENT_TYPES = {
    "image/png": b"\x89PNG\r\n\x1a\n",
    "image/jpeg": b"\xff\xd8\xff",
    "application/pdf": b"%PDF-",
}


@dataclass(frozen=True)
class BasisFacts:
    kind: str  # "tip" or "suspicion"
    case_id: int
    is_open: bool
    recorded_at: datetime
    states_unjustified_benefit: bool


@dataclass(frozen=True)
class SharedProfileFacts:
    jobcentre_id: int
    platform: str
    active: bool


@dataclass(frozen=True)
class LookupFacts:
    case_id: int
    case_jobcentre_id: int
    bases: tuple[BasisFacts, ...]
    platform: str
    profile_url: str
    purpose: str
    content_was_public: bool
    material_from_citizen: bool
    no_contact_confirmed: bool
    shared_profile: SharedProfileFacts | None
    performed_at: datetime
    earliest_other_information_at: datetime | None


@dataclass(frozen=True)
class LookupPolicyFacts:
    clear_presumption_required: bool
    shared_profile_required: bool
    social_media_not_first: bool
    allowed_platforms: Sequence[str]


MAX_URL_LENGTH = 1_000
# A time typed to the second, on a workstation whose clock may run a little ahead of the server's.
CLOCK_TOLERANCE = timedelta(minutes=1)


def _is_web_address(value: str) -> bool:
    # urlsplit silently drops tabs, newlines and leading control characters, so refuse them first.
    if len(value) > MAX_URL_LENGTH or any(char.isspace() or unicodedata.category(char)[0] == "C" for char in value):
        return False
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def check_lookup(facts: LookupFacts, policy: LookupPolicyFacts, *, now: datetime) -> list[Violation]:
    """L1-L6: whether a lookup may be recorded."""
    violations: list[Violation] = []
    if len(facts.bases) != 1:
        violations.append(
            Violation("L1", _("Vælg præcis én anmeldelse eller begrundet mistanke, som opslaget bygger på."), "basis")
        )
    for basis in facts.bases:
        if basis.case_id != facts.case_id:
            violations.append(Violation("L1.case", _("Grundlaget hører til en anden sag."), "basis"))
        elif not basis.is_open:
            violations.append(
                Violation("L1.closed", _("Grundlaget er afsluttet; et opslag kræver et åbent grundlag."), "basis")
            )
        if basis.recorded_at >= facts.performed_at:
            violations.append(
                Violation(
                    "L2",
                    _(
                        "Grundlaget blev registreret efter opslaget. Et grundlag kan ikke skrives bagefter for at begrunde et opslag."
                    ),
                    "basis",
                )
            )
        if policy.clear_presumption_required and not (basis.kind == "suspicion" and basis.states_unjustified_benefit):
            violations.append(
                Violation(
                    "L3.presumption",
                    _(
                        "Jobcenteret kræver klar formodning: opslaget skal bygge på en mistanke, der begrunder, hvorfor ydelsen synes uberettiget."
                    ),
                    "basis",
                )
            )
    if facts.performed_at > now + CLOCK_TOLERANCE:
        violations.append(Violation("INPUT.future", _("Tidspunktet kan ikke ligge i fremtiden."), "performed_at"))
    if policy.social_media_not_first and (
        facts.earliest_other_information_at is None or facts.earliest_other_information_at >= facts.performed_at
    ):
        violations.append(
            Violation(
                "L4",
                _(
                    "Sociale medier må ikke være første kilde: sagen skal have andre oplysninger registreret før opslaget."
                ),
            )
        )
    if not (facts.content_was_public or facts.material_from_citizen):
        violations.append(
            Violation(
                "L5.public",
                _("Kun offentligt tilgængeligt indhold, eller materiale borgeren selv har indsendt, må bruges."),
                "content_was_public",
            )
        )
    if not facts.no_contact_confirmed:
        violations.append(
            Violation(
                "L5.contact",
                _("Bekræft, at der ikke er sendt venneanmodning eller taget kontakt til borgeren."),
                "no_contact_confirmed",
            )
        )
    if not _is_web_address(facts.profile_url):
        violations.append(Violation("L5.url", _("Angiv profilens fulde adresse (https://…)."), "profile_url"))
    if facts.platform not in policy.allowed_platforms:
        violations.append(
            Violation("L5.platform", _("Jobcenteret tillader ikke opslag på denne platform."), "platform")
        )
    if is_blank(facts.purpose):
        violations.append(Violation("L5.purpose", _("Angiv formålet med opslaget."), "purpose"))
    violations += _check_shared_profile(facts, policy)
    return violations


def _check_shared_profile(facts: LookupFacts, policy: LookupPolicyFacts) -> list[Violation]:
    """L6: under a shared-profile policy, the jobcentre's own active profile on that platform."""
    profile = facts.shared_profile
    if profile is None:
        if policy.shared_profile_required:
            return [Violation("L6", _("Jobcenteret kræver, at opslag sker fra den fælles profil."), "shared_profile")]
        return []
    if profile.jobcentre_id != facts.case_jobcentre_id or profile.platform != facts.platform or not profile.active:
        return [
            Violation("L6.profile", _("Vælg jobcenterets aktive fælles profil på samme platform."), "shared_profile")
        ]
    return []


@dataclass(frozen=True)
class AttachmentFacts:
    content_type: str
    size: int
    head: bytes


def check_finding(
    *,
    description: str,
    relevance: str,
    url: str,
    posted_on_in_future: bool,
    attachment: AttachmentFacts | None,
    max_attachment_bytes: int,
) -> list[Violation]:
    """L8: findings say why they matter; attachments are screenshots or PDFs of bounded size."""
    violations = []
    if is_blank(description):
        violations.append(Violation("L8.description", _("Beskriv fundet."), "description"))
    if is_blank(relevance):
        violations.append(
            Violation("L8.relevance", _("Skriv, hvorfor fundet er relevant for kontroltemaet."), "relevance")
        )
    if url and not _is_web_address(url):
        violations.append(Violation("L8.url", _("Angiv en fuld adresse (https://…)."), "url"))
    if posted_on_in_future:
        violations.append(Violation("INPUT.future", _("Datoen kan ikke ligge i fremtiden."), "posted_on"))
    if attachment is not None:
        violations += _check_attachment(attachment, max_attachment_bytes)
    return violations


def _check_attachment(attachment: AttachmentFacts, max_bytes: int) -> list[Violation]:
    if attachment.size == 0:
        return [Violation("L8.empty", _("Filen er tom."), "attachment")]
    signature = ALLOWED_ATTACHMENT_TYPES.get(attachment.content_type)
    if signature is None or not attachment.head.startswith(signature):
        return [Violation("L8.type", _("Vedhæft et skærmbillede (PNG eller JPEG) eller en PDF."), "attachment")]
    if attachment.size > max_bytes:
        return [
            Violation(
                "L8.size", _("Filen må højst fylde %(size)s.") % {"size": filesizeformat(max_bytes)}, "attachment"
            )
        ]
    return []


def finding_purge_due(
    *, marked_for_use: bool, already_purged: bool, recorded_at: datetime, retention_days: int, now: datetime
) -> bool:
    """L8: a finding never marked for use is purged once the policy's retention period has passed."""
    return not marked_for_use and not already_purged and recorded_at + timedelta(days=retention_days) <= now
