"""The case rules as pure functions: facts in, violations out. No ORM, no clock, no I/O.

Services call these inside their transaction; the UI calls the same functions to show what would
be refused before anyone presses the button. Codes follow DESIGN.md §3.
"""

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jobcenter.core.rules import is_blank, text_required
from jobcenter.core.violations import Violation

MIN_HEARING_DAYS = 7
COMPLAINT_WEEKS = 4


# --- Access -------------------------------------------------------------------------------------


def check_actor_in_jobcentre(*, actor_jobcentre_id: int | None, case_jobcentre_id: int) -> list[Violation]:
    """A1: staff act only on their own jobcentre's cases."""
    if actor_jobcentre_id == case_jobcentre_id:
        return []
    return [Violation("A1", _("Du kan kun arbejde med sager i dit eget jobcenter."))]


def check_case_share(
    *, actor_may_share: bool, colleague_jobcentre_id: int | None, case_jobcentre_id: int, colleague_is_staff: bool
) -> list[Violation]:
    """A1: a case is shared only by someone on it, only with a colleague in the same jobcentre."""
    violations = []
    if not actor_may_share:
        violations.append(Violation("A1.share", _("Kun sagens team og ledere kan dele sagen.")))
    if colleague_jobcentre_id != case_jobcentre_id or not colleague_is_staff:
        violations.append(
            Violation("A1.colleague", _("En sag kan kun deles med en sagsbehandler i samme jobcenter."), "colleague")
        )
    return violations


# --- Suspicion (L3) ---------------------------------------------------------------------------------


def check_suspicion(
    *, grounds: str, control_theme: str, unjustified_benefit_reason: str, clear_presumption_required: bool
) -> list[Violation]:
    """L3: a suspicion states its grounds and what is checked; under a clear-presumption policy, why the
    benefit appears unjustified."""
    violations = []
    if is_blank(grounds):
        violations.append(
            Violation("L3.grounds", _("Angiv den faglige og saglige begrundelse for mistanken."), "grounds")
        )
    if is_blank(control_theme):
        violations.append(Violation("L3.theme", _("Angiv kontroltemaet: hvad der skal undersøges."), "control_theme"))
    if clear_presumption_required and is_blank(unjustified_benefit_reason):
        violations.append(
            Violation(
                "L3.presumption",
                _(
                    "Jobcenteret kræver klar formodning: begrund, hvorfor borgeren synes at modtage en uberettiget ydelse."
                ),
                "unjustified_benefit_reason",
            )
        )
    return violations


# --- Hearings (H1-H5) ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class HearingFacts:
    deadline: date
    response_received_at: datetime | None


def hearing_is_complete(hearing: HearingFacts, *, today: date) -> bool:
    """H5: complete once the citizen has answered or the deadline day is over, whatever any job has done."""
    return hearing.response_received_at is not None or hearing.deadline < today


class DeadlineNotice(enum.StrEnum):
    """What the deadline duty may tell about a hearing (values match HearingDeadlineNoticeKind)."""

    REMINDER = "reminder"
    EXPIRED = "expired"


def hearing_deadline_notices_due(hearing: HearingFacts, *, today: date, reminder_days: int) -> list[DeadlineNotice]:
    """Which notices are due for an unanswered hearing today: a reminder from `reminder_days` before the
    deadline up to the deadline day, and the expiry once the deadline day is over. Only the duty uses
    this; whether the hearing is complete (H5) never depends on a notice having been written."""
    if hearing.response_received_at is not None:
        return []
    due = []
    if hearing.deadline - timedelta(days=max(reminder_days, 0)) <= today <= hearing.deadline:
        due.append(DeadlineNotice.REMINDER)
    if hearing.deadline < today:
        due.append(DeadlineNotice.EXPIRED)
    return due


@dataclass(frozen=True)
class HearingItemFacts:
    evidence_id: int
    case_id: int
    is_social_media: bool
    title: str
    description: str
    occurred_on: date | None
    source_url: str
    authority_reading: str


def earliest_hearing_deadline(*, today: date, policy_days: int) -> date:
    return today + timedelta(days=max(policy_days, MIN_HEARING_DAYS))


