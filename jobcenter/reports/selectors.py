"""Reads for the union representative (A2): the cases an active power of attorney covers right now, and
the read-only report of one of them.

Nothing here is cached: every request asks the mandates table again and applies `mandate_is_active` with
the server clock, so a revocation or an expiry takes effect on the very next request. A tip's
`tipper_identity` is never even loaded. The report costs a fixed number of queries however much the case
holds: one per kind of row, and the rules run on facts built from those rows.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import chain

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from cases.letters import complaint_deadline
from cases.models import (
    AttemptOutcome,
    Case,
    Decision,
    DecisionAttempt,
    DecisionEvidence,
    DecisionStatus,
    EvidenceItem,
    EvidenceKind,
    Hearing,
    HearingItem,
    MandateKind,
    MandateScope,
    PowerOfAttorney,
    Suspicion,
    Tip,
)
from cases.rules import (
    CitedItemFacts,
    DecisionFacts,
    HearingFacts,
    HearingItemFacts,
    MandateFacts,
    hearing_is_complete,
    mandate_is_active,
)
from jobcenter.core import clock
from jobcenter.core.json_rows import instances, json_rows
from jobcenter.organisation.models import Policy
from jobcenter.organisation.selectors import staff_profile_for
from jobcenter.reports import compliance
from jobcenter.reports.models import ReportJob
from socialmedia_checks.models import Finding, Lookup
from socialmedia_checks.rules import LookupFacts
from socialmedia_checks.selectors import basis_facts, lookup_policy_facts, shared_profile_facts

# --- Mandates: who may see which case, right now ------------------------------------------------------------


def _mandates_held_by(user: User | AnonymousUser) -> QuerySet[PowerOfAttorney]:
    """The user's mandates, and only while the user still represents the union the citizen chose."""
    if not user.is_authenticated:
        return PowerOfAttorney.objects.none()
    return PowerOfAttorney.objects.filter(representative_id=user.pk, union__representatives__user_id=user.pk)


def _is_active(mandate: PowerOfAttorney, *, now: datetime) -> bool:
    facts = MandateFacts(
        representative_id=mandate.representative_id,
        is_party_representative=mandate.kind == MandateKind.PARTY_REPRESENTATIVE,
        covers_case=True,
        valid_from=mandate.valid_from,
        valid_to=mandate.valid_to,
        revoked_at=mandate.revoked_at,
    )
    return mandate_is_active(facts, today=clock.localdate(now), now=now)


def _covers(mandate: PowerOfAttorney, case: Case) -> bool:
    return mandate.citizen_id == case.citizen_id and mandate.case_id in (None, case.pk)


@dataclass(frozen=True)
class MandatedCase:
    case: Case
    mandate: PowerOfAttorney


def mandated_cases_for(user: User | AnonymousUser, *, now: datetime | None = None) -> list[MandatedCase]:
    """The cases an active mandate of the user covers right now, each with the mandate that covers it."""
    now = now or clock.now()
    active = [m for m in _mandates_held_by(user).order_by("valid_from", "pk") if _is_active(m, now=now)]
    if not active:
        return []
    one_case = {m.case_id for m in active if m.scope == MandateScope.CASE}
    all_cases = {m.citizen_id for m in active if m.scope == MandateScope.ALL_CASES}
    cases = Case.objects.filter(Q(pk__in=one_case) | Q(citizen_id__in=all_cases)).select_related("citizen__jobcentre")
    rows = []
    for case in cases.order_by("citizen__last_name", "citizen__first_name", "-opened_at"):
        # A mandate for this very case says more than one for all of the citizen's cases.
        covering = sorted((m for m in active if _covers(m, case)), key=lambda m: m.case_id is None)
        rows.append(MandatedCase(case=case, mandate=covering[0]))
    return rows


def case_for_report(case_pk: int) -> Case | None:
    """The case with what its report needs of it, the citizen's mandates included (as JSON rows: they
    decide the representative's access and are listed in the report, and cost no query of their own)."""
    mandates = PowerOfAttorney.objects.filter(citizen_id=OuterRef("citizen_id")).order_by("pk")
    return (
        Case.objects.select_related("citizen__jobcentre", "team", "assigned_caseworker")
        .annotate(mandate_rows=json_rows(mandates))
        .filter(pk=case_pk)
        .first()
    )


