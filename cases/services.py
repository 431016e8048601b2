"""Every write to a case. Each service checks the rules inside one transaction, locks the case row
where two people could race, writes the journal note and the history (with the acting user), and
raises `RuleViolationError` listing the violations, having written nothing, when a rule refuses.

The one exception to "nothing written" is D6: a refused attempt to issue a decision is itself
recorded, because supervisors and union representatives must be able to see it.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.contrib.auth.models import Permission, User
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from cases import rules
from cases.cpr import parse_cpr
from cases.letters import SELF_INCRIMINATION_NOTICE, complaint_guidance_text, hearing_letter_text
from cases.models import (
    AttemptOutcome,
    BasisStatus,
    BenefitType,
    Case,
    CaseStatus,
    CaseUserObjectPermission,
    Citizen,
    Decision,
    DecisionAttempt,
    DecisionEvidence,
    DecisionKind,
    DecisionStatus,
    EvidenceItem,
    EvidenceKind,
    Hearing,
    HearingDeadlineNotice,
    HearingExtension,
    HearingItem,
    JournalNote,
    JournalNoteKind,
    MandateKind,
    MandateScope,
    PowerOfAttorney,
    Suspicion,
    Tip,
    TipChannel,
)
from cases.selectors import (
    decision_facts,
    hearings_with_deadline_duties,
    mandates_active_for_case,
    supervisors_of_jobcentre,
)
from jobcenter.audit.models import Action, Outcome
from jobcenter.audit.services import audit_change
from jobcenter.core import clock
from jobcenter.core.history import save_validated
from jobcenter.core.rules import not_in_future, text_required
from jobcenter.core.violations import RuleViolationError, Violation, raise_if_any
from jobcenter.notifications.models import Channel
from jobcenter.notifications.services import notification_enqueue
from jobcenter.organisation.models import Jobcentre, LookupThreshold, Team, UnionOrganisation
from jobcenter.organisation.roles import Role
from jobcenter.organisation.selectors import policy_current, user_has_role, user_jobcentre_id


def case_lock(case: Case) -> Case:
    """Re-read the case under a row lock: everything that checks then writes on a case serialises here."""
    return Case.objects.select_for_update(of=("self",)).select_related("citizen").get(pk=case.pk)


def ensure_actor_may_work_on(case: Case, acting_user: User) -> None:
    """A1 at the service layer: the acting user is staff of the case's jobcentre."""
    raise_if_any(
        rules.check_actor_in_jobcentre(
            actor_jobcentre_id=user_jobcentre_id(acting_user), case_jobcentre_id=case.citizen.jobcentre_id
        )
    )


def journal_note_system(*, case: Case, text: str, acting_user: User | None) -> JournalNote:
    """A note the system writes for a step (L7). It cannot be suppressed: callers write it in their transaction."""
    return save_validated(
        JournalNote(case=case, kind=JournalNoteKind.SYSTEM, text=text, author=acting_user), acting_user=acting_user
    )


EVERY_CHANNEL = (Channel.IN_APP, Channel.EMAIL)


def notify(
    *,
    recipient: User,
    key: str,
    subject: str,
    body: str,
    url: str = "",
    channels: Iterable[Channel] = EVERY_CHANNEL,
) -> None:
    """Write the messages about one cause to one person into the outbox, in the caller's transaction:
    one row per channel, keyed `<key>:<channel>` so the same cause never notifies twice. No e-mail to
    someone without an address, and nothing to a deactivated account."""
    if not recipient.is_active:
        return
    for channel in channels:
        if channel == Channel.EMAIL and not recipient.email:
            continue
        notification_enqueue(
            recipient=recipient, channel=channel, subject=subject, body=body, key=f"{key}:{channel}", url=url
        )


# --- Citizens and cases ------------------------------------------------------------------------------


@transaction.atomic
def citizen_create(*, jobcentre: Jobcentre, cpr: str, first_name: str, last_name: str, acting_user: User) -> Citizen:
    """Register a citizen. The CPR number is checked for date and century only, never modulus 11."""
    raise_if_any(
        rules.check_actor_in_jobcentre(
            actor_jobcentre_id=user_jobcentre_id(acting_user), case_jobcentre_id=jobcentre.pk
        )
    )
    parsed = parse_cpr(cpr)
    citizen = Citizen(
        jobcentre=jobcentre,
        cpr=parsed.digits,
        birth_date=parsed.birth_date,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
    )
    return save_validated(citizen, acting_user=acting_user, reason="citizen_create")