def check_hearing_send(
    *,
    case_id: int,
    items: Sequence[HearingItemFacts],
    deadline: date,
    today: date,
    policy_days: int,
    fraud_suspected: bool,
    letter_has_self_incrimination_notice: bool,
    party_representative_ids: Sequence[int],
    copy_to_representative_id: int | None,
) -> list[Violation]:
    """H2-H4: what a hearing letter must carry before it may be sent."""
    violations: list[Violation] = []
    if not items:
        violations.append(Violation("H2.items", _("Vælg de oplysninger, borgeren skal høres om."), "items"))
    for item in items:
        if item.case_id != case_id:
            violations.append(
                Violation("H2.case", _("«%(title)s» hører til en anden sag.") % {"title": item.title}, "items")
            )
        if is_blank(item.authority_reading):
            violations.append(
                Violation(
                    "H2.reading",
                    _("Skriv, hvordan jobcenteret forstår «%(title)s».") % {"title": item.title},
                    "items",
                )
            )
        if item.is_social_media and (is_blank(item.description) or item.occurred_on is None or not item.source_url):
            violations.append(
                Violation(
                    "H2.finding",
                    _("Fundet «%(title)s» skal have beskrivelse, dato og adresse, før borgeren kan høres om det.")
                    % {"title": item.title},
                    "items",
                )
            )
    earliest = earliest_hearing_deadline(today=today, policy_days=policy_days)
    if deadline < earliest:
        violations.append(
            Violation(
                "H2.deadline",
                _("Svarfristen skal være mindst %(days)s dage: tidligst %(date)s.")
                % {"days": max(policy_days, MIN_HEARING_DAYS), "date": earliest.strftime("%d.%m.%Y")},
                "deadline",
            )
        )
    if fraud_suspected and not letter_has_self_incrimination_notice:
        violations.append(
            Violation(
                "H3",
                _(
                    "Sagen er markeret med mistanke om bedrageri: brevet skal vejlede om retten til ikke at inkriminere sig selv."
                ),
            )
        )
    if party_representative_ids and copy_to_representative_id not in party_representative_ids:
        violations.append(Violation("H4", _("Borgeren har en partsrepræsentant, som skal have brevet i kopi.")))
    return violations


def check_hearing_extension(*, current_deadline: date, new_deadline: date, reason: str) -> list[Violation]:
    """H2: deadlines can be extended, never shortened."""
    violations = text_required(reason, field="reason")
    if new_deadline <= current_deadline:
        violations.append(
            Violation(
                "H2.extend",
                _("Fristen kan kun forlænges: vælg en dato efter %(date)s.")
                % {"date": current_deadline.strftime("%d.%m.%Y")},
                "new_deadline",
            )
        )
    return violations


def check_hearing_response(
    *, already_answered: bool, response_text: str, received_at: datetime, sent_at: datetime, now: datetime
) -> list[Violation]:
    violations = text_required(response_text, field="response_text")
    if already_answered:
        violations.append(Violation("H5.answered", _("Borgerens svar er allerede registreret.")))
    if received_at > now:
        violations.append(Violation("INPUT.future", _("Tidspunktet kan ikke ligge i fremtiden."), "received_at"))
    elif received_at < sent_at:
        violations.append(
            Violation("INPUT.order", _("Svaret kan ikke være modtaget før høringen blev sendt."), "received_at")
        )
    return violations


# --- Decisions (D1-D7) ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CitedItemFacts:
    evidence_id: int
    title: str
    is_social_media: bool
    weighing: str
    hearings: tuple[HearingFacts, ...]


@dataclass(frozen=True)
class DecisionFacts:
    is_adverse: bool
    is_issued: bool
    author_id: int
    approved_by_id: int | None
    legal_basis: str
    main_considerations: str
    facts_relied_on: str
    cited: tuple[CitedItemFacts, ...]
    four_eyes_for_social_media: bool

    @property
    def cites_social_media(self) -> bool:
        return any(item.is_social_media for item in self.cited)


@dataclass(frozen=True)
class ChecklistItem:
    """One line of "Kan afgørelsen træffes?": a rule, whether it applies, and what breaks it."""

    rule: str
    title: str
    applies: bool
    violations: tuple[Violation, ...]

    @property
    def passed(self) -> bool:
        return not self.violations


def _d1(facts: DecisionFacts, today: date) -> list[Violation]:
    if facts.is_adverse and not facts.cited:
        return [Violation("D1", _("En afgørelse til ugunst for borgeren skal bygge på mindst ét bevis."))]
    return []


