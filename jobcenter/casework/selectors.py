"""Reads for the caseworker's screens. Everything starts from `cases_visible_to`, so nothing outside
the user's walls is ever fetched; each read is a fixed number of queries whatever the case holds."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import TypedDict

from django.contrib.auth.models import User
from django.db.models import F, QuerySet, Value
from django.db.models.functions import Concat, Trim
from django.urls import reverse
from django.utils.translation import gettext as _

from cases.models import (
    BasisStatus,
    Case,
    CaseStatus,
    Decision,
    DecisionAttempt,
    DecisionKind,
    DecisionStatus,
    EvidenceItem,
    EvidenceKind,
    Hearing,
    JournalNote,
    JournalNoteKind,
    Suspicion,
    Tip,
    TipChannel,
)
from cases.selectors import cases_visible_to
from jobcenter.core.choices import choice_labels
from jobcenter.organisation.models import Platform
from socialmedia_checks.models import Finding, FindingStatus, Lookup, LookupOutcome


@dataclass(frozen=True)
class TimelineEntry:
    kind: str
    label: str
    title: str
    detail: str
    who: str
    when: datetime
    url: str = ""


class JournalLine(TypedDict):
    kind: str
    text: str
    created_at: datetime
    author_name: str | None
    author_username: str | None


def _who(user: User | None) -> str:
    if user is None:
        return _("Systemet")
    return user.get_full_name() or user.get_username()


# The case page shows the newest journal notes; the whole journal has its own page.
JOURNAL_ON_CASE_PAGE = 20


@dataclass(frozen=True)
class CasePage:
    timeline: list[TimelineEntry]
    newest_notes: list[JournalLine]
    journal_size: int
    has_open_basis: bool


def case_page(case: Case) -> CasePage:
    """The case page: its timeline, its newest journal notes, and whether a lookup may be recorded (an
    open tip or suspicion). The notes and the bases are the timeline's own rows: nothing is read twice."""
    journal = list(case_journal(case))
    tips = list(Tip.objects.filter(case=case).select_related("recorded_by"))
    suspicions = list(Suspicion.objects.filter(case=case).select_related("recorded_by"))
    return CasePage(
        timeline=case_timeline(case, journal=journal, tips=tips, suspicions=suspicions),
        newest_notes=journal[:JOURNAL_ON_CASE_PAGE],
        journal_size=len(journal),
        has_open_basis=any(tip.status == BasisStatus.OPEN for tip in tips)
        or any(suspicion.status == BasisStatus.OPEN for suspicion in suspicions),
    )