@transaction.atomic
def case_open(
    *,
    citizen: Citizen,
    benefit_type: BenefitType | str,
    team: Team,
    assigned_caseworker: User | None = None,
    fraud_suspected: bool = False,
    acting_user: User,
) -> Case:
    """Open a case with the jobcentre's next reference number (kommunekode-år-løbenummer)."""
    raise_if_any(
        rules.check_actor_in_jobcentre(
            actor_jobcentre_id=user_jobcentre_id(acting_user), case_jobcentre_id=citizen.jobcentre_id
        )
    )
    violations = []
    if team.jobcentre_id != citizen.jobcentre_id:
        violations.append(Violation("A1.team", _("Teamet hører til et andet jobcenter."), "team"))
    if assigned_caseworker is not None and user_jobcentre_id(assigned_caseworker) != citizen.jobcentre_id:
        violations.append(
            Violation("A1.caseworker", _("Sagsbehandleren hører til et andet jobcenter."), "assigned_caseworker")
        )
    raise_if_any(violations)
    jobcentre = Jobcentre.objects.select_for_update().get(pk=citizen.jobcentre_id)
    number = jobcentre.next_case_number
    # A counter, not case data: bumped with update() so the jobcentre's history is not one row per case.
    Jobcentre.objects.filter(pk=jobcentre.pk).update(next_case_number=number + 1)
    case = Case(
        reference=f"{jobcentre.municipality_code}-{clock.today().year}-{number:06d}",
        citizen=citizen,
        benefit_type=benefit_type,
        team=team,
        assigned_caseworker=assigned_caseworker,
        fraud_suspected=fraud_suspected,
    )
    save_validated(case, acting_user=acting_user, reason="case_open")
    journal_note_system(
        case=case,
        text=_("Sag oprettet: %(benefit)s.") % {"benefit": case.get_benefit_type_display()},
        acting_user=acting_user,
    )
    return case


@transaction.atomic
def case_set_fraud_suspicion(*, case: Case, fraud_suspected: bool, reason: str, acting_user: User) -> Case:
    """Flag or unflag suspected fraud; while flagged, hearing letters carry the self-incrimination notice (H3)."""
    case = case_lock(case)
    ensure_actor_may_work_on(case, acting_user)
    raise_if_any(text_required(reason, field="reason"))
    case.fraud_suspected = fraud_suspected
    save_validated(case, acting_user=acting_user, reason="case_set_fraud_suspicion")
    text = (
        _("Sagen markeret med mistanke om socialt bedrageri: %(reason)s")
        if fraud_suspected
        else _("Markering af mistanke om socialt bedrageri fjernet: %(reason)s")
    )
    journal_note_system(case=case, text=text % {"reason": reason.strip()}, acting_user=acting_user)
    return case


@transaction.atomic
def case_close(*, case: Case, acting_user: User) -> Case:
    case = case_lock(case)
    ensure_actor_may_work_on(case, acting_user)
    if case.status == CaseStatus.CLOSED:
        raise RuleViolationError([Violation("INPUT.state", _("Sagen er allerede lukket."))])
    case.status = CaseStatus.CLOSED
    case.closed_at = clock.now()
    save_validated(case, acting_user=acting_user, reason="case_close")
    journal_note_system(case=case, text=_("Sagen er lukket."), acting_user=acting_user)
    return case


@transaction.atomic
def journal_note_add(*, case: Case, text: str, acting_user: User) -> JournalNote:
    """A caseworker's own journal note. Like every note, it can never be edited or deleted."""
    case = case_lock(case)
    ensure_actor_may_work_on(case, acting_user)
    raise_if_any(text_required(text, field="text"))
    return save_validated(
        JournalNote(case=case, kind=JournalNoteKind.MANUAL, text=text.strip(), author=acting_user),
        acting_user=acting_user,
    )


# --- Tips and suspicions: the only bases a lookup may rest on --------------------------------------------


@transaction.atomic
def tip_record(
    *,
    case: Case,
    channel: TipChannel | str,
    received_on: date,
    summary: str,
    tipper_identity: str = "",
    acting_user: User,
) -> Tip:
    """Record a tip. Its time of recording is the server's, so it can never be backdated (L2)."""
    case = case_lock(case)
    ensure_actor_may_work_on(case, acting_user)
    raise_if_any(
        text_required(summary, field="summary") + not_in_future(received_on, now=clock.today(), field="received_on")
    )
    tip = save_validated(
        Tip(
            case=case,
            channel=channel,
            received_on=received_on,
            summary=summary.strip(),
            tipper_identity=tipper_identity.strip(),
            recorded_by=acting_user,
        ),
        acting_user=acting_user,
        reason="tip_record",
    )
    journal_note_system(
        case=case,
        text=_("Anmeldelse registreret (modtaget %(date)s via %(channel)s).")
        % {"date": received_on.strftime("%d.%m.%Y"), "channel": tip.get_channel_display()},
        acting_user=acting_user,
    )
    return tip