def _d2(facts: DecisionFacts, today: date) -> list[Violation]:
    if facts.cites_social_media and all(item.is_social_media for item in facts.cited):
        return [
            Violation(
                "D2",
                _(
                    "Et fund fra sociale medier må aldrig stå alene: citér mindst ét andet bevis, fx en lægelig vurdering."
                ),
            )
        ]
    return []


def _d3(facts: DecisionFacts, today: date) -> list[Violation]:
    """D3 (and H1): a cited finding needs a complete hearing (H5) that covered it."""
    violations = []
    for item in facts.cited:
        if not item.is_social_media:
            continue
        if not item.hearings:
            message = _("Borgeren er ikke partshørt om «%(title)s».")
        elif not any(hearing_is_complete(h, today=today) for h in item.hearings):
            message = _(
                "Partshøringen om «%(title)s» er ikke afsluttet: borgeren har ikke svaret, og fristen er ikke udløbet."
            )
        else:
            continue
        violations.append(Violation("D3", message % {"title": item.title}))
    return violations


def _d4(facts: DecisionFacts, today: date) -> list[Violation]:
    if not facts.is_adverse:
        return []
    violations = []
    for field, value, message in (
        ("legal_basis", facts.legal_basis, _("Angiv retsgrundlaget.")),
        ("main_considerations", facts.main_considerations, _("Angiv de hovedhensyn, der har været bestemmende.")),
        ("facts_relied_on", facts.facts_relied_on, _("Angiv de faktiske oplysninger, der er lagt vægt på.")),
    ):
        if is_blank(value):
            violations.append(Violation(f"D4.{field}", message, field))
    violations += [
        Violation("D4.weighing", _("Skriv, hvordan «%(title)s» er vægtet.") % {"title": item.title})
        for item in facts.cited
        if is_blank(item.weighing)
    ]
    return violations


def _d5(facts: DecisionFacts, today: date) -> list[Violation]:
    if not (facts.four_eyes_for_social_media and facts.cites_social_media):
        return []
    if facts.approved_by_id is None or facts.approved_by_id == facts.author_id:
        return [
            Violation(
                "D5",
                _(
                    "Jobcenteret kræver, at en leder – ikke forfatteren – godkender afgørelser med fund fra sociale medier."
                ),
            )
        ]
    return []


def _d7(facts: DecisionFacts, today: date) -> list[Violation]:
    if facts.is_issued:
        return [
            Violation("D7", _("Afgørelsen er udstedt og kan ikke ændres. Træf en ny afgørelse, der henviser til den."))
        ]
    return []


def _hearings_complete(facts: DecisionFacts, today: date) -> list[Violation]:
    """H5 as its own checklist line: every hearing on a cited item is either answered or past its deadline."""
    return [
        Violation("H5", _("Partshøringen om «%(title)s» afventer svar eller fristens udløb.") % {"title": item.title})
        for item in facts.cited
        if item.hearings and not any(hearing_is_complete(h, today=today) for h in item.hearings)
    ]


DecisionRule = Callable[[DecisionFacts, date], list[Violation]]

_DECISION_RULES: tuple[tuple[str, str, Callable[[DecisionFacts], bool], DecisionRule], ...] = (
    ("D1", _("Afgørelsen bygger på beviser"), lambda f: f.is_adverse, _d1),
    ("D2", _("Et fund fra sociale medier står ikke alene"), lambda f: f.cites_social_media, _d2),
    ("D3", _("Citerede fund er partshørt færdigt"), lambda f: f.cites_social_media, _d3),
    (
        "H5",
        _("Partshøringer er afsluttede (svar eller frist udløbet)"),
        lambda f: any(i.hearings for i in f.cited),
        _hearings_complete,
    ),
    ("D4", _("Begrundelse og vægtning er skrevet"), lambda f: f.is_adverse, _d4),
    (
        "D5",
        _("Godkendt af en anden leder, hvor politikken kræver det"),
        lambda f: f.four_eyes_for_social_media and f.cites_social_media,
        _d5,
    ),
    ("D7", _("Afgørelsen er ikke allerede udstedt"), lambda f: True, _d7),
)


