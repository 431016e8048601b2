"""One case at a time, written as the services write it: rows, history rows, change events and the
journal notes each service leaves. The app's pure rules check every lookup, hearing and issued decision
as it is generated, so a generator bug stops the run instead of producing unlawful data."""

import json
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from django.urls import reverse

from cases import rules as case_rules
from cases.letters import complaint_guidance_text, hearing_letter_text
from cases.models import (
    ADVERSE_DECISION_KINDS,
    Case,
    CaseUserObjectPermission,
    Citizen,
    Decision,
    DecisionAttempt,
    DecisionEvidence,
    DecisionKind,
    EvidenceItem,
    Hearing,
    HearingDeadlineNotice,
    HearingExtension,
    HearingItem,
    JournalNote,
    PowerOfAttorney,
    Suspicion,
    Tip,
    TipChannel,
)
from jobcenter.notifications.models import Channel, Notification
from jobcenter.supervision.models import LookupReview
from jobcenter.synthetic import names
from jobcenter.synthetic.organisation import Centre, World
from jobcenter.synthetic.pgcopy import Value, pg_array
from jobcenter.synthetic.recorder import Recorder, Request, Subject
from jobcenter.synthetic.timing import DAY, HOUR, LOCAL, MINUTE, local_date, local_start, moment, stamp
from socialmedia_checks import rules as smc_rules
from socialmedia_checks.models import Finding, Lookup

STEP = 1_000  # one millisecond between the writes of one service call
REMINDER_DAYS = 2
DECISION_KINDS = [kind.value for kind in DecisionKind]
DECISION_WEIGHTS = [20, 8, 10, 10, 8, 14, 22, 8]
BENEFITS = ("kontanthjaelp", "uddannelseshjaelp", "sygedagpenge", "dagpengekontakt", "ressourceforloeb")
PLAIN_EVIDENCE = tuple(names.EVIDENCE_TITLES)


@dataclass
class MandatePlan:
    representative_id: int
    union_id: int
    party: bool
    all_cases: bool
    revoke: bool
    ends: bool


@dataclass
class CasePlan:
    case_id: int
    number: int
    citizen_id: int
    new_citizen: bool
    team_id: int
    caseworker_id: int
    opened: int
    closed: int | None
    decisions: int = 0
    bases: int = 0
    lookups: int = 0
    hearings: int = 0
    notes: int = 0
    plain_evidence: int = 1
    mandate: MandatePlan | None = None
    share_with: int | None = None
    force_findings: bool = False


@dataclass
class Evidence:
    id: int
    recorded: int
    social_media: bool
    title: str
    description: str
    occurred_on: date | None
    source_url: str
    hearings: list["HeardBy"] = field(default_factory=list)


@dataclass
class HeardBy:
    sent: int
    deadline: date
    response: int | None


@dataclass
class Mandate:
    representative_id: int
    party: bool
    valid_from: date
    valid_to: date | None
    revoked: int | None

    def active(self, at: int) -> bool:
        facts = case_rules.MandateFacts(
            representative_id=self.representative_id,
            is_party_representative=self.party,
            covers_case=True,
            valid_from=self.valid_from,
            valid_to=self.valid_to,
            revoked_at=moment(self.revoked) if self.revoked is not None else None,
        )
        return case_rules.mandate_is_active(facts, today=local_date(at), now=moment(at))


@lru_cache(maxsize=4096)
def _complaint_guidance(day: date) -> str:
    return complaint_guidance_text(issued_on=day)


def _url(name: str, pk: int) -> str:
    return reverse(name, args=[pk])