@transaction.atomic
def suspicion_record(
    *,
    case: Case,
    grounds: str,
    control_theme: str,
    other_sources_consulted: str = "",
    unjustified_benefit_reason: str = "",
    acting_user: User,
) -> Suspicion:
    """Record a documented suspicion (L3), judged against the jobcentre's threshold."""
    case = case_lock(case)
    ensure_actor_may_work_on(case, acting_user)
    policy = policy_current(jobcentre=case.citizen.jobcentre_id)
    raise_if_any(
        rules.check_suspicion(
            grounds=grounds,
            control_theme=control_theme,
            unjustified_benefit_reason=unjustified_benefit_reason,
            clear_presumption_required=policy.lookup_threshold == LookupThreshold.CLEAR_PRESUMPTION,
        )
    )
    suspicion = save_validated(
        Suspicion(
            case=case,
            grounds=grounds.strip(),
            control_theme=control_theme.strip(),
            other_sources_consulted=other_sources_consulted.strip(),
            unjustified_benefit_reason=unjustified_benefit_reason.strip(),
            recorded_by=acting_user,
        ),
        acting_user=acting_user,
        reason="suspicion_record",
    )
    journal_note_system(
        case=case,
        text=_("Begrundet mistanke registreret. Kontroltema: %(theme)s.") % {"theme": suspicion.control_theme},
        acting_user=acting_user,
    )
    return suspicion


@transaction.atomic
def basis_close(*, basis: Tip | Suspicion, acting_user: User) -> Tip | Suspicion:
    """Close a tip or suspicion once it is dealt with; no further lookup may rest on it (L1)."""
    case = case_lock(basis.case)
    ensure_actor_may_work_on(case, acting_user)
    basis = type(basis).objects.get(pk=basis.pk)
    if basis.status == BasisStatus.CLOSED:
        raise RuleViolationError([Violation("INPUT.state", _("Grundlaget er allerede afsluttet."))])
    basis.status = BasisStatus.CLOSED
    save_validated(basis, acting_user=acting_user, reason="basis_close")
    journal_note_system(case=case, text=_("%(basis)s er afsluttet.") % {"basis": basis}, acting_user=acting_user)
    return basis


# --- Evidence ------------------------------------------------------------------------------------------


def _evidence_create(
    *,
    case: Case,
    kind: str,
    title: str,
    description: str,
    occurred_on: date | None,
    source_url: str,
    acting_user: User,
) -> EvidenceItem:
    raise_if_any(
        text_required(title, field="title")
        + text_required(description, field="description")
        + not_in_future(occurred_on, now=clock.today(), field="occurred_on")
    )
    item = save_validated(
        EvidenceItem(
            case=case,
            kind=kind,
            title=title.strip(),
            description=description.strip(),
            occurred_on=occurred_on,
            source_url=source_url.strip(),
            recorded_by=acting_user,
        ),
        acting_user=acting_user,
        reason="evidence_add",
    )
    journal_note_system(
        case=case,
        text=_("Bevis tilføjet (%(kind)s): %(title)s.") % {"kind": item.get_kind_display(), "title": item.title},
        acting_user=acting_user,
    )
    return item


@transaction.atomic
def evidence_add(
    *,
    case: Case,
    kind: EvidenceKind | str,
    title: str,
    description: str,
    occurred_on: date | None = None,
    source_url: str = "",
    acting_user: User,
) -> EvidenceItem:
    """Add evidence other than social media: those findings enter only by being marked for use."""
    case = case_lock(case)
    ensure_actor_may_work_on(case, acting_user)
    if kind == EvidenceKind.SOCIAL_MEDIA_FINDING:
        raise RuleViolationError(
            [
                Violation(
                    "L1.evidence", _("Fund fra sociale medier tilføjes fra et opslag, ikke som løst bevis."), "kind"
                )
            ]
        )
    return _evidence_create(
        case=case,
        kind=kind,
        title=title,
        description=description,
        occurred_on=occurred_on,
        source_url=source_url,
        acting_user=acting_user,
    )


def evidence_add_social_media_finding(
    *,
    case: Case,
    title: str,
    description: str,
    occurred_on: date | None,
    source_url: str,
    acting_user: User,
) -> EvidenceItem:
    """The one entry of social media into a case; called by `socialmedia_checks` inside its own transaction."""
    return _evidence_create(
        case=case,
        kind=EvidenceKind.SOCIAL_MEDIA_FINDING,
        title=title,
        description=description,
        occurred_on=occurred_on,
        source_url=source_url,
        acting_user=acting_user,
    )


# --- Hearings ------------------------------------------------------------------------------------------


def _hearing_item_facts(item: EvidenceItem, reading: str) -> rules.HearingItemFacts:
    return rules.HearingItemFacts(
        evidence_id=item.pk,
        case_id=item.case_id,
        is_social_media=item.is_social_media,
        title=item.title,
        description=item.description,
        occurred_on=item.occurred_on,
        source_url=item.source_url,
        authority_reading=reading,
    )


