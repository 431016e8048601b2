"""How much to generate. Counts are exact for the main jobcentre (København), the bench fixtures included."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Profile:
    name: str
    citizens: int
    cases: int
    open_cases: int
    caseworkers: int
    teams: int
    supervisors: int
    union_representatives: int
    bases: int  # tips and suspicions together
    lookups: int
    hearings: int
    decisions: int
    mandates: int
    shares: int
    decoy_cases: int  # per decoy jobcentre
    audit_events_min: int
    history_rows_min: int


PROFILES: dict[str, Profile] = {
    profile.name: profile
    for profile in (
        Profile(
            name="copenhagen",
            citizens=150_000,
            cases=200_000,
            open_cases=40_000,
            caseworkers=600,
            teams=40,
            supervisors=60,
            union_representatives=30,
            bases=15_000,
            lookups=6_000,
            hearings=20_000,
            decisions=300_000,
            mandates=3_000,
            shares=2_000,
            decoy_cases=300,
            audit_events_min=10_000_000,
            history_rows_min=2_000_000,
        ),
        Profile(
            name="small",
            citizens=3_000,
            cases=4_000,
            open_cases=800,
            caseworkers=12,
            teams=4,
            supervisors=3,
            union_representatives=3,
            bases=300,
            lookups=120,
            hearings=400,
            decisions=6_000,
            mandates=60,
            shares=40,
            decoy_cases=60,
            audit_events_min=200_000,
            history_rows_min=40_000,
        ),
        Profile(
            name="tiny",
            citizens=150,
            cases=200,
            open_cases=40,
            caseworkers=3,
            teams=1,
            supervisors=1,
            union_representatives=1,
            bases=40,
            lookups=16,
            hearings=30,
            decisions=300,
            mandates=4,
            shares=2,
            decoy_cases=10,
            audit_events_min=30_000,
            history_rows_min=2_000,
        ),
    )
}