def _mandates_of(case: Case) -> list[PowerOfAttorney]:
    return instances(PowerOfAttorney, case.mandate_rows)  # type: ignore[attr-defined]


def case_report_get_for_representative(user: User | AnonymousUser, case_pk: int) -> Case:
    """The case, if an active mandate of the user covers it right now; otherwise 404, as if it did not exist."""
    now = clock.now()
    case = case_for_report(case_pk)
    profile = staff_profile_for(user)
    if case is None or profile is None:
        raise Http404
    held = [m for m in _mandates_of(case) if m.representative_id == user.pk and m.union_id == profile.union_id]
    if not any(_covers(m, case) and _is_active(m, now=now) for m in held):
        raise Http404
    return case


def report_job_get_for_representative(user: User | AnonymousUser, job_pk: int) -> ReportJob:
    """The user's own PDF job, while an active mandate still covers its case; otherwise 404.

    The mandate is checked exactly as for the report itself, on every request (also every poll)."""
    if not user.is_authenticated:
        raise Http404
    job = ReportJob.objects.filter(pk=job_pk, requested_by_id=user.pk).first()
    if job is None:
        raise Http404
    job.case = case_report_get_for_representative(user, job.case_id)
    return job


# --- The report ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    kind: str
    label: str
    title: str
    detail: str
    when: datetime


@dataclass(frozen=True)
class LookupRow:
    lookup: Lookup
    basis_label: str
    basis_title: str
    basis_recorded_at: datetime
    account: str
    material: str
    findings: list[Finding]


@dataclass(frozen=True)
class HearingRow:
    hearing: Hearing
    items: list[HearingItem]
    complete: bool
    complete_text: str


@dataclass(frozen=True)
class DecisionRow:
    decision: Decision
    citations: list[DecisionEvidence]
    complaint_deadline: date | None
    refused_attempts: list[DecisionAttempt]


@dataclass(frozen=True)
class CaseReport:
    case: Case
    generated_at: datetime
    timeline: list[TimelineEntry]
    lookups: list[LookupRow]
    hearings: list[HearingRow]
    decisions: list[DecisionRow]
    refused_attempts: list[DecisionAttempt]
    compliance: compliance.ComplianceSummary


def _when(moment: datetime) -> str:
    return clock.localtime(moment).strftime("%d.%m.%Y %H:%M")


def _day(value: date) -> str:
    return value.strftime("%d.%m.%Y")


class _AsOf:
    """Values that changed over time (policy versions, the fraud flag, mandates), read as of a moment."""

    def __init__(self, *, policies: Sequence[Policy], fraud_flags: Sequence[tuple[datetime, bool]], case: Case):
        self.policies = sorted(policies, key=lambda p: (p.published_at, p.version))
        self.fraud_flags = sorted(fraud_flags)
        self.case = case

    def policy(self, moment: datetime) -> Policy:
        """The version in force at the moment; before the first version, the first version."""
        in_force = [p for p in self.policies if p.published_at <= moment]
        return in_force[-1] if in_force else self.policies[0]

    def fraud_suspected(self, moment: datetime) -> bool:
        flags = [flag for changed_at, flag in self.fraud_flags if changed_at <= moment]
        return flags[-1] if flags else self.case.fraud_suspected