@dataclass(frozen=True)
class HearingDraft:
    """A hearing letter as it would be sent, who gets a copy, and what would refuse sending it."""

    letter: str
    representative: User | None
    violations: list[Violation]


def hearing_compose(*, case: Case, items: Sequence[tuple[EvidenceItem, str]], deadline: date) -> HearingDraft:
    """Compose the letter and check H2-H4. The preview shows exactly what sending would send."""
    policy = policy_current(jobcentre=case.citizen.jobcentre_id)
    facts = [_hearing_item_facts(item, reading) for item, reading in items]
    party_representatives = [
        m.representative for m in mandates_active_for_case(case=case) if m.kind == MandateKind.PARTY_REPRESENTATIVE
    ]
    copy_to = party_representatives[0] if party_representatives else None
    letter = hearing_letter_text(
        citizen_name=str(case.citizen),
        case_reference=case.reference,
        items=facts,
        deadline=deadline,
        fraud_suspected=case.fraud_suspected,
        representative_name=(copy_to.get_full_name() or copy_to.get_username()) if copy_to else None,
    )
    violations = rules.check_hearing_send(
        case_id=case.pk,
        items=facts,
        deadline=deadline,
        today=clock.today(),
        policy_days=policy.hearing_days,
        fraud_suspected=case.fraud_suspected,
        letter_has_self_incrimination_notice=str(SELF_INCRIMINATION_NOTICE) in letter,
        party_representative_ids=[r.pk for r in party_representatives],
        copy_to_representative_id=copy_to.pk if copy_to else None,
    )
    return HearingDraft(letter=letter, representative=copy_to, violations=violations)


def hearing_default_deadline(*, case: Case) -> date:
    policy = policy_current(jobcentre=case.citizen.jobcentre_id)
    return rules.earliest_hearing_deadline(today=clock.today(), policy_days=policy.hearing_days)


@transaction.atomic
def hearing_send(
    *,
    case: Case,
    items: Sequence[tuple[EvidenceItem, str]],
    deadline: date | None = None,
    acting_user: User,
) -> Hearing:
    """Send a written hearing (H2-H4) about the given items, each with how the jobcentre reads it."""
    case = case_lock(case)
    ensure_actor_may_work_on(case, acting_user)
    deadline = deadline or hearing_default_deadline(case=case)
    draft = hearing_compose(case=case, items=items, deadline=deadline)
    raise_if_any(draft.violations)
    hearing = save_validated(
        Hearing(
            case=case,
            letter_text=draft.letter,
            self_incrimination_notice=case.fraud_suspected,
            representative=draft.representative,
            sent_by=acting_user,
            original_deadline=deadline,
            deadline=deadline,
        ),
        acting_user=acting_user,
        reason="hearing_send",
    )
    for item, reading in items:
        save_validated(
            HearingItem(hearing=hearing, evidence_item=item, authority_reading=reading.strip()), acting_user=acting_user
        )
    journal_note_system(
        case=case,
        text=_("Partshøring sendt om %(count)s oplysning(er). Svarfrist %(date)s.")
        % {"count": len(items), "date": deadline.strftime("%d.%m.%Y")},
        acting_user=acting_user,
    )
    if hearing.representative is not None:
        notify(
            recipient=hearing.representative,
            key=f"hearing:{hearing.pk}:sent:representative:{hearing.representative.pk}",
            subject=_("Kopi af partshøring i sag %(reference)s") % {"reference": case.reference},
            body=_(
                "Jobcenteret har sendt en partshøring til %(citizen)s i sag %(reference)s, som du er "
                "partsrepræsentant for. Svarfristen er %(date)s."
            )
            % {"citizen": case.citizen, "reference": case.reference, "date": deadline.strftime("%d.%m.%Y")},
            url=reverse("union_case_report", args=[case.pk]),
        )
    return hearing


@transaction.atomic
def hearing_extend(*, hearing: Hearing, new_deadline: date, reason: str, acting_user: User) -> Hearing:
    """Extend a hearing's deadline (H2): later only, with the reason recorded."""
    case = case_lock(hearing.case)
    ensure_actor_may_work_on(case, acting_user)
    hearing = Hearing.objects.get(pk=hearing.pk)
    raise_if_any(
        rules.check_hearing_extension(current_deadline=hearing.deadline, new_deadline=new_deadline, reason=reason)
    )
    save_validated(
        HearingExtension(
            hearing=hearing,
            previous_deadline=hearing.deadline,
            new_deadline=new_deadline,
            reason=reason.strip(),
            granted_by=acting_user,
        ),
        acting_user=acting_user,
    )
    hearing.deadline = new_deadline
    save_validated(hearing, acting_user=acting_user, reason="hearing_extend")
    journal_note_system(
        case=case,
        text=_("Svarfristen er forlænget til %(date)s: %(reason)s")
        % {"date": new_deadline.strftime("%d.%m.%Y"), "reason": reason.strip()},
        acting_user=acting_user,
    )
    return hearing


