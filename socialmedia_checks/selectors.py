"""Reads about lookups, and the facts builders for the rules in `socialmedia_checks.rules`."""

from datetime import datetime

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Min
from django.shortcuts import get_object_or_404

from cases.models import BasisStatus, Case, EvidenceKind, Suspicion, Tip
from cases.selectors import cases_visible_to
from jobcenter.core.rules import is_blank
from jobcenter.organisation.models import LookupThreshold, Policy, SharedProfile
from socialmedia_checks.models import Finding, Lookup
from socialmedia_checks.rules import BasisFacts, LookupPolicyFacts, SharedProfileFacts


def basis_facts(basis: Tip | Suspicion) -> BasisFacts:
    return BasisFacts(
        kind="suspicion" if isinstance(basis, Suspicion) else "tip",
        case_id=basis.case_id,
        is_open=basis.status == BasisStatus.OPEN,
        recorded_at=basis.recorded_at,
        states_unjustified_benefit=isinstance(basis, Suspicion) and not is_blank(basis.unjustified_benefit_reason),
    )


def shared_profile_facts(profile: SharedProfile | None) -> SharedProfileFacts | None:
    if profile is None:
        return None
    return SharedProfileFacts(jobcentre_id=profile.jobcentre_id, platform=profile.platform, active=profile.active)


def lookup_policy_facts(policy: Policy) -> LookupPolicyFacts:
    return LookupPolicyFacts(
        clear_presumption_required=policy.lookup_threshold == LookupThreshold.CLEAR_PRESUMPTION,
        shared_profile_required=policy.shared_profile_required,
        social_media_not_first=policy.social_media_not_first,
        allowed_platforms=tuple(policy.allowed_platforms),
    )


def earliest_other_information_at(*, case: Case) -> datetime | None:
    """When the case first held information that did not come from social media (L4)."""
    result: datetime | None = case.evidence_items.exclude(kind=EvidenceKind.SOCIAL_MEDIA_FINDING).aggregate(
        first=Min("recorded_at")
    )["first"]
    return result


def open_bases_for_case(*, case: Case) -> tuple[list[Tip], list[Suspicion]]:
    """The tips and suspicions a new lookup on this case may rest on (L1)."""
    return (
        list(case.tips.filter(status=BasisStatus.OPEN).order_by("-recorded_at")),
        list(case.suspicions.filter(status=BasisStatus.OPEN).order_by("-recorded_at")),
    )


def lookup_get_for_user(user: User | AnonymousUser, pk: int) -> Lookup:
    """One lookup on a case the user may see, or 404."""
    return get_object_or_404(
        Lookup.objects.filter(case__in=cases_visible_to(user)).select_related(
            "case__citizen__jobcentre", "case__team", "tip", "suspicion", "performed_by", "shared_profile"
        ),
        pk=pk,
    )


def finding_get_for_user(user: User | AnonymousUser, pk: int) -> Finding:
    """One finding on a case the user may see, or 404."""
    return get_object_or_404(
        Finding.objects.filter(lookup__case__in=cases_visible_to(user)).select_related(
            "lookup__case__citizen__jobcentre", "lookup__case__team", "recorded_by"
        ),
        pk=pk,
    )
