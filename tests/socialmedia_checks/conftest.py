"""Scenes and helpers for the social-media lookup tests (L1-L8).

`prepared` is Hanne Jensen's cookie case in Aalborg as Mette finds it one hour before she looks at
Facebook: Hanne's own statement about her health is on the case, an anonymous tip has come in and
Mette has documented a suspicion. Everything was recorded an hour ago, so a lookup performed five
minutes ago rests on bases (L2) and other information (L4) that came first.
"""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.utils import timezone

from cases import services as case_services
from cases.models import Case, EvidenceItem, EvidenceKind, JournalNote, Suspicion, Tip
from jobcenter.core.violations import RuleViolationError
from socialmedia_checks import services as smc_services
from socialmedia_checks.models import Finding, Lookup, LookupOutcome
from tests.factories import suspicion_for, tip_for

HANNE_PROFILE = "https://www.facebook.com/hanne.jensen.85"


def written_rows() -> dict[str, int]:
    """Row counts of everything a lookup, finding, suspicion or purge could write, history included."""
    return {
        "lookups": Lookup.objects.count(),
        "lookup_history": Lookup.history.count(),
        "findings": Finding.objects.count(),
        "finding_history": Finding.history.count(),
        "journal_notes": JournalNote.objects.count(),
        "journal_note_history": JournalNote.history.count(),
        "evidence": EvidenceItem.objects.count(),
        "tips": Tip.objects.count(),
        "suspicions": Suspicion.objects.count(),
        "suspicion_history": Suspicion.history.count(),
    }


@contextmanager
def refused(*codes: str) -> Iterator[pytest.ExceptionInfo[RuleViolationError]]:
    """The block must raise RuleViolationError with exactly these rule codes, having written nothing."""
    before = written_rows()
    with pytest.raises(RuleViolationError) as excinfo:
        yield excinfo
    assert sorted(excinfo.value.codes) == sorted(codes)
    assert written_rows() == before, "a refused write left rows behind"


def citizen_statement(case: Case, *, by: User) -> EvidenceItem:
    return case_services.evidence_add(
        case=case,
        kind=EvidenceKind.CITIZEN_STATEMENT,
        title="Borgerens egen beskrivelse af sin funktionsevne",
        description="Borgeren oplyser, at hun ikke kan stå op i længere tid ad gangen.",
        acting_user=by,
    )


def lookup_kwargs(case: Case, basis: Any, *, by: User, **overrides: Any) -> dict[str, Any]:
    kwargs: dict[str, Any] = {
        "case": case,
        "basis": basis,
        "platform": "facebook",
        "profile_url": HANNE_PROFILE,
        "purpose": "Sammenholde borgerens forklaring om funktionsevne med offentlige opslag.",
        "content_was_public": True,
        "no_contact_confirmed": True,
        "outcome": LookupOutcome.FINDINGS,
        "performed_at": timezone.now() - dt.timedelta(minutes=5),
        "acting_user": by,
    }
    kwargs.update(overrides)
    return kwargs


def record_lookup(case: Case, basis: Any, *, by: User, **overrides: Any) -> Lookup:
    return smc_services.lookup_record(**lookup_kwargs(case, basis, by=by, **overrides))


@dataclass
class Prepared:
    case: Case
    mette: User
    statement: EvidenceItem
    tip: Tip
    suspicion: Suspicion


@pytest.fixture
def prepared(world: Any) -> Prepared:
    with time_machine.travel(timezone.now() - dt.timedelta(hours=2), tick=False):
        statement = citizen_statement(world.cookie_case, by=world.mette)
    with time_machine.travel(timezone.now() - dt.timedelta(hours=1), tick=False):
        tip = tip_for(world.cookie_case, by=world.mette)
        suspicion = suspicion_for(world.cookie_case, by=world.mette)
    return Prepared(case=world.cookie_case, mette=world.mette, statement=statement, tip=tip, suspicion=suspicion)