@transaction.atomic
def hearing_record_response(
    *, hearing: Hearing, response_text: str, received_at: datetime | None = None, acting_user: User
) -> Hearing:
    """Record the citizen's answer; the hearing is then complete (H5)."""
    case = case_lock(hearing.case)
    ensure_actor_may_work_on(case, acting_user)
    hearing = Hearing.objects.get(pk=hearing.pk)
    now = clock.now()
    received_at = received_at or now
    raise_if_any(
        rules.check_hearing_response(
            already_answered=hearing.response_received_at is not None,
            response_text=response_text,
            received_at=received_at,
            sent_at=hearing.sent_at,
            now=now,
        )
    )
    hearing.response_received_at = received_at
    hearing.response_text = response_text.strip()
    save_validated(hearing, acting_user=acting_user, reason="hearing_record_response")
    journal_note_system(case=case, text=_("Borgerens svar på partshøringen er registreret."), acting_user=acting_user)
    return hearing


def hearing_deadlines_scan(*, today: date | None = None) -> int:
    """The hearing deadline duty (beat, hourly): for each unanswered hearing owing a notice today, record
    it once, note it in the journal and tell the assigned caseworker. Each hearing in its own
    transaction, so one failure does not hold back the rest; a second run finds nothing to do.
    Returns how many notices were written. H5 never depends on this having run."""
    today = today or clock.today()
    reminder_days = settings.HEARING_REMINDER_DAYS_BEFORE
    written = 0
    for hearing_id in list(
        hearings_with_deadline_duties(today=today, reminder_days=reminder_days).values_list("pk", flat=True)
    ):
        written += _hearing_deadline_notices_record(hearing_id=hearing_id, today=today, reminder_days=reminder_days)
    return written


@transaction.atomic
def _hearing_deadline_notices_record(*, hearing_id: int, today: date, reminder_days: int) -> int:
    case_id = Hearing.objects.values_list("case_id", flat=True).get(pk=hearing_id)
    # The case lock first, as every hearing service takes it: an answer being recorded right now wins.
    case = Case.objects.select_for_update(of=("self",)).select_related("assigned_caseworker").get(pk=case_id)
    hearing = Hearing.objects.get(pk=hearing_id)
    due = rules.hearing_deadline_notices_due(
        rules.HearingFacts(deadline=hearing.deadline, response_received_at=hearing.response_received_at),
        today=today,
        reminder_days=reminder_days,
    )
    written = 0
    for kind in due:
        notice, created = HearingDeadlineNotice.objects.get_or_create(
            hearing=hearing, kind=kind, deadline=hearing.deadline
        )
        if not created:
            continue
        audit_change(notice, actor=None, service="hearing_deadlines_scan")
        written += 1
        date_text = hearing.deadline.strftime("%d.%m.%Y")
        if kind == rules.DeadlineNotice.EXPIRED:
            note = _("Svarfristen for partshøringen udløb %(date)s uden svar.") % {"date": date_text}
            subject = _("Svarfristen er udløbet i sag %(reference)s") % {"reference": case.reference}
            body = _(
                "Svarfristen for partshøringen i sag %(reference)s udløb %(date)s uden svar. "
                "Partshøringen er nu gennemført, og sagen kan behandles videre."
            ) % {"reference": case.reference, "date": date_text}
        else:
            note = _("Påmindelse: svarfristen for partshøringen udløber %(date)s.") % {"date": date_text}
            subject = _("Svarfristen udløber %(date)s i sag %(reference)s") % {
                "date": date_text,
                "reference": case.reference,
            }
            body = _(
                "Svarfristen for partshøringen i sag %(reference)s udløber %(date)s, og borgeren har ikke svaret endnu."
            ) % {"reference": case.reference, "date": date_text}
        journal_note_system(case=case, text=note, acting_user=None)
        if case.assigned_caseworker is not None:
            notify(
                recipient=case.assigned_caseworker,
                key=f"hearing:{hearing.pk}:{kind}:{hearing.deadline.isoformat()}",
                subject=subject,
                body=body,
                url=reverse("hearing_detail", args=[hearing.pk]),
            )
    return written


# --- Decisions -----------------------------------------------------------------------------------------


def _decision_lock(decision: Decision, acting_user: User) -> tuple[Case, Decision]:
    case = case_lock(decision.case)
    ensure_actor_may_work_on(case, acting_user)
    return case, Decision.objects.select_related("case__citizen").get(pk=decision.pk)