def case_report(case: Case, *, now: datetime | None = None) -> CaseReport:
    """Everything the union representative may read about the case (loaded by `case_for_report`), and the
    compliance summary."""
    now = now or clock.now()
    today = clock.localdate(now)
    as_of = _AsOf(
        policies=list(Policy.objects.filter(jobcentre_id=case.citizen.jobcentre_id)),
        fraud_flags=list(Case.history.filter(id=case.pk).values_list("history_date", "fraud_suspected")),
        case=case,
    )
    tips = list(
        Tip.objects.filter(case=case)
        .only("id", "case_id", "channel", "received_on", "summary", "status", "recorded_at")
        .order_by("recorded_at", "pk")
    )
    suspicions = list(Suspicion.objects.filter(case=case).order_by("recorded_at", "pk"))
    evidence = list(EvidenceItem.objects.filter(case=case).order_by("recorded_at", "pk"))
    # Findings, hearing items and citations come as JSON rows in their parent's row (jobcenter.core.json_rows),
    # so the report costs the same few queries however many of them the case holds.
    lookups = list(
        Lookup.objects.filter(case=case)
        .select_related("tip", "suspicion", "performed_by", "shared_profile", "policy")
        .defer("tip__tipper_identity")
        .annotate(finding_rows=json_rows(Finding.objects.filter(lookup=OuterRef("pk")).order_by("recorded_at", "pk")))
        .order_by("performed_at", "pk")
    )
    hearings = list(
        Hearing.objects.filter(case=case)
        .select_related("sent_by", "representative")
        .annotate(item_rows=json_rows(HearingItem.objects.filter(hearing=OuterRef("pk")).order_by("pk")))
        .order_by("sent_at", "pk")
    )
    decisions = list(
        Decision.objects.filter(case=case)
        .select_related("author", "approved_by", "issued_by", "supersedes")
        .annotate(citation_rows=json_rows(DecisionEvidence.objects.filter(decision=OuterRef("pk")).order_by("pk")))
        .order_by("created_at", "pk")
    )
    findings_by_lookup = {lookup.pk: instances(Finding, lookup.finding_rows) for lookup in lookups}
    findings = sorted(
        (finding for found in findings_by_lookup.values() for finding in found), key=lambda f: (f.recorded_at, f.pk)
    )
    items_by_hearing = {hearing.pk: instances(HearingItem, hearing.item_rows) for hearing in hearings}
    citations_by_decision = {decision.pk: instances(DecisionEvidence, decision.citation_rows) for decision in decisions}
    _attach_evidence(
        evidence,
        [*chain.from_iterable(items_by_hearing.values()), *chain.from_iterable(citations_by_decision.values())],
    )
    attempts = list(
        DecisionAttempt.objects.filter(decision__case=case, outcome=AttemptOutcome.REFUSED)
        .select_related("decision", "attempted_by")
        .order_by("attempted_at", "pk")
    )
    mandates = _mandates_of(case)

    attempts_by_decision: dict[int, list[DecisionAttempt]] = defaultdict(list)
    for attempt in attempts:
        attempts_by_decision[attempt.decision_id].append(attempt)
    hearings_by_item: dict[int, list[Hearing]] = defaultdict(list)
    for hearing in hearings:
        for item in items_by_hearing[hearing.pk]:
            hearings_by_item[item.evidence_item_id].append(hearing)

    lookup_rows = [_lookup_row(lookup, findings_by_lookup[lookup.pk]) for lookup in lookups]
    hearing_rows = [_hearing_row(hearing, items_by_hearing[hearing.pk], today=today) for hearing in hearings]
    decision_rows = [
        DecisionRow(
            decision=decision,
            citations=citations_by_decision[decision.pk],
            complaint_deadline=complaint_deadline(issued_on=clock.localdate(decision.issued_at))
            if decision.issued_at
            else None,
            refused_attempts=attempts_by_decision[decision.pk],
        )
        for decision in decisions
    ]

    earliest_other = min((e.recorded_at for e in evidence if e.kind != EvidenceKind.SOCIAL_MEDIA_FINDING), default=None)
    lines: list[compliance.ComplianceLine] = []
    for row in lookup_rows:
        lines += compliance.lookup_lines(_lookup_compliance_facts(row.lookup, case, earliest_other))
        lines += [line for finding in row.findings for line in compliance.finding_lines(_finding_facts(finding))]
    for hearing in hearings:
        facts = _hearing_compliance_facts(hearing, items_by_hearing[hearing.pk], case, as_of, mandates)
        lines += compliance.hearing_lines(facts, today=today)
    for decision in decisions:
        lines += compliance.decision_lines(
            _decision_compliance_facts(decision, citations_by_decision[decision.pk], as_of, hearings_by_item, now=now),
            today=today,
        )
    lines += [compliance.refused_attempt_line(_attempt_facts(attempt)) for attempt in attempts]

    return CaseReport(
        case=case,
        generated_at=now,
        timeline=_timeline(tips, suspicions, lookup_rows, findings, hearings, decisions, attempts),
        lookups=lookup_rows,
        hearings=hearing_rows,
        decisions=decision_rows,
        refused_attempts=attempts,
        compliance=compliance.compliance_summary(lines),
    )


