"""Every write of the supervisor's desk: marking a lookup as reviewed or flagging it with a comment."""

from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from cases.services import journal_note_system, notify
from jobcenter.core import clock
from jobcenter.core.history import save_validated
from jobcenter.core.violations import raise_if_any
from jobcenter.notifications.models import Channel
from jobcenter.organisation.roles import Role
from jobcenter.organisation.selectors import user_has_role, user_jobcentre_id
from jobcenter.supervision import rules
from jobcenter.supervision.models import LookupReview, ReviewOutcome
from socialmedia_checks.models import Lookup


def _lookup_lock(lookup: Lookup, acting_user: User) -> Lookup:
    """Re-read the lookup under a row lock, so two supervisors reviewing at once serialise here."""
    lookup = Lookup.objects.select_for_update(of=("self",)).select_related("case__citizen").get(pk=lookup.pk)
    raise_if_any(
        rules.check_reviewer(
            reviewer_is_supervisor=user_has_role(acting_user, Role.SUPERVISOR),
            reviewer_jobcentre_id=user_jobcentre_id(acting_user),
            lookup_jobcentre_id=lookup.case.citizen.jobcentre_id,
        )
    )
    return lookup


def _review_save(
    *, lookup: Lookup, outcome: ReviewOutcome, comment: str, acting_user: User, reason: str
) -> LookupReview:
    review = LookupReview.objects.filter(lookup=lookup).first() or LookupReview(lookup=lookup)
    review.outcome = outcome
    review.comment = comment
    review.reviewer = acting_user
    review.reviewed_at = clock.now()
    return save_validated(review, acting_user=acting_user, reason=reason)


@transaction.atomic
def lookup_review_mark(*, lookup: Lookup, acting_user: User) -> LookupReview:
    """Mark a lookup as reviewed and in order. An earlier flag and its comment stay in the history."""
    lookup = _lookup_lock(lookup, acting_user)
    return _review_save(
        lookup=lookup, outcome=ReviewOutcome.REVIEWED, comment="", acting_user=acting_user, reason="lookup_review_mark"
    )


@transaction.atomic
def lookup_review_flag(*, lookup: Lookup, comment: str, acting_user: User) -> LookupReview:
    """Flag a lookup for follow-up with a comment, and say so in the case's journal."""
    lookup = _lookup_lock(lookup, acting_user)
    raise_if_any(rules.check_flag_comment(comment))
    review = _review_save(
        lookup=lookup,
        outcome=ReviewOutcome.FLAGGED,
        comment=comment.strip(),
        acting_user=acting_user,
        reason="lookup_review_flag",
    )
    journal_note_system(
        case=lookup.case,
        text=_("Opslaget på %(platform)s %(when)s er markeret til opfølgning af en leder. Bemærkning: %(comment)s")
        % {
            "platform": lookup.get_platform_display(),
            "when": clock.localtime(lookup.performed_at).strftime("%d.%m.%Y %H:%M"),
            "comment": review.comment,
        },
        acting_user=acting_user,
    )
    if lookup.performed_by_id != acting_user.pk:
        notify(
            recipient=lookup.performed_by,
            key=f"lookup:{lookup.pk}:flagged:{review.pk}:{review.reviewed_at.isoformat()}",
            subject=_("Dit opslag i sag %(reference)s er markeret til opfølgning")
            % {"reference": lookup.case.reference},
            body=_("En leder har markeret dit opslag på %(platform)s til opfølgning. Bemærkning: %(comment)s")
            % {"platform": lookup.get_platform_display(), "comment": review.comment},
            url=reverse("case_detail", args=[lookup.case_id]),
            channels=(Channel.IN_APP,),
        )
    return review