@transaction.atomic
def decision_draft(
    *,
    case: Case,
    kind: DecisionKind | str,
    summary: str,
    legal_basis: str = "",
    main_considerations: str = "",
    facts_relied_on: str = "",
    supersedes: Decision | None = None,
    acting_user: User,
) -> Decision:
    """Start a decision. A change to an issued decision is a new one that supersedes it (D7)."""
    case = case_lock(case)
    ensure_actor_may_work_on(case, acting_user)
    raise_if_any(
        text_required(summary, field="summary")
        + rules.check_supersedes(
            superseded_case_id=supersedes.case_id if supersedes else None,
            case_id=case.pk,
            superseded_is_issued=supersedes.status == DecisionStatus.ISSUED if supersedes else None,
        )
    )
    decision = save_validated(
        Decision(
            case=case,
            kind=kind,
            summary=summary.strip(),
            legal_basis=legal_basis.strip(),
            main_considerations=main_considerations.strip(),
            facts_relied_on=facts_relied_on.strip(),
            supersedes=supersedes,
            author=acting_user,
        ),
        acting_user=acting_user,
        reason="decision_draft",
    )
    journal_note_system(
        case=case,
        text=_("Udkast til afgørelse: %(kind)s.") % {"kind": decision.get_kind_display()},
        acting_user=acting_user,
    )
    return decision


@transaction.atomic
def decision_update_reasons(
    *,
    decision: Decision,
    summary: str,
    legal_basis: str,
    main_considerations: str,
    facts_relied_on: str,
    acting_user: User,
) -> Decision:
    """Edit a draft's text and reasons (D4). An approval no longer covers changed text, so it is withdrawn."""
    _case, decision = _decision_lock(decision, acting_user)
    raise_if_any(
        rules.check_decision_editable(is_issued=decision.status == DecisionStatus.ISSUED)
        + text_required(summary, field="summary")
    )
    decision.summary = summary.strip()
    decision.legal_basis = legal_basis.strip()
    decision.main_considerations = main_considerations.strip()
    decision.facts_relied_on = facts_relied_on.strip()
    decision.approved_by = None
    decision.approved_at = None
    return save_validated(decision, acting_user=acting_user, reason="decision_update_reasons")


@transaction.atomic
def decision_cite_evidence(
    *, decision: Decision, evidence_item: EvidenceItem, weighing: str = "", acting_user: User
) -> DecisionEvidence:
    """Cite an evidence item (or change how it was weighed). Withdraws any approval, as the basis changed."""
    case, decision = _decision_lock(decision, acting_user)
    violations = rules.check_decision_editable(is_issued=decision.status == DecisionStatus.ISSUED)
    if evidence_item.case_id != case.pk:
        violations.append(Violation("INPUT.case", _("Beviset hører til en anden sag."), "evidence_item"))
    raise_if_any(violations)
    citation, _created = DecisionEvidence.objects.get_or_create(
        decision=decision, evidence_item=evidence_item, defaults={"weighing": weighing.strip()}
    )
    citation.weighing = weighing.strip()
    save_validated(citation, acting_user=acting_user, reason="decision_cite_evidence")
    _withdraw_approval(decision, acting_user)
    return citation


@transaction.atomic
def decision_uncite_evidence(*, decision: Decision, evidence_item: EvidenceItem, acting_user: User) -> None:
    _case, decision = _decision_lock(decision, acting_user)
    raise_if_any(rules.check_decision_editable(is_issued=decision.status == DecisionStatus.ISSUED))
    citation = DecisionEvidence.objects.filter(decision=decision, evidence_item=evidence_item).first()
    if citation is not None:
        citation._history_user = acting_user  # type: ignore[attr-defined]
        audit_change(citation, actor=acting_user, service="decision_uncite_evidence")
        citation.delete()
        _withdraw_approval(decision, acting_user)


def _withdraw_approval(decision: Decision, acting_user: User) -> None:
    if decision.approved_by_id is not None:
        decision.approved_by = None
        decision.approved_at = None
        save_validated(decision, acting_user=acting_user, reason="approval_withdrawn")


@transaction.atomic
def decision_approve(*, decision: Decision, acting_user: User) -> Decision:
    """Four eyes (D5): a supervisor other than the author approves the draft as it stands."""
    case, decision = _decision_lock(decision, acting_user)
    raise_if_any(
        rules.check_decision_approval(
            author_id=decision.author_id,
            approver_id=acting_user.pk,
            approver_is_supervisor=user_has_role(acting_user, Role.SUPERVISOR),
            is_issued=decision.status == DecisionStatus.ISSUED,
        )
    )
    decision.approved_by = acting_user
    decision.approved_at = clock.now()
    save_validated(decision, acting_user=acting_user, reason="decision_approve")
    journal_note_system(case=case, text=_("Afgørelsen er godkendt af en leder."), acting_user=acting_user)
    return decision