# --- Rows and facts -----------------------------------------------------------------------------------------


def _decision_subject(decision: Decision) -> str:
    if decision.issued_at is not None:
        return _("Afgørelse: %(kind)s, udstedt %(when)s") % {
            "kind": decision.get_kind_display(),
            "when": _when(decision.issued_at),
        }
    return _("Afgørelse: %(kind)s (kladde af %(when)s)") % {
        "kind": decision.get_kind_display(),
        "when": _when(decision.created_at),
    }


def _lookup_subject(lookup: Lookup) -> str:
    return _("Opslag på %(platform)s %(when)s") % {
        "platform": lookup.get_platform_display(),
        "when": _when(lookup.performed_at),
    }


def _lookup_row(lookup: Lookup, findings: list[Finding]) -> LookupRow:
    if lookup.tip is not None:
        label = _("Anmeldelse")
        title = _("Anmeldelse modtaget %(date)s (%(channel)s)") % {
            "date": _day(lookup.tip.received_on),
            "channel": lookup.tip.get_channel_display(),
        }
        recorded_at = lookup.tip.recorded_at
    else:
        assert lookup.suspicion is not None  # the database holds exactly one basis per lookup (L1)
        label = _("Begrundet mistanke")
        title = lookup.suspicion.control_theme
        recorded_at = lookup.suspicion.recorded_at
    if lookup.shared_profile is not None:
        account = _("Jobcenterets fælles profil «%(profile)s»") % {"profile": lookup.shared_profile}
    else:
        account = _("Ingen fælles profil angivet")
    if lookup.material_from_citizen:
        material = _("Materiale indsendt af borgeren selv")
    elif lookup.content_was_public:
        material = _("Offentligt tilgængeligt indhold")
    else:
        material = _("Ikke oplyst som offentligt")
    return LookupRow(
        lookup=lookup,
        basis_label=label,
        basis_title=title,
        basis_recorded_at=recorded_at,
        account=account,
        material=material,
        findings=findings,
    )


def _attach_evidence(evidence: list[EvidenceItem], links: list[HearingItem | DecisionEvidence]) -> None:
    """Give hearing items and citations their evidence item from the case's own evidence. One that points
    at another case's evidence breaks a rule the services hold; it is read, so the summary can show it."""
    by_id = {item.pk: item for item in evidence}
    elsewhere = {link.evidence_item_id for link in links} - by_id.keys()
    if elsewhere:
        by_id.update(EvidenceItem.objects.in_bulk(elsewhere))
    for link in links:
        link.evidence_item = by_id[link.evidence_item_id]


def _hearing_row(hearing: Hearing, items: list[HearingItem], *, today: date) -> HearingRow:
    complete = hearing_is_complete(
        HearingFacts(deadline=hearing.deadline, response_received_at=hearing.response_received_at), today=today
    )
    if hearing.response_received_at is not None:
        text = _("Borgeren svarede %(when)s.") % {"when": _when(hearing.response_received_at)}
    elif complete:
        text = _("Svarfristen udløb %(date)s uden svar.") % {"date": _day(hearing.deadline)}
    else:
        text = _("Afventer svar; fristen er %(date)s.") % {"date": _day(hearing.deadline)}
    return HearingRow(hearing=hearing, items=items, complete=complete, complete_text=text)


