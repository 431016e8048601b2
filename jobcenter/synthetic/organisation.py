"""The setup: jobcentres with their preset policy, teams, unions, shared profiles and every user with
what the app needs for them to work (role group, staff profile, team memberships)."""

import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User

from jobcenter.organisation.models import (
    Jobcentre,
    LookupThreshold,
    Platform,
    Policy,
    SharedProfile,
    StaffProfile,
    Team,
    TeamMembership,
    UnionOrganisation,
)
from jobcenter.organisation.presets import preset_by_code
from jobcenter.organisation.roles import Role
from jobcenter.synthetic import fixtures, names
from jobcenter.synthetic.pgcopy import Value, pg_array
from jobcenter.synthetic.profiles import Profile
from jobcenter.synthetic.recorder import NO_SUBJECT, Recorder
from jobcenter.synthetic.timing import SECOND, stamp

DECOY_TEAMS = 2
DECOY_CASEWORKERS = 6


@dataclass
class Staff:
    id: int
    username: str
    first_name: str
    last_name: str
    role: Role
    jobcentre_id: int | None
    union_id: int | None
    team_ids: list[int] = field(default_factory=list)


@dataclass
class Centre:
    id: int
    code: str
    name: str
    policy_id: int
    hearing_days: int
    clear_presumption: bool
    shared_profile_required: bool
    social_media_not_first: bool
    four_eyes: bool
    allowed_platforms: tuple[str, ...]
    row: dict[str, Value]
    shared_profiles: dict[str, int] = field(default_factory=dict)
    teams: list[int] = field(default_factory=list)
    members: dict[int, list[int]] = field(default_factory=dict)
    caseworkers: list[int] = field(default_factory=list)
    supervisors: list[int] = field(default_factory=list)


@dataclass
class World:
    centres: dict[str, Centre]
    users: dict[int, Staff]
    unions: dict[str, int]
    representatives: list[Staff]


