"""Properties of the pure lookup rules (`socialmedia_checks.rules.check_lookup`), no database:
whatever the times and texts, a lookup without exactly one basis, on a basis not recorded before it,
or with a profile address that is not a web address, is never accepted."""

import datetime as dt
import re
from dataclasses import replace
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from socialmedia_checks.rules import BasisFacts, LookupFacts, LookupPolicyFacts, SharedProfileFacts, check_lookup

CASE_ID, JOBCENTRE_ID = 7, 851
NOW = dt.datetime(2025, 12, 10, 12, 0, tzinfo=dt.UTC)
PROPERTY_SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    database=None,  # write nothing outside the test run
)

POLICY = LookupPolicyFacts(
    clear_presumption_required=False,
    shared_profile_required=False,
    social_media_not_first=True,
    allowed_platforms=("facebook", "instagram"),
)


def lawful_basis(**overrides) -> BasisFacts:
    return replace(
        BasisFacts(
            kind="suspicion",
            case_id=CASE_ID,
            is_open=True,
            recorded_at=NOW - dt.timedelta(hours=2),
            states_unjustified_benefit=True,
        ),
        **overrides,
    )


def lawful_facts(**overrides) -> LookupFacts:
    return replace(
        LookupFacts(
            case_id=CASE_ID,
            case_jobcentre_id=JOBCENTRE_ID,
            bases=(lawful_basis(),),
            platform="facebook",
            profile_url="https://www.facebook.com/hanne.jensen.85",
            purpose="Sammenholde borgerens forklaring med offentlige opslag.",
            content_was_public=True,
            material_from_citizen=False,
            no_contact_confirmed=True,
            shared_profile=None,
            performed_at=NOW - dt.timedelta(minutes=5),
            earliest_other_information_at=NOW - dt.timedelta(days=3),
        ),
        **overrides,
    )


def codes(facts: LookupFacts, policy: LookupPolicyFacts = POLICY, now: dt.datetime = NOW) -> list[str]:
    return [v.code for v in check_lookup(facts, policy, now=now)]


# Aware datetimes in UTC and in Danish time, so comparisons cross time zones and DST changes.
moments = st.datetimes(
    min_value=dt.datetime(2000, 1, 1),
    max_value=dt.datetime(2100, 1, 1),
    timezones=st.sampled_from([dt.UTC, ZoneInfo("Europe/Copenhagen")]),
)
texts = st.text(max_size=80)
bases = st.builds(
    BasisFacts,
    kind=st.sampled_from(["tip", "suspicion"]),
    case_id=st.sampled_from([CASE_ID, CASE_ID + 1]),
    is_open=st.booleans(),
    recorded_at=moments,
    states_unjustified_benefit=st.booleans(),
)
policies = st.builds(
    LookupPolicyFacts,
    clear_presumption_required=st.booleans(),
    shared_profile_required=st.booleans(),
    social_media_not_first=st.booleans(),
    allowed_platforms=st.lists(st.sampled_from(["facebook", "instagram", "tiktok", "x"]), unique=True).map(tuple),
)
shared_profiles = st.none() | st.builds(
    SharedProfileFacts,
    jobcentre_id=st.sampled_from([JOBCENTRE_ID, 751]),
    platform=st.sampled_from(["facebook", "instagram"]),
    active=st.booleans(),
)


def any_facts(basis_list) -> st.SearchStrategy[LookupFacts]:
    return st.builds(
        LookupFacts,
        case_id=st.just(CASE_ID),
        case_jobcentre_id=st.just(JOBCENTRE_ID),
        bases=basis_list.map(tuple),
        platform=st.sampled_from(["facebook", "instagram", "tiktok"]),
        profile_url=texts | st.just("https://www.facebook.com/x"),
        purpose=texts,
        content_was_public=st.booleans(),
        material_from_citizen=st.booleans(),
        no_contact_confirmed=st.booleans(),
        shared_profile=shared_profiles,
        performed_at=moments,
        earliest_other_information_at=st.none() | moments,
    )


def test_the_lawful_facts_are_accepted():
    """The baseline the properties vary from: without it the properties could pass for the wrong reason."""
    assert codes(lawful_facts()) == []


@PROPERTY_SETTINGS
@given(facts=any_facts(st.just([]) | st.lists(bases, min_size=2, max_size=4)), policy=policies, now=moments)
def test_property_never_accepts_anything_but_exactly_one_basis(facts, policy, now):
    found = codes(facts, policy, now)
    assert found
    assert "L1" in found


@PROPERTY_SETTINGS
@given(facts=any_facts(st.lists(bases, min_size=1, max_size=3)), policy=policies, now=moments)
def test_property_never_accepts_a_basis_recorded_at_or_after_the_lookup(facts, policy, now):
    assume(any(b.recorded_at >= facts.performed_at for b in facts.bases))
    assert "L2" in codes(facts, policy, now)


@PROPERTY_SETTINGS
@given(performed_at=moments, gap=st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=400)))
def test_property_a_basis_recorded_any_time_after_the_lookup_is_refused_otherwise_lawful(performed_at, gap):
    facts = lawful_facts(
        performed_at=performed_at,
        bases=(lawful_basis(recorded_at=performed_at + gap),),
        earliest_other_information_at=performed_at - dt.timedelta(days=1),
    )
    assert codes(facts, now=performed_at + dt.timedelta(days=1)) == ["L2"]


WEB_ADDRESS = re.compile(r"https?://", re.IGNORECASE)


@PROPERTY_SETTINGS
@given(url=st.text(max_size=60) | st.text(max_size=30).map(lambda s: "http" + s))
def test_property_profile_url_not_starting_with_http_is_refused(url):
    assume(not WEB_ADDRESS.match(url))
    assert "L5.url" in codes(lawful_facts(profile_url=url))


@pytest.mark.parametrize(
    "url",
    [
        "ht\ttp://www.facebook.com/x",  # tab inside the scheme
        "\x00https://www.facebook.com/x",  # control character before the scheme
        "https:\n//www.facebook.com/x",
    ],
)
def test_profile_url_with_control_characters_is_refused(url):
    """urlsplit silently drops tabs/newlines and leading control characters; the rule must not."""
    assert "L5.url" in codes(lawful_facts(profile_url=url))


@PROPERTY_SETTINGS
@given(
    host=st.from_regex(r"[a-z][a-z0-9-]{0,20}\.(dk|com)", fullmatch=True),
    path=st.from_regex(r"[A-Za-z0-9._/-]{0,30}", fullmatch=True),
    scheme=st.sampled_from(["http", "https"]),
)
def test_property_full_web_addresses_are_accepted(host, path, scheme):
    assert codes(lawful_facts(profile_url=f"{scheme}://{host}/{path}")) == []