class CaseWriter:
    """Writes one case and everything on it, between its opening and its closing (or the anchor)."""

    def __init__(self, recorder: Recorder, rng: random.Random, world: World, anchor: int) -> None:
        self.rec = recorder
        self.rng = rng
        self.world = world
        self.anchor = anchor
        self.view_case_permission = 0
        self.citizens: dict[int, tuple[str, str]] = {}

    # --- rows ---------------------------------------------------------------------------------------

    def note(self, case: Subject, text: str, at: int, request: Request, *, manual: bool = False) -> None:
        assert case.case_id is not None
        row: dict[str, Value] = {
            "id": self.rec.next_id(JournalNote),
            "case_id": case.case_id,
            "kind": "manual" if manual else "system",
            "text": text,
            "author_id": request.actor_id,
            "created_at": stamp(at),
        }
        self.rec.insert(JournalNote, row)
        self.rec.saved(JournalNote, row, at=at, request=request, subject=case)

    def notify(self, recipient: int, key: str, subject: str, body: str, url: str, at: int) -> None:
        for channel in (Channel.IN_APP, Channel.EMAIL):
            self.rec.insert(
                Notification,
                {
                    "id": self.rec.next_id(Notification),
                    "key": f"{key}:{channel}",
                    "recipient_id": recipient,
                    "channel": str(channel),
                    "subject": subject,
                    "body": body,
                    "url": url,
                    "created_at": stamp(at),
                    "delivered_at": stamp(at + MINUTE),
                    "read_at": None,
                    "attempts": 1,
                    "next_attempt_at": stamp(at),
                    "last_error": "",
                },
            )

    def citizen(self, plan: CasePlan, centre: Centre, cpr: str, birth: date, first: str, last: str) -> None:
        at = plan.opened - 10 * MINUTE
        row: dict[str, Value] = {
            "id": plan.citizen_id,
            "jobcentre_id": centre.id,
            "cpr": cpr,
            "birth_date": birth,
            "first_name": first,
            "last_name": last,
            "created_at": stamp(at),
        }
        self.rec.insert(Citizen, row)
        self.rec.saved(
            Citizen,
            row,
            at=at,
            request=self.rec.request(plan.caseworker_id),
            subject=Subject(None, plan.citizen_id),
            reason="citizen_create",
        )
        self.citizens[plan.citizen_id] = (first, last)

    def evidence(
        self,
        case: Subject,
        kind: str,
        at: int,
        request: Request,
        *,
        title: str,
        description: str,
        occurred_on: date | None,
        url: str = "",
    ) -> Evidence:
        evidence_id = self.rec.next_id(EvidenceItem)
        row: dict[str, Value] = {
            "id": evidence_id,
            "case_id": case.case_id,
            "kind": kind,
            "title": title,
            "description": description,
            "occurred_on": occurred_on,
            "source_url": url,
            "recorded_at": stamp(at),
            "recorded_by_id": request.actor_id,
        }
        self.rec.insert(EvidenceItem, row)
        self.rec.saved(EvidenceItem, row, at=at, request=request, subject=case, reason="evidence_add")
        label = dict(EvidenceItem._meta.get_field("kind").flatchoices)[kind]
        self.note(case, f"Bevis tilføjet ({label}): {title}.", at + STEP, request)
        return Evidence(evidence_id, at, kind == "social_media_finding", title, description, occurred_on, url)

    # --- the case -----------------------------------------------------------------------------------

    def write(self, plan: CasePlan, centre: Centre) -> int:
        """Write the case; returns its number of decisions that ended up issued."""
        rng = self.rng
        end = plan.closed if plan.closed is not None else self.anchor
        span = end - plan.opened
        case = Subject(plan.case_id, plan.citizen_id)
        worker = plan.caseworker_id

        def at(fraction_low: float, fraction_high: float) -> int:
            return plan.opened + int(span * rng.uniform(fraction_low, fraction_high))

        state = self.open_case(plan, centre, case)
        evidence = [self.plain_evidence(case, at(0.005, 0.02), worker)]
        evidence += [self.plain_evidence(case, at(0.02, 0.6), worker) for _ in range(plan.plain_evidence - 1)]
        evidence.sort(key=lambda item: item.recorded)
        mandate = self.mandate(plan, case, at(0.03, 0.04)) if plan.mandate else None
        for _ in range(plan.notes):
            self.note(case, rng.choice(names.MANUAL_NOTES), at(0.02, 0.99), self.rec.request(worker), manual=True)
        if plan.share_with is not None:
            self.share(case, plan.share_with, at(0.05, 0.9), worker)
        bases = self.bases(plan, centre, case, evidence, end)
        social = self.lookups(plan, centre, case, bases, evidence, end)
        self.hearings(plan, centre, case, evidence, social, mandate, end)
        issued = self.decisions(plan, centre, case, evidence + social, mandate, end)
        if plan.closed is not None:
            state.update(status="closed", closed_at=stamp(plan.closed))
            self.rec.saved(
                Case,
                state,
                at=plan.closed,
                request=self.rec.request(worker),
                subject=case,
                reason="case_close",
                kind="~",
            )
            self.note(case, "Sagen er lukket.", plan.closed + STEP, self.rec.request(worker))
        self.rec.insert(Case, state)
        return issued

    def open_case(self, plan: CasePlan, centre: Centre, case: Subject) -> dict[str, Value]:
        benefit = self.rng.choice(BENEFITS)
        state: dict[str, Value] = {
            "id": plan.case_id,
            "reference": f"{centre.code}-{local_date(plan.opened).year}-{plan.number:06d}",
            "citizen_id": plan.citizen_id,
            "benefit_type": benefit,
            "status": "open",
            "team_id": plan.team_id,
            "assigned_caseworker_id": plan.caseworker_id,
            "fraud_suspected": False,
            "opened_at": stamp(plan.opened),
            "closed_at": None,
        }
        request = self.rec.request(plan.caseworker_id)
        self.rec.saved(Case, state, at=plan.opened, request=request, subject=case, reason="case_open")
        label = dict(Case._meta.get_field("benefit_type").flatchoices)[benefit]
        self.note(case, f"Sag oprettet: {label}.", plan.opened + STEP, request)
        return dict(state)

    def plain_evidence(self, case: Subject, when: int, worker: int) -> Evidence:
        kind = self.rng.choice(PLAIN_EVIDENCE)
        return self.evidence(
            case,
            kind,
            when,
            self.rec.request(worker),
            title=names.EVIDENCE_TITLES[kind],
            description="Oplysningerne er indhentet og gennemgået af sagsbehandleren.",
            occurred_on=local_date(when) - timedelta(days=self.rng.randint(0, 20)),
        )

    def share(self, case: Subject, colleague: int, when: int, worker: int) -> None:
        grant_id = self.rec.next_id(CaseUserObjectPermission)
        self.rec.insert(
            CaseUserObjectPermission,
            {
                "id": grant_id,
                "permission_id": self.view_case_permission,
                "user_id": colleague,
                "content_object_id": case.case_id,
            },
        )
        request = self.rec.request(worker)
        self.rec.event(
            at=when,
            request=request,
            action="change",
            object_type=CaseUserObjectPermission._meta.label,
            object_id=str(grant_id),
            subject=case,
            details={"service": "case_share"},
        )
        staff = self.world.users[colleague]
        self.note(case, f"Sagen er delt med {staff.first_name} {staff.last_name}.", when + STEP, request)

    def mandate(self, plan: CasePlan, case: Subject, when: int) -> Mandate:
        assert plan.mandate is not None
        spec = plan.mandate
        valid_from = local_date(when)
        valid_to = valid_from + timedelta(days=self.rng.randint(60, 400)) if spec.ends else None
        revoked = when + self.rng.randint(20, 200) * DAY if spec.revoke else None
        if revoked is not None and revoked >= self.anchor:
            revoked = None
        row: dict[str, Value] = {
            "id": self.rec.next_id(PowerOfAttorney),
            "citizen_id": plan.citizen_id,
            "scope": "all_cases" if spec.all_cases else "case",
            "case_id": None if spec.all_cases else plan.case_id,
            "union_id": spec.union_id,
            "representative_id": spec.representative_id,
            "kind": "party_representative" if spec.party else "supporter",
            "valid_from": valid_from,
            "valid_to": valid_to,
            "revoked_at": None,
            "recorded_by_id": plan.caseworker_id,
            "recorded_at": stamp(when),
        }
        request = self.rec.request(plan.caseworker_id)
        self.rec.saved(PowerOfAttorney, row, at=when, request=request, subject=case, reason="mandate_record")
        union = next(name for name, pk in self.world.unions.items() if pk == spec.union_id)
        kind = "Partsrepræsentant" if spec.party else "Bisidder"
        self.note(case, f"Fuldmagt registreret: {kind} fra {union}.", when + STEP, request)
        if revoked is not None:
            row["revoked_at"] = stamp(revoked)
            request = self.rec.request(plan.caseworker_id)
            self.rec.saved(
                PowerOfAttorney, row, at=revoked, request=request, subject=case, reason="mandate_revoke", kind="~"
            )
            self.note(case, "Fuldmagt tilbagekaldt.", revoked + STEP, request)
        self.rec.insert(PowerOfAttorney, row)
        return Mandate(spec.representative_id, spec.party, valid_from, valid_to, revoked)

    # --- tips, suspicions, lookups, findings ---------------------------------------------------------

    def bases(
        self, plan: CasePlan, centre: Centre, case: Subject, evidence: list[Evidence], end: int
    ) -> list[tuple[str, int, int, bool]]:
        """(kind, id, recorded, states_unjustified_benefit), oldest first. The first basis of a case with
        lookups is one the jobcentre's threshold accepts, recorded after the first other information (L4)."""
        rng = self.rng
        start = evidence[0].recorded + MINUTE
        made = []
        for index in range(plan.bases):
            when = start + int((end - start) * rng.uniform(0.02, 0.3))
            suspicion = (index == 0 and plan.lookups and centre.clear_presumption) or rng.random() < 0.4
            request = self.rec.request(plan.caseworker_id)
            if suspicion:
                made.append(("suspicion", self.suspicion(case, centre, when, request), when, centre.clear_presumption))
            else:
                made.append(("tip", self.tip(case, when, request), when, False))
        made.sort(key=lambda basis: basis[2])
        if plan.lookups and centre.clear_presumption:
            made.sort(key=lambda basis: basis[0] != "suspicion")
        return made

    def tip(self, case: Subject, when: int, request: Request) -> int:
        channel = self.rng.choice([c.value for c in TipChannel])
        received = local_date(when) - timedelta(days=self.rng.randint(0, 10))
        tip_id = self.rec.next_id(Tip)
        row: dict[str, Value] = {
            "id": tip_id,
            "case_id": case.case_id,
            "channel": channel,
            "received_on": received,
            "summary": "Anmeldelse om mulig beskæftigelse ved siden af ydelsen.",
            "tipper_identity": "" if self.rng.random() < 0.6 else "Nabo (navn kendt af jobcenteret)",
            "status": "open",
            "recorded_at": stamp(when),
            "recorded_by_id": request.actor_id,
        }
        self.rec.insert(Tip, row)
        self.rec.saved(Tip, row, at=when, request=request, subject=case, reason="tip_record")
        label = dict(TipChannel.choices)[channel]
        self.note(case, f"Anmeldelse registreret (modtaget {received:%d.%m.%Y} via {label}).", when + STEP, request)
        return tip_id

    def suspicion(self, case: Subject, centre: Centre, when: int, request: Request) -> int:
        theme = self.rng.choice(names.CONTROL_THEMES)
        reason = (
            "Oplysningerne tyder på indtægt, som ikke er oplyst til jobcenteret." if centre.clear_presumption else ""
        )
        violations = case_rules.check_suspicion(
            grounds="x",
            control_theme=theme,
            unjustified_benefit_reason=reason,
            clear_presumption_required=centre.clear_presumption,
        )
        if violations:
            raise RuntimeError(f"generated suspicion breaks {violations}")
        suspicion_id = self.rec.next_id(Suspicion)
        row: dict[str, Value] = {
            "id": suspicion_id,
            "case_id": case.case_id,
            "grounds": "Borgerens forklaring stemmer ikke med oplysninger fra andre kilder.",
            "control_theme": theme,
            "other_sources_consulted": "Indkomstregisteret og praktikstedets fremmøderegistrering.",
            "unjustified_benefit_reason": reason,
            "status": "open",
            "recorded_at": stamp(when),
            "recorded_by_id": request.actor_id,
        }
        self.rec.insert(Suspicion, row)
        self.rec.saved(Suspicion, row, at=when, request=request, subject=case, reason="suspicion_record")
        self.note(case, f"Begrundet mistanke registreret. Kontroltema: {theme}.", when + STEP, request)
        return suspicion_id

    def lookups(
        self,
        plan: CasePlan,
        centre: Centre,
        case: Subject,
        bases: list[tuple[str, int, int, bool]],
        evidence: list[Evidence],
        end: int,
    ) -> list[Evidence]:
        """Each lookup rests on the case's first acceptable basis, a while after it was recorded (L1, L2)."""
        rng = self.rng
        marked: list[Evidence] = []
        if not plan.lookups:
            return marked
        kind, basis_id, basis_at, states_unjustified = bases[0]
        when = basis_at
        for index in range(plan.lookups):
            lead = rng.choice((5 * MINUTE, HOUR, 4 * HOUR, DAY, 3 * DAY)) if rng.random() > 0.03 else 10 * MINUTE
            when = when + min(lead, max((end - when) // 20, MINUTE))
            platform = rng.choice(centre.allowed_platforms)
            findings = (plan.force_findings and index % 2 == 0) or rng.random() < 0.4
            lookup_id = self.lookup(
                plan, centre, case, (kind, basis_id, basis_at, states_unjustified), evidence, when, platform, findings
            )
            if findings:
                for number in range(rng.randint(1, 2)):
                    item = self.finding(plan, case, lookup_id, platform, when + (5 + number) * MINUTE, end)
                    if item is not None:
                        marked.append(item)
            self.review(plan, centre, case, lookup_id, platform, when)
        return marked

    def lookup(
        self,
        plan: CasePlan,
        centre: Centre,
        case: Subject,
        basis: tuple[str, int, int, bool],
        evidence: list[Evidence],
        when: int,
        platform: str,
        findings: bool,
    ) -> int:
        kind, basis_id, basis_at, states_unjustified = basis
        recorded = when + 2 * MINUTE
        first, last = self.citizens[plan.citizen_id]
        profile_url = f"https://www.{platform}.com/{first.lower()}.{last.lower()}.{plan.citizen_id}"
        shared = centre.shared_profiles.get(platform)
        facts = smc_rules.LookupFacts(
            case_id=plan.case_id,
            case_jobcentre_id=centre.id,
            bases=(smc_rules.BasisFacts(kind, plan.case_id, True, moment(basis_at), states_unjustified),),
            platform=platform,
            profile_url=profile_url,
            purpose="Sammenholde grundlaget med borgerens offentlige opslag.",
            content_was_public=True,
            material_from_citizen=False,
            no_contact_confirmed=True,
            shared_profile=smc_rules.SharedProfileFacts(centre.id, platform, True) if shared else None,
            performed_at=moment(when),
            earliest_other_information_at=moment(min(e.recorded for e in evidence if not e.social_media)),
        )
        policy = smc_rules.LookupPolicyFacts(
            clear_presumption_required=centre.clear_presumption,
            shared_profile_required=centre.shared_profile_required,
            social_media_not_first=centre.social_media_not_first,
            allowed_platforms=centre.allowed_platforms,
        )
        violations = smc_rules.check_lookup(facts, policy, now=moment(recorded))
        if violations:
            raise RuntimeError(f"generated lookup breaks {[v.code for v in violations]}")
        lookup_id = self.rec.next_id(Lookup)
        row: dict[str, Value] = {
            "id": lookup_id,
            "case_id": plan.case_id,
            "tip_id": basis_id if kind == "tip" else None,
            "suspicion_id": basis_id if kind == "suspicion" else None,
            "policy_id": centre.policy_id,
            "platform": platform,
            "profile_url": profile_url,
            "shared_profile_id": shared,
            "purpose": facts.purpose,
            "content_was_public": True,
            "material_from_citizen": False,
            "no_contact_confirmed": True,
            "outcome": "findings" if findings else "nothing_relevant",
            "performed_by_id": plan.caseworker_id,
            "performed_at": stamp(when),
            "recorded_at": stamp(recorded),
        }
        self.rec.insert(Lookup, row)
        request = self.rec.request(plan.caseworker_id)
        self.rec.saved(Lookup, row, at=recorded, request=request, subject=case, reason="lookup_record")
        basis_label = "Anmeldelse" if kind == "tip" else "Begrundet mistanke"
        outcome = "Relevante oplysninger fundet" if findings else "Intet relevant fundet"
        self.note(
            case,
            f"Opslag på {platform} {moment(when).astimezone(LOCAL):%d.%m.%Y %H:%M} med grundlag i {basis_label}. "
            f"Formål: {facts.purpose} Resultat: {outcome}.",
            recorded + STEP,
            request,
        )
        return lookup_id

    def finding(
        self, plan: CasePlan, case: Subject, lookup_id: int, platform: str, when: int, end: int
    ) -> Evidence | None:
        """Record a finding; mark it for use a day later, or let the nightly job purge it after 30 days (L8)."""
        rng = self.rng
        description = "Offentligt opslag, der viser borgeren i gang med fysisk arbejde."
        relevance = "Kan belyse borgerens funktionsevne og mulige beskæftigelse."
        url = f"https://www.{platform}.com/posts/{lookup_id}{rng.randint(100, 999)}"
        if smc_rules.check_finding(
            description=description,
            relevance=relevance,
            url=url,
            posted_on_in_future=False,
            attachment=None,
            max_attachment_bytes=1,
        ):
            raise RuntimeError("generated finding breaks L8")
        posted_on = local_date(when) - timedelta(days=rng.randint(1, 30))
        finding_id = self.rec.next_id(Finding)
        row: dict[str, Value] = {
            "id": finding_id,
            "lookup_id": lookup_id,
            "description": description,
            "posted_on": posted_on,
            "url": url,
            "relevance": relevance,
            "attachment": "",
            "attachment_sha256": "",
            "attachment_content_type": "",
            "attachment_size": None,
            "status": "recorded",
            "evidence_item_id": None,
            "recorded_by_id": plan.caseworker_id,
            "recorded_at": stamp(when),
            "purged_at": None,
        }
        request = self.rec.request(plan.caseworker_id)
        self.rec.saved(Finding, row, at=when, request=request, subject=case, reason="finding_record")
        self.note(case, f"Fund {finding_id} registreret fra opslag på {platform}.", when + STEP, request)
        mark_at = when + min(DAY, max((end - when) // 10, MINUTE))
        item = None
        if (plan.force_findings or rng.random() < 0.5) and mark_at < end:
            request = self.rec.request(plan.caseworker_id)
            item = self.evidence(
                case,
                "social_media_finding",
                mark_at,
                request,
                title="Opslag på sociale medier",
                description=description,
                occurred_on=posted_on,
                url=url,
            )
            row.update(status="marked_for_use", evidence_item_id=item.id)
            self.rec.saved(
                Finding,
                row,
                at=mark_at + 2 * STEP,
                request=request,
                subject=case,
                reason="finding_mark_for_use",
                kind="~",
            )
        elif (purge_at := local_start(local_date(when) + timedelta(days=31)) + 2 * HOUR) < self.anchor:
            row.update(status="purged", description="", url="", relevance="", purged_at=stamp(purge_at))
            system = self.rec.request(None)
            self.rec.saved(Finding, row, at=purge_at, request=system, subject=case, reason="finding_purge", kind="~")
            self.note(
                case,
                f"Fund {finding_id} er slettet, fordi det ikke blev markeret til brug inden for 30 dage. "
                "Metadata (tidspunkt, SHA-256) er bevaret.",
                purge_at + STEP,
                system,
            )
        self.rec.insert(Finding, row)
        return item

    def review(self, plan: CasePlan, centre: Centre, case: Subject, lookup_id: int, platform: str, when: int) -> None:
        """Supervisors review lookups a few days after; the recent ones wait in the review queue."""
        reviewed = when + self.rng.randint(1, 10) * DAY
        if reviewed >= self.anchor - 14 * DAY or self.rng.random() < 0.05:
            return
        supervisor = self.rng.choice(centre.supervisors)
        flagged = self.rng.random() < 0.1
        row: dict[str, Value] = {
            "id": self.rec.next_id(LookupReview),
            "lookup_id": lookup_id,
            "outcome": "flagged" if flagged else "reviewed",
            "comment": "Grundlaget bør beskrives mere præcist." if flagged else "",
            "reviewer_id": supervisor,
            "reviewed_at": stamp(reviewed),
        }
        self.rec.insert(LookupReview, row)
        request = self.rec.request(supervisor)
        reason = "lookup_review_flag" if flagged else "lookup_review_mark"
        self.rec.saved(LookupReview, row, at=reviewed, request=request, subject=case, reason=reason)
        if flagged:
            self.note(
                case,
                f"Opslaget på {platform} er markeret til opfølgning af en leder. Bemærkning: {row['comment']}",
                reviewed + STEP,
                request,
            )

    # --- hearings -----------------------------------------------------------------------------------

    def hearings(
        self,
        plan: CasePlan,
        centre: Centre,
        case: Subject,
        evidence: list[Evidence],
        social: list[Evidence],
        mandate: Mandate | None,
        end: int,
    ) -> None:
        rng = self.rng
        sent_times = sorted(
            plan.opened + int((end - plan.opened) * rng.uniform(0.45, 0.65)) for _ in range(plan.hearings)
        )
        for index, sent in enumerate(sent_times):
            items = [e for e in evidence if e.recorded < sent]
            covered = [rng.choice(items)]
            if index == 0:
                covered += [e for e in social if e.recorded < sent]
            self.hearing(plan, centre, case, covered, sent, mandate, end)

    def hearing(
        self,
        plan: CasePlan,
        centre: Centre,
        case: Subject,
        covered: list[Evidence],
        sent: int,
        mandate: Mandate | None,
        end: int,
    ) -> None:
        rng = self.rng
        today = local_date(sent)
        deadline = case_rules.earliest_hearing_deadline(today=today, policy_days=centre.hearing_days)
        reading = "Jobcenteret forstår oplysningen sådan, at borgeren kan arbejde mere end oplyst."
        facts = [
            case_rules.HearingItemFacts(
                e.id, plan.case_id, e.social_media, e.title, e.description, e.occurred_on, e.source_url, reading
            )
            for e in covered
        ]
        representative = mandate.representative_id if mandate and mandate.party and mandate.active(sent) else None
        violations = case_rules.check_hearing_send(
            case_id=plan.case_id,
            items=facts,
            deadline=deadline,
            today=today,
            policy_days=centre.hearing_days,
            fraud_suspected=False,
            letter_has_self_incrimination_notice=False,
            party_representative_ids=[representative] if representative else [],
            copy_to_representative_id=representative,
        )
        if violations:
            raise RuntimeError(f"generated hearing breaks {[v.code for v in violations]}")
        first, last = self.citizens[plan.citizen_id]
        rep = self.world.users[representative] if representative else None
        hearing_id = self.rec.next_id(Hearing)
        reference = f"{centre.code}-{local_date(plan.opened).year}-{plan.number:06d}"
        row: dict[str, Value] = {
            "id": hearing_id,
            "case_id": plan.case_id,
            "letter_text": hearing_letter_text(
                citizen_name=f"{first} {last}",
                case_reference=reference,
                items=facts,
                deadline=deadline,
                fraud_suspected=False,
                representative_name=f"{rep.first_name} {rep.last_name}" if rep else None,
            ),
            "self_incrimination_notice": False,
            "representative_id": representative,
            "sent_at": stamp(sent),
            "sent_by_id": plan.caseworker_id,
            "original_deadline": deadline,
            "deadline": deadline,
            "response_received_at": None,
            "response_text": "",
        }
        request = self.rec.request(plan.caseworker_id)
        self.rec.saved(Hearing, row, at=sent, request=request, subject=case, reason="hearing_send")
        for offset, item in enumerate(covered, start=1):
            hearing_item: dict[str, Value] = {
                "id": self.rec.next_id(HearingItem),
                "hearing_id": hearing_id,
                "evidence_item_id": item.id,
                "authority_reading": reading,
            }
            self.rec.insert(HearingItem, hearing_item)
            self.rec.saved(HearingItem, hearing_item, at=sent + offset * STEP, request=request, subject=case)
        self.note(
            case,
            f"Partshøring sendt om {len(covered)} oplysning(er). Svarfrist {deadline:%d.%m.%Y}.",
            sent + (len(covered) + 1) * STEP,
            request,
        )
        if rep is not None:
            self.notify(
                rep.id,
                f"hearing:{hearing_id}:sent:representative:{rep.id}",
                f"Kopi af partshøring i sag {reference}",
                "Jobcenteret har sendt en partshøring.",
                _url("union_case_report", plan.case_id),
                sent,
            )
        response = sent + rng.randint(2, 12) * DAY + rng.randint(0, 8) * HOUR
        extended = rng.random() < 0.05 and sent + 5 * DAY < end
        if extended:
            granted = sent + 5 * DAY
            new_deadline = deadline + timedelta(days=7)
            extension: dict[str, Value] = {
                "id": self.rec.next_id(HearingExtension),
                "hearing_id": hearing_id,
                "previous_deadline": deadline,
                "new_deadline": new_deadline,
                "reason": "Borgeren har bedt om mere tid.",
                "granted_by_id": plan.caseworker_id,
                "granted_at": stamp(granted),
            }
            request = self.rec.request(plan.caseworker_id)
            self.rec.insert(HearingExtension, extension)
            self.rec.saved(HearingExtension, extension, at=granted, request=request, subject=case)
            row["deadline"] = new_deadline
            self.rec.saved(
                Hearing, row, at=granted + STEP, request=request, subject=case, reason="hearing_extend", kind="~"
            )
            self.note(
                case,
                f"Svarfristen er forlænget til {new_deadline:%d.%m.%Y}: Borgeren har bedt om mere tid.",
                granted + 2 * STEP,
                request,
            )
        final_deadline = row["deadline"]
        assert isinstance(final_deadline, date)
        if rng.random() < 0.7 and response < end:
            row.update(response_received_at=stamp(response), response_text="Jeg er uenig i jobcenterets forståelse.")
            request = self.rec.request(plan.caseworker_id)
            self.rec.saved(
                Hearing, row, at=response, request=request, subject=case, reason="hearing_record_response", kind="~"
            )
            self.note(case, "Borgerens svar på partshøringen er registreret.", response + STEP, request)
            answered: int | None = response
        else:
            answered = None
            self.deadline_notices(plan, case, hearing_id, reference, final_deadline, end)
        self.rec.insert(Hearing, row)
        for item in covered:
            item.hearings.append(HeardBy(sent, final_deadline, answered))

    def deadline_notices(
        self, plan: CasePlan, case: Subject, hearing_id: int, reference: str, deadline: date, end: int
    ) -> None:
        """What the hourly deadline duty writes for an unanswered hearing on an open case."""
        for kind, day in (
            ("reminder", deadline - timedelta(days=REMINDER_DAYS)),
            ("expired", deadline + timedelta(days=1)),
        ):
            when = local_start(day) + HOUR
            if when >= end:
                return
            row: dict[str, Value] = {
                "id": self.rec.next_id(HearingDeadlineNotice),
                "hearing_id": hearing_id,
                "kind": kind,
                "deadline": deadline,
                "created_at": stamp(when),
            }
            system = self.rec.request(None)
            self.rec.insert(HearingDeadlineNotice, row)
            self.rec.saved(
                HearingDeadlineNotice, row, at=when, request=system, subject=case, reason="hearing_deadlines_scan"
            )
            text = (
                f"Påmindelse: svarfristen for partshøringen udløber {deadline:%d.%m.%Y}."
                if kind == "reminder"
                else f"Svarfristen for partshøringen udløb {deadline:%d.%m.%Y} uden svar."
            )
            self.note(case, text, when + STEP, system)
            self.notify(
                plan.caseworker_id,
                f"hearing:{hearing_id}:{kind}:{deadline.isoformat()}",
                f"Svarfrist i sag {reference}",
                text,
                _url("hearing_detail", hearing_id),
                when,
            )

    # --- decisions ----------------------------------------------------------------------------------

    def decisions(
        self,
        plan: CasePlan,
        centre: Centre,
        case: Subject,
        evidence: list[Evidence],
        mandate: Mandate | None,
        end: int,
    ) -> int:
        rng = self.rng
        times = sorted(plan.opened + int((end - plan.opened) * rng.uniform(0.7, 0.97)) for _ in range(plan.decisions))
        social = [e for e in evidence if e.social_media]
        plain = [e for e in evidence if not e.social_media]
        issued = 0
        for index, created in enumerate(times):
            last = index == len(times) - 1
            draft = last and plan.closed is None and (plan.force_findings or rng.random() < 0.35)
            usable_social = [e for e in social if self.heard_by(e, created)]
            if draft and social and (plan.force_findings or rng.random() < 0.5):
                cited = social[:1]
            else:
                cited = [e for e in rng.sample(plain, min(len(plain), rng.randint(1, 2))) if e.recorded < created]
                if usable_social and index == 0:
                    cited.append(usable_social[0])
            issued += self.decision(plan, centre, case, cited, created, end, mandate, draft=draft)
        return issued

    @staticmethod
    def heard_by(item: Evidence, when: int) -> bool:
        today = local_date(when)
        return any(
            (h.response is not None and h.response < when) or h.deadline < today for h in item.hearings if h.sent < when
        )

    def facts(
        self, cited: list[Evidence], kind: str, author: int, when: int, centre: Centre
    ) -> case_rules.DecisionFacts:
        return case_rules.DecisionFacts(
            is_adverse=kind in ADVERSE_DECISION_KINDS,
            is_issued=False,
            author_id=author,
            approved_by_id=None,
            legal_basis="Lov om aktiv beskæftigelsesindsats.",
            main_considerations="Borgerens samlede situation og oplysningerne i sagen.",
            facts_relied_on="De citerede beviser.",
            cited=tuple(
                case_rules.CitedItemFacts(
                    e.id,
                    e.title,
                    e.social_media,
                    "Tillagt vægt.",
                    tuple(
                        case_rules.HearingFacts(
                            h.deadline, moment(h.response) if h.response is not None and h.response < when else None
                        )
                        for h in e.hearings
                        if h.sent < when
                    ),
                )
                for e in cited
            ),
            four_eyes_for_social_media=centre.four_eyes,
        )

    def decision(
        self,
        plan: CasePlan,
        centre: Centre,
        case: Subject,
        cited: list[Evidence],
        created: int,
        end: int,
        mandate: Mandate | None,
        *,
        draft: bool,
    ) -> int:
        rng = self.rng
        kind = rng.choices(DECISION_KINDS, DECISION_WEIGHTS)[0]
        facts = self.facts(cited, kind, plan.caseworker_id, created, centre)
        decision_id = self.rec.next_id(Decision)
        label = dict(DecisionKind.choices)[kind]
        row: dict[str, Value] = {
            "id": decision_id,
            "case_id": plan.case_id,
            "kind": kind,
            "summary": f"Afgørelse: {label}.",
            "legal_basis": facts.legal_basis,
            "main_considerations": facts.main_considerations,
            "facts_relied_on": facts.facts_relied_on,
            "complaint_guidance": "",
            "status": "draft",
            "supersedes_id": None,
            "author_id": plan.caseworker_id,
            "created_at": stamp(created),
            "approved_by_id": None,
            "approved_at": None,
            "issued_by_id": None,
            "issued_at": None,
        }
        request = self.rec.request(plan.caseworker_id)
        self.rec.saved(Decision, row, at=created, request=request, subject=case, reason="decision_draft")
        self.note(case, f"Udkast til afgørelse: {label}.", created + STEP, request)
        for offset, item in enumerate(cited, start=2):
            citation: dict[str, Value] = {
                "id": self.rec.next_id(DecisionEvidence),
                "decision_id": decision_id,
                "evidence_item_id": item.id,
                "weighing": "Tillagt vægt.",
            }
            at = created + offset * STEP
            self.rec.history(DecisionEvidence, citation, at=at, user_id=plan.caseworker_id, reason=None, kind="+")
            self.rec.saved(
                DecisionEvidence,
                citation,
                at=at,
                request=request,
                subject=case,
                reason="decision_cite_evidence",
                kind="~",
            )
            self.rec.insert(DecisionEvidence, citation)
        attempt_at = created + min(rng.randint(1, 5) * DAY, max((end - created) // 2, MINUTE))
        violations = case_rules.check_decision_issue(facts, today=local_date(attempt_at))
        if draft:
            if violations:
                self.attempt(
                    plan,
                    case,
                    decision_id,
                    attempt_at,
                    [v.code for v in violations],
                    [str(v.message) for v in violations],
                )
                self.note(
                    case,
                    f"Forsøg på at udstede afgørelse afvist ({', '.join(v.code for v in violations)}).",
                    attempt_at + 2 * STEP,
                    self.rec.request(plan.caseworker_id),
                )
            self.rec.insert(Decision, row)
            return 0
        if violations:
            raise RuntimeError(f"generated decision breaks {[v.code for v in violations]}")
        issued_on = local_date(attempt_at)
        row.update(
            status="issued",
            issued_at=stamp(attempt_at),
            issued_by_id=plan.caseworker_id,
            complaint_guidance=_complaint_guidance(issued_on),
        )
        request = self.rec.request(plan.caseworker_id)
        self.rec.saved(Decision, row, at=attempt_at, request=request, subject=case, reason="decision_issue", kind="~")
        self.attempt(plan, case, decision_id, attempt_at + STEP, [], [], request=request)
        self.note(case, f"Afgørelse udstedt: {label}.", attempt_at + 3 * STEP, request)
        if mandate is not None and mandate.party and mandate.active(attempt_at):
            self.notify(
                mandate.representative_id,
                f"decision:{decision_id}:issued:representative:{mandate.representative_id}",
                "Afgørelse udstedt",
                f"Der er udstedt en afgørelse ({label}).",
                _url("union_case_report", plan.case_id),
                attempt_at,
            )
        self.rec.insert(Decision, row)
        return 1

    def attempt(
        self,
        plan: CasePlan,
        case: Subject,
        decision_id: int,
        when: int,
        codes: list[str],
        messages: list[str],
        request: Request | None = None,
    ) -> None:
        row: dict[str, Value] = {
            "id": self.rec.next_id(DecisionAttempt),
            "decision_id": decision_id,
            "attempted_by_id": plan.caseworker_id,
            "attempted_at": stamp(when),
            "outcome": "refused" if codes else "issued",
            "rule_codes": pg_array(codes),
            "messages": json.dumps(messages, ensure_ascii=False),
        }
        self.rec.insert(DecisionAttempt, row)
        self.rec.saved(
            DecisionAttempt,
            row,
            at=when,
            request=request or self.rec.request(plan.caseworker_id),
            subject=case,
            reason="decision_issue",
            action="decision_refused" if codes else "decision_issued",
            outcome="refused" if codes else "success",
            audit_reason=", ".join(codes),
        )
