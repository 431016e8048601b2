"""The benchmark's visitors and pages on generated data: the fixtures every synthetic profile holds."""

from django.contrib.auth.models import User
from django.core.management.base import CommandError

from cases.models import Case, Decision, DecisionStatus
from jobcenter.audit.models import AuditEvent
from jobcenter.benchmark.probes import Subjects
from jobcenter.core import clock
from jobcenter.organisation.roles import Role
from jobcenter.synthetic import fixtures


def bench_subjects() -> Subjects:
    try:
        case = Case.objects.select_related("citizen").get(reference=fixtures.SHOWCASE_REFERENCE)
        caseworker = User.objects.get(username=fixtures.BENCH_CASEWORKER)
        last_event = AuditEvent.objects.filter(actor=caseworker).latest("id")
    except (Case.DoesNotExist, User.DoesNotExist, AuditEvent.DoesNotExist) as missing:
        raise CommandError("No benchmark fixtures here: run manage.py generate_synthetic first.") from missing
    return Subjects(
        caseworker=caseworker,
        supervisor=User.objects.get(username=fixtures.BENCH_SUPERVISOR),
        union_representative=User.objects.get(username=fixtures.BENCH_UNION),
        case=case,
        draft_decision=Decision.objects.filter(case=case, status=DecisionStatus.DRAFT).latest("pk"),
        search_cpr=case.citizen.cpr,
        search_name=fixtures.SHOWCASE_SEARCH_NAME,
        month_end=clock.localdate(last_event.occurred_at),
    )


def load_users(count: int) -> list[User]:
    """`count` caseworkers of the showcase case's jobcentre, the bench caseworker first."""
    jobcentre_id = Case.objects.filter(reference=fixtures.SHOWCASE_REFERENCE).values("citizen__jobcentre_id")
    return list(
        User.objects.filter(
            is_active=True, groups__name=Role.CASEWORKER.value, staff_profile__jobcentre_id__in=jobcentre_id
        ).order_by("pk")[:count]
    )