def decision_issue(*, decision: Decision, acting_user: User) -> Decision:
    """Issue a decision if D1-D5 and D7 allow it. Either way the attempt is recorded (D6); a refusal
    is committed with its rule codes and then raised."""
    with transaction.atomic():
        case, decision = _decision_lock(decision, acting_user)
        violations = rules.check_decision_issue(decision_facts(decision), today=clock.today())
        if violations:
            attempt = _record_attempt(decision, acting_user, violations)
            journal_note_system(
                case=case,
                text=_("Forsøg på at udstede afgørelse afvist (%(codes)s).")
                % {"codes": ", ".join(v.code for v in violations)},
                acting_user=acting_user,
            )
            if any(v.code.split(".")[0] == "D5" for v in violations):
                _notify_supervisors_of_refusal(case, decision, attempt)
        else:
            now = clock.now()
            decision.status = DecisionStatus.ISSUED
            decision.issued_at = now
            decision.issued_by = acting_user
            decision.complaint_guidance = complaint_guidance_text(issued_on=clock.localdate(now))
            save_validated(decision, acting_user=acting_user, reason="decision_issue")
            _record_attempt(decision, acting_user, [])
            journal_note_system(
                case=case,
                text=_("Afgørelse udstedt: %(kind)s.") % {"kind": decision.get_kind_display()},
                acting_user=acting_user,
            )
            _notify_decision_issued(case, decision, acting_user)
    raise_if_any(violations)
    return decision


def _notify_decision_issued(case: Case, decision: Decision, acting_user: User) -> None:
    """The party representatives of the case hear of an issued decision, and so does the assigned
    caseworker when someone else issued it. Called inside the issuing transaction."""
    subject = _("Afgørelse udstedt i sag %(reference)s") % {"reference": case.reference}
    body = _("Der er udstedt en afgørelse (%(kind)s) i sag %(reference)s for %(citizen)s.") % {
        "kind": decision.get_kind_display(),
        "reference": case.reference,
        "citizen": case.citizen,
    }
    representatives = {
        m.representative.pk: m.representative
        for m in mandates_active_for_case(case=case)
        if m.kind == MandateKind.PARTY_REPRESENTATIVE
    }
    for representative in representatives.values():
        notify(
            recipient=representative,
            key=f"decision:{decision.pk}:issued:representative:{representative.pk}",
            subject=subject,
            body=body,
            url=reverse("union_case_report", args=[case.pk]),
        )
    caseworker = case.assigned_caseworker
    if caseworker is not None and caseworker.pk != acting_user.pk:
        notify(
            recipient=caseworker,
            key=f"decision:{decision.pk}:issued:caseworker:{caseworker.pk}",
            subject=subject,
            body=body,
            url=reverse("decision_detail", args=[decision.pk]),
        )


def _notify_supervisors_of_refusal(case: Case, decision: Decision, attempt: DecisionAttempt) -> None:
    """A refusal for want of four eyes (D5) goes to every supervisor of the jobcentre's desk."""
    for supervisor in supervisors_of_jobcentre(jobcentre_id=case.citizen.jobcentre_id):
        notify(
            recipient=supervisor,
            key=f"decision:{decision.pk}:refused:{attempt.pk}:supervisor:{supervisor.pk}",
            subject=_("Afgørelse i sag %(reference)s venter på godkendelse") % {"reference": case.reference},
            body=_(
                "Et forsøg på at udstede en afgørelse (%(kind)s) i sag %(reference)s blev afvist, fordi en leder "
                "skal godkende den (%(codes)s)."
            )
            % {
                "kind": decision.get_kind_display(),
                "reference": case.reference,
                "codes": ", ".join(attempt.rule_codes),
            },
            url=reverse("decision_detail", args=[decision.pk]),
            channels=(Channel.IN_APP,),
        )


def _record_attempt(decision: Decision, acting_user: User, violations: list[Violation]) -> DecisionAttempt:
    codes = [v.code for v in violations]
    return save_validated(
        DecisionAttempt(
            decision=decision,
            attempted_by=acting_user,
            outcome=AttemptOutcome.REFUSED if violations else AttemptOutcome.ISSUED,
            rule_codes=codes,
            messages=[str(v.message) for v in violations],
        ),
        acting_user=acting_user,
        reason="decision_issue",
        audit_action=Action.DECISION_REFUSED if violations else Action.DECISION_ISSUED,
        audit_outcome=Outcome.REFUSED if violations else Outcome.SUCCESS,
        audit_reason=", ".join(codes),
    )


# --- Powers of attorney --------------------------------------------------------------------------------