def _lookup_compliance_facts(
    lookup: Lookup, case: Case, earliest_other: datetime | None
) -> compliance.LookupComplianceFacts:
    basis = lookup.tip or lookup.suspicion
    assert basis is not None
    return compliance.LookupComplianceFacts(
        subject=_lookup_subject(lookup),
        lookup=LookupFacts(
            case_id=lookup.case_id,
            case_jobcentre_id=case.citizen.jobcentre_id,
            bases=(basis_facts(basis),),
            platform=lookup.platform,
            profile_url=lookup.profile_url,
            purpose=lookup.purpose,
            content_was_public=lookup.content_was_public,
            material_from_citizen=lookup.material_from_citizen,
            no_contact_confirmed=lookup.no_contact_confirmed,
            shared_profile=shared_profile_facts(lookup.shared_profile),
            performed_at=lookup.performed_at,
            earliest_other_information_at=earliest_other,
        ),
        policy=lookup_policy_facts(lookup.policy),
        recorded_at=lookup.recorded_at,
    )


def _finding_facts(finding: Finding) -> compliance.FindingComplianceFacts:
    return compliance.FindingComplianceFacts(
        subject=_("Fund %(id)s fra opslaget %(when)s") % {"id": finding.pk, "when": _when(finding.recorded_at)},
        relevance=finding.relevance,
        recorded_at=finding.recorded_at,
        purged_at=finding.purged_at,
    )


def _hearing_compliance_facts(
    hearing: Hearing, items: list[HearingItem], case: Case, as_of: _AsOf, mandates: list[PowerOfAttorney]
) -> compliance.HearingComplianceFacts:
    sent_on = clock.localdate(hearing.sent_at)
    party_representatives = tuple(
        m.representative_id
        for m in mandates
        if m.kind == MandateKind.PARTY_REPRESENTATIVE
        and _covers(m, case)
        # A mandate dated back does not reach a letter sent before the jobcentre knew of it.
        and m.recorded_at <= hearing.sent_at
        and _is_active(m, now=hearing.sent_at)
    )
    return compliance.HearingComplianceFacts(
        subject=_("Partshøring sendt %(when)s") % {"when": _when(hearing.sent_at)},
        case_id=case.pk,
        items=tuple(
            HearingItemFacts(
                evidence_id=item.evidence_item_id,
                case_id=item.evidence_item.case_id,
                is_social_media=item.evidence_item.is_social_media,
                title=item.evidence_item.title,
                description=item.evidence_item.description,
                occurred_on=item.evidence_item.occurred_on,
                source_url=item.evidence_item.source_url,
                authority_reading=item.authority_reading,
            )
            for item in items
        ),
        sent_at=hearing.sent_at,
        sent_on=sent_on,
        original_deadline=hearing.original_deadline,
        deadline=hearing.deadline,
        response_received_at=hearing.response_received_at,
        policy_days=as_of.policy(hearing.sent_at).hearing_days,
        fraud_suspected_when_sent=as_of.fraud_suspected(hearing.sent_at),
        self_incrimination_notice=hearing.self_incrimination_notice,
        party_representative_ids_when_sent=party_representatives,
        copy_to_representative_id=hearing.representative_id,
    )


def _decision_compliance_facts(
    decision: Decision,
    citations: list[DecisionEvidence],
    as_of: _AsOf,
    hearings_by_item: dict[int, list[Hearing]],
    *,
    now: datetime,
) -> compliance.DecisionComplianceFacts:
    """An issued decision as it stood when issued: answers that came later did not complete its hearings."""
    moment = decision.issued_at if decision.status == DecisionStatus.ISSUED and decision.issued_at else now

    def hearing_facts(hearing: Hearing) -> HearingFacts:
        answered = hearing.response_received_at
        return HearingFacts(
            deadline=hearing.deadline,
            response_received_at=answered if answered is not None and answered <= moment else None,
        )

    facts = DecisionFacts(
        is_adverse=decision.is_adverse,
        is_issued=False,
        author_id=decision.author_id,
        approved_by_id=decision.approved_by_id,
        legal_basis=decision.legal_basis,
        main_considerations=decision.main_considerations,
        facts_relied_on=decision.facts_relied_on,
        cited=tuple(
            CitedItemFacts(
                evidence_id=citation.evidence_item_id,
                title=citation.evidence_item.title,
                is_social_media=citation.evidence_item.is_social_media,
                weighing=citation.weighing,
                hearings=tuple(
                    hearing_facts(h) for h in hearings_by_item[citation.evidence_item_id] if h.sent_at <= moment
                ),
            )
            for citation in citations
        ),
        four_eyes_for_social_media=as_of.policy(moment).four_eyes_for_social_media_decisions,
    )
    issued_at = decision.issued_at if decision.status == DecisionStatus.ISSUED else None
    return compliance.DecisionComplianceFacts(
        subject=_decision_subject(decision),
        facts=facts,
        issued_at=issued_at,
        issued_on=clock.localdate(issued_at) if issued_at else None,
        supersedes_subject=_decision_subject(decision.supersedes) if decision.supersedes else "",
    )


