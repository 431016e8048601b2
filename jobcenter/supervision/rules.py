"""The supervisor's flags and the review rules as pure functions: facts in, flags or violations out.
No ORM, no clock, no I/O.

A flag is not a refusal: it points a supervisor at something lawful on its face that deserves a second
look. Each flag carries the code of the DESIGN.md §3 rule it watches over, so a grep for `L2` finds it too.
The selectors in `jobcenter.supervision.selectors.review` narrow the candidates in the database with the
same thresholds defined here; these functions decide and explain.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils.translation import gettext as _

from jobcenter.core.rules import is_blank
from jobcenter.core.violations import Violation

# A basis recorded this shortly before the lookup may have been written to justify it after the fact.
BASIS_MIN_LEAD = timedelta(minutes=15)
# A hearing this long past its deadline with no decision since it was sent has been left hanging.
HEARING_OVERDUE_DAYS = 30

FLAG_RECENT_BASIS = "L2.recent_basis"
FLAG_OUTSIDE_TEAM = "A1.outside_team"
FLAG_HEARING_WITHOUT_DECISION = "H5.no_decision"
FLAG_SOCIAL_MEDIA_DECISION = "D2.social_media"
FLAG_REFUSED_ATTEMPT = "D6.refused"


@dataclass(frozen=True)
class Flag:
    code: str
    message: str


# --- Lookups ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LookupReviewFacts:
    performed_at: datetime
    basis_recorded_at: datetime
    case_team_id: int
    performer_team_ids: frozenset[int]


def basis_lead_time(facts: LookupReviewFacts) -> timedelta:
    """How long before the lookup its basis was recorded."""
    return facts.performed_at - facts.basis_recorded_at


def basis_recorded_shortly_before(facts: LookupReviewFacts) -> bool:
    """The basis was recorded less than 15 minutes before the lookup was performed."""
    return basis_lead_time(facts) < BASIS_MIN_LEAD


def performed_outside_case_team(facts: LookupReviewFacts) -> bool:
    """The person who looked is not on the team that works the case."""
    return facts.case_team_id not in facts.performer_team_ids


def lookup_flags(facts: LookupReviewFacts) -> list[Flag]:
    flags = []
    if basis_recorded_shortly_before(facts):
        minutes = int(basis_lead_time(facts).total_seconds() // 60)
        flags.append(
            Flag(
                FLAG_RECENT_BASIS,
                _("Grundlaget blev registreret kun %(minutes)s minutter før opslaget.") % {"minutes": max(minutes, 0)},
            )
        )
    if performed_outside_case_team(facts):
        flags.append(Flag(FLAG_OUTSIDE_TEAM, _("Opslaget er udført af en medarbejder, der ikke er på sagens team.")))
    return flags


# --- Hearings ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HearingFollowUpFacts:
    deadline: date
    sent_at: datetime
    case_is_open: bool
    last_decision_issued_at: datetime | None


def days_past_deadline(facts: HearingFollowUpFacts, *, today: date) -> int:
    return (today - facts.deadline).days


def hearing_left_without_decision(facts: HearingFollowUpFacts, *, today: date) -> bool:
    """The deadline passed 30 or more days ago and no decision has been issued on the (open) case since
    the hearing was sent. A closed case has been concluded and needs no decision."""
    decided_since = facts.last_decision_issued_at is not None and facts.last_decision_issued_at >= facts.sent_at
    return facts.case_is_open and days_past_deadline(facts, today=today) >= HEARING_OVERDUE_DAYS and not decided_since


# --- Decisions -----------------------------------------------------------------------------------------


def decision_cites_social_media(*, cited_is_social_media: Iterable[bool]) -> bool:
    """The decision, issued or draft, cites at least one social-media finding."""
    return any(cited_is_social_media)


def attempt_was_refused(*, rule_codes: Sequence[str]) -> bool:
    """A refused attempt to issue a decision always names the rules that refused it (D6)."""
    return len(rule_codes) > 0


# --- Reviews -------------------------------------------------------------------------------------------


def check_reviewer(
    *, reviewer_is_supervisor: bool, reviewer_jobcentre_id: int | None, lookup_jobcentre_id: int
) -> list[Violation]:
    """Only a supervisor of the lookup's own jobcentre reviews it."""
    if reviewer_is_supervisor and reviewer_jobcentre_id == lookup_jobcentre_id:
        return []
    return [Violation("A1.review", _("Kun en leder i opslagets eget jobcenter kan gennemgå opslaget."))]


def check_flag_comment(comment: str) -> list[Violation]:
    """A flag says what the supervisor wants followed up."""
    if is_blank(comment):
        return [Violation("REVIEW.comment", _("Skriv en bemærkning, når du markerer et opslag."), "comment")]
    return []
