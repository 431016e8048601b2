"""Reads for the mandate screens: the union representatives a mandate can name, a case's mandates with
their status right now, and one mandate of a case the user may see."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from cases.models import Case, PowerOfAttorney
from cases.rules import MANDATE_STATUS_LABELS, MandateStatus, mandate_status
from cases.selectors import case_get_for_user, mandate_facts
from jobcenter.core import clock
from jobcenter.organisation.roles import Role


@dataclass(frozen=True)
class MandateRow:
    mandate: PowerOfAttorney
    status: MandateStatus

    @property
    def status_label(self) -> str:
        return str(MANDATE_STATUS_LABELS[self.status])

    @property
    def is_revocable(self) -> bool:
        return self.status != MandateStatus.REVOKED


def union_representatives() -> QuerySet[User]:
    """Active users in the union representative role who belong to a union: whom a mandate can name."""
    return (
        User.objects.filter(
            is_active=True, groups__name=Role.UNION_REPRESENTATIVE.value, staff_profile__union__isnull=False
        )
        .select_related("staff_profile__union")
        .order_by("staff_profile__union__name", "first_name", "last_name", "username")
        .distinct()
    )


def _covering(case: Case) -> QuerySet[PowerOfAttorney]:
    return PowerOfAttorney.objects.filter(Q(case=case) | Q(case__isnull=True), citizen_id=case.citizen_id)


def case_mandates(case: Case, *, now: datetime | None = None) -> list[MandateRow]:
    """Every mandate covering the case, newest first, with its status right now. One query."""
    now = now or clock.now()
    today = clock.localdate(now)
    mandates = _covering(case).select_related("representative", "union").order_by("-valid_from", "-pk")
    return [MandateRow(m, mandate_status(mandate_facts(m, case=case), today=today, now=now)) for m in mandates]


def mandate_get_for_case(user: User | AnonymousUser, *, case_pk: int, pk: int) -> tuple[Case, PowerOfAttorney]:
    """A mandate covering a case the user may see (A1), or 404."""
    case = case_get_for_user(user, case_pk)
    mandate = get_object_or_404(_covering(case).select_related("representative", "union"), pk=pk)
    return case, mandate