def _attempt_facts(attempt: DecisionAttempt) -> compliance.RefusedAttemptFacts:
    return compliance.RefusedAttemptFacts(
        subject=_decision_subject(attempt.decision),
        attempted_at=attempt.attempted_at,
        rule_codes=tuple(attempt.rule_codes),
        messages=tuple(str(message) for message in attempt.messages),
    )


def _timeline(
    tips: list[Tip],
    suspicions: list[Suspicion],
    lookups: list[LookupRow],
    findings: list[Finding],
    hearings: Sequence[Hearing],
    decisions: Sequence[Decision],
    attempts: list[DecisionAttempt],
) -> list[TimelineEntry]:
    """Tips, suspicions, lookups, findings, hearings, decisions and refusals, oldest first. Never who tipped."""
    entries = [
        TimelineEntry(
            "tip",
            _("Anmeldelse"),
            _("Anmeldelse modtaget %(date)s (%(channel)s)")
            % {"date": _day(tip.received_on), "channel": tip.get_channel_display()},
            tip.summary,
            tip.recorded_at,
        )
        for tip in tips
    ]
    entries += [
        TimelineEntry(
            "suspicion",
            _("Mistanke"),
            _("Begrundet mistanke: %(theme)s") % {"theme": suspicion.control_theme},
            suspicion.grounds,
            suspicion.recorded_at,
        )
        for suspicion in suspicions
    ]
    entries += [
        TimelineEntry(
            "lookup",
            _("Opslag"),
            _lookup_subject(row.lookup),
            _("Grundlag: %(basis)s. Formål: %(purpose)s") % {"basis": row.basis_title, "purpose": row.lookup.purpose},
            row.lookup.performed_at,
        )
        for row in lookups
    ]
    entries += [
        TimelineEntry(
            "finding",
            _("Fund"),
            _("Fund %(id)s (%(status)s)") % {"id": finding.pk, "status": finding.get_status_display()},
            finding.description or _("Indholdet er slettet; kun metadata er bevaret."),
            finding.recorded_at,
        )
        for finding in findings
    ]
    for hearing in hearings:
        entries.append(
            TimelineEntry(
                "hearing",
                _("Partshøring"),
                _("Partshøring sendt, svarfrist %(date)s") % {"date": _day(hearing.deadline)},
                "",
                hearing.sent_at,
            )
        )
        if hearing.response_received_at is not None:
            entries.append(
                TimelineEntry(
                    "hearing_response",
                    _("Svar"),
                    _("Borgerens svar på partshøringen"),
                    hearing.response_text,
                    hearing.response_received_at,
                )
            )
    entries += [
        TimelineEntry(
            "decision",
            _("Afgørelse"),
            f"{decision.get_kind_display()} ({decision.get_status_display()})",
            decision.summary,
            decision.issued_at or decision.created_at,
        )
        for decision in decisions
    ]
    entries += [
        TimelineEntry(
            "refusal",
            _("Afvist"),
            _("Udstedelse afvist: %(codes)s") % {"codes": ", ".join(attempt.rule_codes)},
            " ".join(str(message) for message in attempt.messages),
            attempt.attempted_at,
        )
        for attempt in attempts
    ]
    entries.sort(key=lambda entry: entry.when)
    return entries