@transaction.atomic
def mandate_record(
    *,
    citizen: Citizen,
    union: UnionOrganisation,
    representative: User,
    kind: MandateKind | str,
    valid_from: date,
    valid_to: date | None = None,
    case: Case | None = None,
    acting_user: User,
) -> PowerOfAttorney:
    """Record a citizen's power of attorney to a union representative, for one case or all of them."""
    raise_if_any(
        rules.check_actor_in_jobcentre(
            actor_jobcentre_id=user_jobcentre_id(acting_user), case_jobcentre_id=citizen.jobcentre_id
        )
    )
    profile = getattr(representative, "staff_profile", None)
    raise_if_any(
        rules.check_mandate(
            valid_from=valid_from,
            valid_to=valid_to,
            representative_in_union=profile is not None and profile.union_id == union.pk,
            case_of_citizen=case is None or case.citizen_id == citizen.pk,
        )
    )
    mandate = save_validated(
        PowerOfAttorney(
            citizen=citizen,
            scope=MandateScope.CASE if case else MandateScope.ALL_CASES,
            case=case,
            union=union,
            representative=representative,
            kind=kind,
            valid_from=valid_from,
            valid_to=valid_to,
            recorded_by=acting_user,
        ),
        acting_user=acting_user,
        reason="mandate_record",
    )
    for noted_case in [case] if case else citizen.cases.all():
        journal_note_system(
            case=noted_case,
            text=_("Fuldmagt registreret: %(kind)s fra %(union)s.")
            % {"kind": mandate.get_kind_display(), "union": union},
            acting_user=acting_user,
        )
    return mandate


@transaction.atomic
def mandate_revoke(*, mandate: PowerOfAttorney, acting_user: User) -> PowerOfAttorney:
    """Revoke a power of attorney; it stops working on the very next request (A2)."""
    mandate = (
        PowerOfAttorney.objects.select_for_update(of=("self",)).select_related("citizen", "case").get(pk=mandate.pk)
    )
    raise_if_any(
        rules.check_actor_in_jobcentre(
            actor_jobcentre_id=user_jobcentre_id(acting_user), case_jobcentre_id=mandate.citizen.jobcentre_id
        )
    )
    if mandate.revoked_at is not None:
        raise RuleViolationError([Violation("INPUT.state", _("Fuldmagten er allerede tilbagekaldt."))])
    mandate.revoked_at = clock.now()
    save_validated(mandate, acting_user=acting_user, reason="mandate_revoke")
    for noted_case in [mandate.case] if mandate.case else mandate.citizen.cases.all():
        journal_note_system(case=noted_case, text=_("Fuldmagt tilbagekaldt."), acting_user=acting_user)
    return mandate


# --- Sharing (A1) ----------------------------------------------------------------------------------------


@transaction.atomic
def case_share(*, case: Case, colleague: User, acting_user: User) -> CaseUserObjectPermission:
    """Share a case with a named colleague of the same jobcentre, e.g. a substitute (A1)."""
    case = case_lock(case)
    ensure_actor_may_work_on(case, acting_user)
    raise_if_any(
        rules.check_case_share(
            actor_may_share=user_has_role(acting_user, Role.SUPERVISOR)
            or case.team.memberships.filter(user=acting_user).exists(),
            colleague_jobcentre_id=user_jobcentre_id(colleague),
            case_jobcentre_id=case.citizen.jobcentre_id,
            colleague_is_staff=user_has_role(colleague, Role.CASEWORKER) or user_has_role(colleague, Role.SUPERVISOR),
        )
    )
    grant, _created = CaseUserObjectPermission.objects.get_or_create(
        content_object=case,
        user=colleague,
        permission=Permission.objects.get(codename="view_case", content_type__app_label="cases"),
    )
    audit_change(grant, actor=acting_user, service="case_share")
    journal_note_system(
        case=case,
        text=_("Sagen er delt med %(name)s.") % {"name": colleague.get_full_name() or colleague.get_username()},
        acting_user=acting_user,
    )
    return grant


@transaction.atomic
def case_unshare(*, case: Case, colleague: User, acting_user: User) -> None:
    """End a share; the colleague loses the case on their very next request."""
    case = case_lock(case)
    ensure_actor_may_work_on(case, acting_user)
    grant = CaseUserObjectPermission.objects.filter(
        content_object=case, user=colleague, permission__codename="view_case"
    ).first()
    if grant is None:
        raise RuleViolationError([Violation("INPUT.state", _("Sagen er ikke delt med denne kollega."))])
    audit_change(grant, actor=acting_user, service="case_unshare")
    grant.delete()
    journal_note_system(
        case=case,
        text=_("Delingen med %(name)s er ophørt.") % {"name": colleague.get_full_name() or colleague.get_username()},
        acting_user=acting_user,
    )
