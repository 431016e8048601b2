"""L1-L6 through `lookup_record` and `suspicion_record`: each rule is broken on purpose and must be
refused with its code and nothing written; and the lawful way through each rule must pass."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from cases import services as case_services
from cases.models import EvidenceKind
from jobcenter.organisation.models import LookupThreshold, Platform, SharedProfile
from socialmedia_checks import services as smc_services
from socialmedia_checks.models import Lookup
from tests.factories import CaseFactory, suspicion_for, tip_for
from tests.socialmedia_checks.conftest import citizen_statement, record_lookup, refused

pytestmark = pytest.mark.django_db

# --- L1: exactly one basis, on the same case, still open -------------------------------------------------


def test_l1_lookup_without_basis_is_refused(prepared):
    with refused("L1"):
        record_lookup(prepared.case, None, by=prepared.mette)
    assert not Lookup.objects.exists()


def test_l1_basis_from_another_case_is_refused(world, prepared):
    other_case = CaseFactory(team=world.sygedagpenge_team, acting_user=world.jonas)
    with time_machine.travel(timezone.now() - dt.timedelta(hours=1), tick=False):
        others_tip = tip_for(other_case, by=world.jonas)
    with refused("L1.case"):
        record_lookup(prepared.case, others_tip, by=prepared.mette)


def test_l1_closed_basis_is_refused_even_when_the_callers_copy_still_says_open(prepared):
    case_services.basis_close(basis=prepared.suspicion, acting_user=prepared.mette)
    assert prepared.suspicion.status == "open"  # Mette's form was loaded before Jonas closed it
    with refused("L1.closed"):
        record_lookup(prepared.case, prepared.suspicion, by=prepared.mette)


def test_l1_closed_tip_is_refused(prepared):
    case_services.basis_close(basis=prepared.tip, acting_user=prepared.mette)
    with refused("L1.closed"):
        record_lookup(prepared.case, prepared.tip, by=prepared.mette)


def test_l1_a_tip_is_a_basis(prepared):
    lookup = record_lookup(prepared.case, prepared.tip, by=prepared.mette)
    lookup.refresh_from_db()
    assert lookup.tip == prepared.tip
    assert lookup.suspicion is None
    assert lookup.case == prepared.case


def test_l1_a_suspicion_is_a_basis(prepared):
    lookup = record_lookup(prepared.case, prepared.suspicion, by=prepared.mette)
    lookup.refresh_from_db()
    assert lookup.suspicion == prepared.suspicion
    assert lookup.tip is None
    assert lookup.performed_by == prepared.mette


def test_a1_caseworker_of_another_jobcentre_cannot_record_a_lookup(world, prepared):
    with refused("A1"):
        record_lookup(prepared.case, prepared.tip, by=world.ahmed)


# --- L2: the basis came first; no backdating --------------------------------------------------------------


def test_l2_suspicion_written_after_the_lookup_is_refused(world, prepared):
    looked_at = timezone.now() - dt.timedelta(minutes=10)
    afterthought = suspicion_for(
        prepared.case, by=prepared.mette, grounds="Skrevet bagefter for at begrunde opslaget.", control_theme="Arbejde"
    )
    assert afterthought.recorded_at > looked_at
    with refused("L2"):
        record_lookup(prepared.case, afterthought, by=prepared.mette, performed_at=looked_at)


def test_l2_tip_recorded_after_the_lookup_is_refused(prepared):
    looked_at = timezone.now() - dt.timedelta(minutes=10)
    late_tip = tip_for(prepared.case, by=prepared.mette)
    with refused("L2"):
        record_lookup(prepared.case, late_tip, by=prepared.mette, performed_at=looked_at)


def test_l2_basis_recorded_at_the_very_moment_of_the_lookup_is_refused(prepared):
    with refused("L2"):
        record_lookup(prepared.case, prepared.suspicion, by=prepared.mette, performed_at=prepared.suspicion.recorded_at)


def test_l2_basis_recorded_before_the_lookup_passes(prepared):
    looked_at = prepared.suspicion.recorded_at + dt.timedelta(seconds=1)
    lookup = record_lookup(prepared.case, prepared.suspicion, by=prepared.mette, performed_at=looked_at)
    assert lookup.performed_at == looked_at


def test_lookup_performed_in_the_future_is_refused(prepared):
    with refused("INPUT.future"):
        record_lookup(
            prepared.case, prepared.tip, by=prepared.mette, performed_at=timezone.now() + dt.timedelta(hours=1)
        )


# --- L3: a suspicion states grounds and theme; clear presumption where policy says so --------------------


@pytest.mark.parametrize("grounds", ["", "   ", "\n\t "])
def test_l3_suspicion_without_grounds_is_refused(prepared, grounds):
    with refused("L3.grounds"):
        suspicion_for(prepared.case, by=prepared.mette, grounds=grounds)


@pytest.mark.parametrize("theme", ["", "  "])
def test_l3_suspicion_without_control_theme_is_refused(prepared, theme):
    with refused("L3.theme"):
        suspicion_for(prepared.case, by=prepared.mette, control_theme=theme)


def test_l3_clear_presumption_policy_refuses_a_tip_as_basis(world, prepared):
    world.set_policy(world.aalborg, lookup_threshold=LookupThreshold.CLEAR_PRESUMPTION)
    with refused("L3.presumption"):
        record_lookup(prepared.case, prepared.tip, by=prepared.mette)


def test_l3_clear_presumption_policy_refuses_a_suspicion_without_unjustified_benefit_reason(world, prepared):
    world.set_policy(world.aalborg, lookup_threshold="clear_presumption")
    with refused("L3.presumption"):
        suspicion_for(prepared.case, by=prepared.mette, unjustified_benefit_reason="  ")


def test_l3_clear_presumption_refuses_an_older_suspicion_that_does_not_state_it(world, prepared):
    # The suspicion was fine under the old policy; the policy in force when looking is what counts.
    world.set_policy(world.aalborg, lookup_threshold="clear_presumption")
    with refused("L3.presumption"):
        record_lookup(prepared.case, prepared.suspicion, by=prepared.mette)


def test_l3_clear_presumption_suspicion_with_reason_passes_and_so_does_the_lookup(world, prepared):
    world.set_policy(world.aalborg, lookup_threshold="clear_presumption")
    with time_machine.travel(timezone.now() - dt.timedelta(minutes=30), tick=False):
        suspicion = suspicion_for(
            prepared.case,
            by=prepared.mette,
            unjustified_benefit_reason="Praktikstedet oplyser fuldt fremmøde, mens borgeren er sygemeldt på fuld tid.",
        )
    lookup = record_lookup(prepared.case, suspicion, by=prepared.mette)
    assert lookup.suspicion == suspicion
    assert lookup.policy.lookup_threshold == LookupThreshold.CLEAR_PRESUMPTION


# --- L4: Facebook is not the first source -------------------------------------------------------------------


def test_l4_case_with_nothing_but_a_basis_is_refused(world):
    case, mette = world.cookie_case, world.mette
    with time_machine.travel(timezone.now() - dt.timedelta(hours=1), tick=False):
        tip = tip_for(case, by=mette)
    with refused("L4"):
        record_lookup(case, tip, by=mette)


def test_l4_information_recorded_after_the_lookup_does_not_count(world):
    case, mette = world.cookie_case, world.mette
    looked_at = timezone.now() - dt.timedelta(minutes=10)
    with time_machine.travel(timezone.now() - dt.timedelta(hours=1), tick=False):
        tip = tip_for(case, by=mette)
    citizen_statement(case, by=mette)  # recorded now, after the lookup was performed
    with refused("L4"):
        record_lookup(case, tip, by=mette, performed_at=looked_at)


def test_l4_other_information_recorded_before_the_lookup_lets_it_pass(world):
    case, mette = world.cookie_case, world.mette
    with time_machine.travel(timezone.now() - dt.timedelta(hours=1), tick=False):
        tip = tip_for(case, by=mette)
        citizen_statement(case, by=mette)
    lookup = record_lookup(case, tip, by=mette)
    assert lookup.pk is not None


def test_l4_an_earlier_social_media_finding_is_not_other_information(world):
    """A case whose only evidence is a social-media finding marked for use still has Facebook as its first source."""
    case, mette = world.cookie_case, world.mette
    world.set_policy(world.aalborg, social_media_not_first=False)
    with time_machine.travel(timezone.now() - dt.timedelta(hours=2), tick=False):
        tip = tip_for(case, by=mette)
    with time_machine.travel(timezone.now() - dt.timedelta(hours=1), tick=False):
        first = record_lookup(case, tip, by=mette)
        finding = smc_services.finding_record(
            lookup=first, description="Billede af julesmåkager.", relevance="Funktionsevne.", acting_user=mette
        )
        smc_services.finding_mark_for_use(finding=finding, title="Julesmåkager", acting_user=mette)
    assert [item.kind for item in case.evidence_items.all()] == [EvidenceKind.SOCIAL_MEDIA_FINDING]
    world.set_policy(world.aalborg, social_media_not_first=True)
    with refused("L4"):
        record_lookup(case, tip, by=mette)


def test_l4_switched_off_a_lookup_may_come_first(world):
    world.set_policy(world.aalborg, social_media_not_first=False)
    case, mette = world.cookie_case, world.mette
    with time_machine.travel(timezone.now() - dt.timedelta(hours=1), tick=False):
        tip = tip_for(case, by=mette)
    assert case.evidence_items.count() == 0
    lookup = record_lookup(case, tip, by=mette)
    assert lookup.policy.social_media_not_first is False


# --- L5: public material only, no contact, a real URL, an allowed platform, a purpose ---------------------


def test_l5_closed_profile_material_is_refused(prepared):
    with refused("L5.public"):
        record_lookup(
            prepared.case, prepared.tip, by=prepared.mette, content_was_public=False, material_from_citizen=False
        )


def test_l5_closed_profile_material_the_citizen_handed_in_passes(prepared):
    lookup = record_lookup(
        prepared.case, prepared.tip, by=prepared.mette, content_was_public=False, material_from_citizen=True
    )
    assert lookup.material_from_citizen is True
    assert lookup.content_was_public is False


def test_l5_contact_with_the_citizen_is_refused(prepared):
    with refused("L5.contact"):
        record_lookup(prepared.case, prepared.tip, by=prepared.mette, no_contact_confirmed=False)


@pytest.mark.parametrize(
    "url",
    ["facebook.com/x", "javascript:alert(1)", "", "   ", "ftp://facebook.com/x", "https://", "www.facebook.com/hanne"],
)
def test_l5_profile_url_must_be_a_full_web_address(prepared, url):
    with refused("L5.url"):
        record_lookup(prepared.case, prepared.tip, by=prepared.mette, profile_url=url)


@pytest.mark.parametrize("url", ["ht\ttp://www.facebook.com/hanne", "https:\n//www.facebook.com/hanne"])
def test_l5_profile_url_with_control_characters_is_refused_as_l5_url(prepared, url):
    """urlsplit drops tabs and newlines before parsing; the rule must still see that this is no web address."""
    with refused("L5.url"):
        record_lookup(prepared.case, prepared.tip, by=prepared.mette, profile_url=url)


def test_l5_platform_not_allowed_by_policy_is_refused(prepared):
    with refused("L5.platform"):
        record_lookup(
            prepared.case,
            prepared.tip,
            by=prepared.mette,
            platform=Platform.TIKTOK,
            profile_url="https://www.tiktok.com/@hanne",
        )


def test_l5_platform_allowed_after_policy_change_passes(world, prepared):
    world.set_policy(world.aalborg, allowed_platforms=[Platform.FACEBOOK, Platform.TIKTOK])
    lookup = record_lookup(
        prepared.case, prepared.tip, by=prepared.mette, platform="tiktok", profile_url="https://www.tiktok.com/@hanne"
    )
    assert lookup.platform == "tiktok"


@pytest.mark.parametrize("purpose", ["", " \n "])
def test_l5_lookup_without_purpose_is_refused(prepared, purpose):
    with refused("L5.purpose"):
        record_lookup(prepared.case, prepared.tip, by=prepared.mette, purpose=purpose)


def test_l5_several_breaches_are_all_reported_at_once(prepared):
    with refused("L5.public", "L5.contact", "L5.url", "L5.purpose"):
        record_lookup(
            prepared.case,
            prepared.tip,
            by=prepared.mette,
            content_was_public=False,
            no_contact_confirmed=False,
            profile_url="facebook.com/hanne",
            purpose="",
        )


# --- L6: Aarhus looks only through its shared profile, and still names the real caseworker -----------------


@pytest.fixture
def aarhus(world):
    """Ahmed's case in Aarhus, with the citizen's statement and a tip recorded an hour ago."""
    with time_machine.travel(timezone.now() - dt.timedelta(hours=1), tick=False):
        case = CaseFactory(team=world.aarhus_team, acting_user=world.ahmed)
        citizen_statement(case, by=world.ahmed)
        tip = tip_for(case, by=world.ahmed)
    facebook = SharedProfile.objects.create(
        jobcentre=world.aarhus, platform=Platform.FACEBOOK, account_name="Jobcenter Aarhus Kontrol"
    )
    return case, tip, facebook


def test_l6_aarhus_lookup_without_shared_profile_is_refused(world, aarhus):
    case, tip, _facebook = aarhus
    with refused("L6"):
        record_lookup(case, tip, by=world.ahmed)


def test_l6_shared_profile_of_another_jobcentre_is_refused(world, aarhus):
    case, tip, _facebook = aarhus
    aalborgs = SharedProfile.objects.create(
        jobcentre=world.aalborg, platform="facebook", account_name="Aalborg Kontrol"
    )
    with refused("L6.profile"):
        record_lookup(case, tip, by=world.ahmed, shared_profile=aalborgs)


def test_l6_shared_profile_on_another_platform_is_refused(world, aarhus):
    case, tip, _facebook = aarhus
    instagram = SharedProfile.objects.create(jobcentre=world.aarhus, platform="instagram", account_name="Aarhus IG")
    with refused("L6.profile"):
        record_lookup(case, tip, by=world.ahmed, shared_profile=instagram)


def test_l6_inactive_shared_profile_is_refused(world, aarhus):
    case, tip, facebook = aarhus
    SharedProfile.objects.filter(pk=facebook.pk).update(active=False)
    facebook.refresh_from_db()
    with refused("L6.profile"):
        record_lookup(case, tip, by=world.ahmed, shared_profile=facebook)


def test_l6_aalborg_may_not_use_another_jobcentres_profile_either(world, prepared, aarhus):
    _case, _tip, aarhus_facebook = aarhus
    with refused("L6.profile"):
        record_lookup(prepared.case, prepared.tip, by=prepared.mette, shared_profile=aarhus_facebook)


def test_l6_aarhus_shared_profile_passes_and_records_the_real_caseworker(world, aarhus):
    case, tip, facebook = aarhus
    lookup = record_lookup(case, tip, by=world.ahmed, shared_profile=facebook)
    lookup.refresh_from_db()
    assert lookup.shared_profile == facebook
    assert lookup.performed_by == world.ahmed
    assert lookup.history.get().history_user == world.ahmed
    note = case.journal_notes.filter(kind="system").order_by("-id").first()
    assert note.author == world.ahmed
