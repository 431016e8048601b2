"""Policies are versioned per jobcentre and only its administrator publishes a new version (A1.policy).

A published version is never edited: everything decided under it can still name the rules it was
decided under, and PostgreSQL refuses an UPDATE of a policy row."""

import pytest
from django.db import DatabaseError, connection, transaction

from jobcenter.core.violations import RuleViolationError
from jobcenter.organisation import services as org_services
from jobcenter.organisation.models import Policy
from jobcenter.organisation.roles import Role
from jobcenter.organisation.selectors import policy_current

pytestmark = pytest.mark.django_db


@pytest.fixture
def aalborg_admin(world):
    return org_services.staff_user_create(
        username="anders", password="x", role=Role.ADMINISTRATOR, jobcentre=world.aalborg, acting_user=None
    )


def test_the_administrator_publishes_the_next_version_and_the_old_one_stays(world, aalborg_admin):
    first = policy_current(jobcentre=world.aalborg)
    second = org_services.policy_publish(
        jobcentre=world.aalborg, switches={"hearing_days": 21}, acting_user=aalborg_admin
    )
    assert second.version == first.version + 1
    assert second.hearing_days == 21
    assert second.social_media_not_first == first.social_media_not_first
    first.refresh_from_db()
    assert first.hearing_days == 14
    assert policy_current(jobcentre=world.aalborg) == second


@pytest.mark.parametrize("who", ["mette", "susanne", "ahmed", "lone"])
def test_nobody_but_the_jobcentres_administrator_may_publish(world, who):
    versions = Policy.objects.count()
    with pytest.raises(RuleViolationError) as refused:
        org_services.policy_publish(
            jobcentre=world.aalborg, switches={"hearing_days": 7}, acting_user=getattr(world, who)
        )
    assert refused.value.codes == ["A1.policy"]
    assert Policy.objects.count() == versions


def test_an_administrator_of_another_jobcentre_may_not_publish(world):
    aarhus_admin = org_services.staff_user_create(
        username="aarhus-admin", password="x", role=Role.ADMINISTRATOR, jobcentre=world.aarhus, acting_user=None
    )
    with pytest.raises(RuleViolationError):
        org_services.policy_publish(jobcentre=world.aalborg, switches={}, acting_user=aarhus_admin)


def test_a_published_version_cannot_be_edited_even_through_raw_sql(world):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE organisation_policy SET hearing_days = 7")