def decision_checklist(facts: DecisionFacts, *, today: date) -> list[ChecklistItem]:
    """Every decision rule with whether it applies to this decision and, if so, what breaks it."""
    items = []
    for rule, title, applies, check in _DECISION_RULES:
        applicable = applies(facts)
        items.append(
            ChecklistItem(
                rule=rule,
                title=str(title),
                applies=applicable,
                violations=tuple(check(facts, today)) if applicable else (),
            )
        )
    return items


def check_decision_issue(facts: DecisionFacts, *, today: date) -> list[Violation]:
    """D1-D5 and D7: everything that refuses the issuing of a decision. H5 is part of D3 here."""
    return [v for item in decision_checklist(facts, today=today) if item.rule != "H5" for v in item.violations]


def check_decision_editable(*, is_issued: bool) -> list[Violation]:
    """D7: an issued decision is frozen; a change is a new decision."""
    return _d7(
        DecisionFacts(
            is_adverse=False,
            is_issued=is_issued,
            author_id=0,
            approved_by_id=None,
            legal_basis="",
            main_considerations="",
            facts_relied_on="",
            cited=(),
            four_eyes_for_social_media=False,
        ),
        date.min,
    )


def check_decision_approval(
    *, author_id: int, approver_id: int, approver_is_supervisor: bool, is_issued: bool
) -> list[Violation]:
    """D5: a supervisor other than the author approves."""
    violations = check_decision_editable(is_issued=is_issued)
    if approver_id == author_id:
        violations.append(Violation("D5.self", _("Du kan ikke godkende din egen afgørelse.")))
    if not approver_is_supervisor:
        violations.append(Violation("D5.role", _("Kun en leder kan godkende afgørelser.")))
    return violations


def check_supersedes(
    *, superseded_case_id: int | None, case_id: int, superseded_is_issued: bool | None
) -> list[Violation]:
    """D7: a new decision may reference an issued decision on the same case."""
    if superseded_case_id is None:
        return []
    if superseded_case_id != case_id or not superseded_is_issued:
        return [
            Violation(
                "D7.supersedes", _("En ny afgørelse kan kun ændre en udstedt afgørelse på samme sag."), "supersedes"
            )
        ]
    return []


# --- Powers of attorney ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MandateFacts:
    representative_id: int
    is_party_representative: bool
    covers_case: bool
    valid_from: date
    valid_to: date | None
    revoked_at: datetime | None


def mandate_is_active(mandate: MandateFacts, *, today: date, now: datetime) -> bool:
    """A2: active from its first to its last day, unless revoked; revocation takes effect at once."""
    if mandate.revoked_at is not None and mandate.revoked_at <= now:
        return False
    return mandate.valid_from <= today and (mandate.valid_to is None or today <= mandate.valid_to)


class MandateStatus(enum.StrEnum):
    ACTIVE = "active"
    NOT_STARTED = "not_started"
    EXPIRED = "expired"
    REVOKED = "revoked"


MANDATE_STATUS_LABELS = {
    MandateStatus.ACTIVE: gettext_lazy("Aktiv"),
    MandateStatus.NOT_STARTED: gettext_lazy("Ikke trådt i kraft"),
    MandateStatus.EXPIRED: gettext_lazy("Udløbet"),
    MandateStatus.REVOKED: gettext_lazy("Tilbagekaldt"),
}


def mandate_status(facts: MandateFacts, *, today: date, now: datetime) -> MandateStatus:
    """Why a mandate is or is not in force, in the terms of `mandate_is_active` (A2)."""
    if mandate_is_active(facts, today=today, now=now):
        return MandateStatus.ACTIVE
    if facts.revoked_at is not None and facts.revoked_at <= now:
        return MandateStatus.REVOKED
    if facts.valid_to is not None and facts.valid_to < today:
        return MandateStatus.EXPIRED
    return MandateStatus.NOT_STARTED


def check_mandate(
    *, valid_from: date, valid_to: date | None, representative_in_union: bool, case_of_citizen: bool
) -> list[Violation]:
    violations = []
    if valid_to is not None and valid_to < valid_from:
        violations.append(Violation("INPUT.order", _("Slutdatoen må ikke ligge før startdatoen."), "valid_to"))
    if not representative_in_union:
        violations.append(
            Violation("A2.union", _("Repræsentanten hører ikke til den valgte fagforening."), "representative")
        )
    if not case_of_citizen:
        violations.append(Violation("A2.case", _("Sagen tilhører ikke borgeren."), "case"))
    return violations