def case_timeline(
    case: Case, *, journal: list[JournalLine], tips: list[Tip], suspicions: list[Suspicion]
) -> list[TimelineEntry]:
    """Notes, tips, suspicions, lookups, findings, evidence, hearings, decisions and refused attempts,
    newest first. One query per kind, so the page costs the same for 5 entries or 500."""
    entries: list[TimelineEntry] = []
    note_label, note_title, system = _("Notat"), _("Journalnotat"), _("Systemet")
    for note in journal:
        if note["kind"] != JournalNoteKind.MANUAL:
            continue
        who = note["author_name"] or note["author_username"] or system
        entries.append(TimelineEntry("note", note_label, note_title, note["text"], who, note["created_at"]))
    channels = choice_labels(TipChannel)
    for tip in tips:
        entries.append(
            TimelineEntry(
                "tip",
                _("Anmeldelse"),
                _("Anmeldelse modtaget %(date)s (%(channel)s)")
                % {"date": tip.received_on.strftime("%d.%m.%Y"), "channel": channels[tip.channel]},
                tip.summary,
                _who(tip.recorded_by),
                tip.recorded_at,
            )
        )
    for suspicion in suspicions:
        entries.append(
            TimelineEntry(
                "suspicion",
                _("Mistanke"),
                _("Begrundet mistanke: %(theme)s") % {"theme": suspicion.control_theme},
                suspicion.grounds,
                _who(suspicion.recorded_by),
                suspicion.recorded_at,
            )
        )
    platforms, outcomes = choice_labels(Platform), choice_labels(LookupOutcome)
    for lookup in Lookup.objects.filter(case=case).select_related("performed_by", "tip", "suspicion"):
        entries.append(
            TimelineEntry(
                "lookup",
                _("Opslag"),
                _("Opslag på %(platform)s – %(outcome)s")
                % {"platform": platforms[lookup.platform], "outcome": outcomes[lookup.outcome]},
                _("Grundlag: %(basis)s. Formål: %(purpose)s")
                % {"basis": lookup.tip or lookup.suspicion, "purpose": lookup.purpose},
                _who(lookup.performed_by),
                lookup.performed_at,
                reverse("finding_record", args=[lookup.pk]),
            )
        )
    finding_statuses, purged = choice_labels(FindingStatus), _("Indholdet er slettet; kun metadata er bevaret.")
    for finding in Finding.objects.filter(lookup__case=case).select_related("recorded_by"):
        entries.append(
            TimelineEntry(
                "finding",
                _("Fund"),
                _("Fund %(id)s (%(status)s)") % {"id": finding.pk, "status": finding_statuses[finding.status]},
                finding.description or purged,
                _who(finding.recorded_by),
                finding.recorded_at,
                reverse("finding_mark_for_use", args=[finding.pk]) if finding.status == "recorded" else "",
            )
        )
    evidence_label, evidence_kinds = _("Bevis"), choice_labels(EvidenceKind)
    for item in EvidenceItem.objects.filter(case=case).select_related("recorded_by"):
        entries.append(
            TimelineEntry(
                "evidence",
                evidence_label,
                f"{evidence_kinds[item.kind]}: {item.title}",
                item.description,
                _who(item.recorded_by),
                item.recorded_at,
            )
        )
    for hearing in Hearing.objects.filter(case=case).select_related("sent_by"):
        state = (
            _("svar modtaget")
            if hearing.response_received_at
            else _("svarfrist %(date)s") % {"date": hearing.deadline.strftime("%d.%m.%Y")}
        )
        entries.append(
            TimelineEntry(
                "hearing",
                _("Partshøring"),
                _("Partshøring sendt – %(state)s") % {"state": state},
                "",
                _who(hearing.sent_by),
                hearing.sent_at,
                reverse("hearing_detail", args=[hearing.pk]),
            )
        )
    decision_label = _("Afgørelse")
    decision_kinds, decision_statuses = choice_labels(DecisionKind), choice_labels(DecisionStatus)
    for decision in Decision.objects.filter(case=case).select_related("author"):
        entries.append(
            TimelineEntry(
                "decision",
                decision_label,
                f"{decision_kinds[decision.kind]} ({decision_statuses[decision.status]})",
                decision.summary,
                _who(decision.author),
                decision.issued_at or decision.created_at,
                reverse("decision_detail", args=[decision.pk]),
            )
        )
    refused = DecisionAttempt.objects.filter(decision__case=case, outcome="refused").select_related(
        "attempted_by", "decision"
    )
    for attempt in refused:
        entries.append(
            TimelineEntry(
                "refusal",
                _("Afvist"),
                _("Udstedelse afvist: %(codes)s") % {"codes": ", ".join(attempt.rule_codes)},
                " ".join(attempt.messages),
                _who(attempt.attempted_by),
                attempt.attempted_at,
                reverse("decision_detail", args=[attempt.decision_id]),
            )
        )
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries


def case_journal(case: Case) -> "QuerySet[JournalNote, JournalLine]":
    """The case's journal, newest first, as rows of what a page prints rather than model instances: a case
    can hold hundreds of notes, and the case page reads them all for its timeline."""
    return (
        JournalNote.objects.filter(case=case)
        .order_by("-created_at", "-id")
        .values(
            "kind",
            "text",
            "created_at",
            author_name=Trim(Concat("author__first_name", Value(" "), "author__last_name")),
            author_username=F("author__username"),
        )
    )


@dataclass(frozen=True)
class Desk:
    open_cases: list[Case]
    hearings_waiting: list[Hearing]
    hearings_expired: list[Hearing]
    draft_decisions: list[Decision]
    refused_attempts: list[DecisionAttempt]


def caseworker_desk(user: User, *, today: date) -> Desk:
    """The home page: my open cases, hearings waiting or past their deadline, drafts and refusals."""
    visible = cases_visible_to(user)
    mine = visible.filter(assigned_caseworker=user, status=CaseStatus.OPEN)
    unanswered = Hearing.objects.filter(case__in=mine, response_received_at__isnull=True).select_related(
        "case__citizen"
    )
    return Desk(
        open_cases=list(mine.select_related("citizen", "team").order_by("-opened_at")[:50]),
        hearings_waiting=list(unanswered.filter(deadline__gte=today).order_by("deadline")[:50]),
        hearings_expired=list(unanswered.filter(deadline__lt=today).order_by("deadline")[:50]),
        draft_decisions=list(
            Decision.objects.filter(case__in=visible, status=DecisionStatus.DRAFT, author=user)
            .select_related("case__citizen")
            .order_by("-created_at")[:50]
        ),
        refused_attempts=list(
            DecisionAttempt.objects.filter(decision__case__in=mine, outcome="refused")
            .select_related("decision__case__citizen")
            .order_by("-attempted_at")[:20]
        ),
    )