class Setup:
    """Writes the organisation as the org services would, all at `start`, one second apart."""

    def __init__(self, recorder: Recorder, rng: random.Random, start: int) -> None:
        self.rec = recorder
        self.rng = rng
        self.clock = start
        self.password = make_password(fixtures.BENCH_PASSWORD)
        self.groups = {role: Group.objects.get_or_create(name=role.value)[0].pk for role in Role}
        self.users: dict[int, Staff] = {}

    def tick(self) -> int:
        self.clock += SECOND
        return self.clock

    def build(self, profile: Profile) -> World:
        centres = {
            fixtures.MAIN_MUNICIPALITY_CODE: self.centre(fixtures.MAIN_MUNICIPALITY_CODE, profile.teams, profile),
            **{code: self.centre(code, DECOY_TEAMS, profile) for code in fixtures.DECOY_MUNICIPALITY_CODES},
        }
        unions = {name: self.union(name) for name in (fixtures.BENCH_UNION_NAME, *names.OTHER_UNIONS)}
        main = centres[fixtures.MAIN_MUNICIPALITY_CODE]
        self.staff_of(main, profile.caseworkers, profile.supervisors, bench=True)
        for code in fixtures.DECOY_MUNICIPALITY_CODES:
            self.staff_of(centres[code], DECOY_CASEWORKERS, 1, bench=False)
        union_names = list(unions)
        representatives = []
        for index in range(profile.union_representatives):
            union = union_names[0] if index % 3 == 0 else union_names[1 + index % (len(union_names) - 1)]
            username = fixtures.BENCH_UNION if index == 0 else f"rep{index:03d}.{union.lower().replace(' ', '')}"
            representatives.append(
                self.user(username, Role.UNION_REPRESENTATIVE, jobcentre_id=None, union_id=unions[union], team_ids=[])
            )
        return World(centres=centres, users=self.users, unions=unions, representatives=representatives)

    def centre(self, code: str, team_count: int, profile: Profile) -> Centre:
        preset = preset_by_code(code)
        jobcentre_id = self.rec.next_id(Jobcentre)
        state: dict[str, Value] = {
            "id": jobcentre_id,
            "name": preset.name,
            "municipality_code": code,
            "next_case_number": 1,
        }
        request = self.rec.request(None)
        self.rec.saved(Jobcentre, state, at=self.tick(), request=request, subject=NO_SUBJECT)
        policy = Policy(jobcentre_id=jobcentre_id, version=1, **preset.switches)
        policy.id = self.rec.next_id(Policy)
        at = self.tick()
        row: dict[str, Value] = {
            name: getattr(policy, name) for name in (f.attname for f in Policy._meta.concrete_fields)
        }
        row["published_at"] = stamp(at)
        row["allowed_platforms"] = pg_array([str(p) for p in policy.allowed_platforms])
        self.rec.insert(Policy, row)
        self.rec.saved(Policy, row, at=at, request=request, subject=NO_SUBJECT, reason="policy_publish")
        centre = Centre(
            id=jobcentre_id,
            code=code,
            name=preset.name,
            policy_id=policy.id,
            hearing_days=policy.hearing_days,
            clear_presumption=policy.lookup_threshold == LookupThreshold.CLEAR_PRESUMPTION,
            shared_profile_required=policy.shared_profile_required,
            social_media_not_first=policy.social_media_not_first,
            four_eyes=policy.four_eyes_for_social_media_decisions,
            allowed_platforms=tuple(str(p) for p in policy.allowed_platforms),
            row=state,
        )
        if policy.shared_profile_required:
            for platform in centre.allowed_platforms:
                centre.shared_profiles[platform] = self.shared_profile(centre, platform)
        for index in range(team_count):
            theme = names.TEAM_THEMES[index % len(names.TEAM_THEMES)]
            team_id = self.rec.next_id(Team)
            team: dict[str, Value] = {"id": team_id, "jobcentre_id": jobcentre_id, "name": f"{theme} {index + 1:02d}"}
            self.rec.insert(Team, team)
            self.rec.saved(Team, team, at=self.tick(), request=request, subject=NO_SUBJECT)
            centre.teams.append(team_id)
            centre.members[team_id] = []
        return centre

    def shared_profile(self, centre: Centre, platform: str) -> int:
        profile_id = self.rec.next_id(SharedProfile)
        row: dict[str, Value] = {
            "id": profile_id,
            "jobcentre_id": centre.id,
            "platform": platform,
            "account_name": f"{centre.name} – Kontrolgruppen ({Platform(platform).label})",
            "active": True,
        }
        self.rec.insert(SharedProfile, row)
        # Registered through the admin (a plain create), so a history row and no service event.
        self.rec.history(SharedProfile, row, at=self.tick(), user_id=None, reason=None, kind="+")
        return profile_id

    def union(self, name: str) -> int:
        union_id = self.rec.next_id(UnionOrganisation)
        row: dict[str, Value] = {"id": union_id, "name": name}
        self.rec.insert(UnionOrganisation, row)
        self.rec.saved(UnionOrganisation, row, at=self.tick(), request=self.rec.request(None), subject=NO_SUBJECT)
        return union_id

    def staff_of(self, centre: Centre, caseworkers: int, supervisors: int, *, bench: bool) -> None:
        teams = centre.teams
        for index in range(caseworkers):
            username = fixtures.BENCH_CASEWORKER if bench and index == 0 else f"cw{index + 1:04d}.{centre.code}"
            team_id = teams[index % len(teams)]
            user = self.user(username, Role.CASEWORKER, jobcentre_id=centre.id, union_id=None, team_ids=[team_id])
            centre.caseworkers.append(user.id)
            centre.members[team_id].append(user.id)
        for index in range(supervisors):
            username = fixtures.BENCH_SUPERVISOR if bench and index == 0 else f"sup{index + 1:03d}.{centre.code}"
            team_ids = [teams[index % len(teams)]]
            user = self.user(username, Role.SUPERVISOR, jobcentre_id=centre.id, union_id=None, team_ids=team_ids)
            centre.supervisors.append(user.id)

    def user(
        self, username: str, role: Role, *, jobcentre_id: int | None, union_id: int | None, team_ids: list[int]
    ) -> Staff:
        user_id = self.rec.next_id(User)
        first, last = self.rng.choice(names.FIRST_NAMES), self.rng.choice(names.LAST_NAMES)
        at = self.tick()
        row: dict[str, Value] = {
            "id": user_id,
            "password": self.password,
            "last_login": None,
            "is_superuser": False,
            "username": username,
            "first_name": first,
            "last_name": last,
            "email": f"{username}@jobcenter.example",
            "is_staff": False,
            "is_active": True,
            "date_joined": stamp(at),
        }
        self.rec.insert(User, row)
        request = self.rec.request(None)
        self.rec.saved(User, row, at=at, request=request, subject=NO_SUBJECT)
        self.rec.insert(
            User.groups.through,
            {"id": self.rec.next_id(User.groups.through), "user_id": user_id, "group_id": self.groups[role]},
        )
        profile: dict[str, Value] = {
            "id": self.rec.next_id(StaffProfile),
            "user_id": user_id,
            "jobcentre_id": jobcentre_id,
            "union_id": union_id,
        }
        self.rec.insert(StaffProfile, profile)
        self.rec.saved(StaffProfile, profile, at=at + 1000, request=request, subject=NO_SUBJECT)
        for offset, team_id in enumerate(team_ids, start=2):
            membership: dict[str, Value] = {
                "id": self.rec.next_id(TeamMembership),
                "team_id": team_id,
                "user_id": user_id,
            }
            self.rec.insert(TeamMembership, membership)
            self.rec.saved(TeamMembership, membership, at=at + offset * 1000, request=request, subject=NO_SUBJECT)
        staff = Staff(user_id, username, first, last, role, jobcentre_id, union_id, list(team_ids))
        self.users[user_id] = staff
        self.rec.addresses[user_id] = f"10.{user_id // 65536 % 256}.{user_id // 256 % 256}.{user_id % 256}"
        return staff
