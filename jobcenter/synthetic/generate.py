"""The generator: plan and write every case to spool files, then load them with COPY in one transaction."""

import random
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.models import Permission, User
from django.core.management.base import CommandError
from django.db import connection, models, transaction

from cases.cpr import Cpr, parse_cpr
from cases.models import (
    Case,
    CaseUserObjectPermission,
    Citizen,
    Decision,
    DecisionAttempt,
    DecisionEvidence,
    EvidenceItem,
    Hearing,
    HearingDeadlineNotice,
    HearingExtension,
    HearingItem,
    JournalNote,
    PowerOfAttorney,
    Suspicion,
    Tip,
)
from jobcenter.audit.models import AuditEvent
from jobcenter.notifications.models import Notification
from jobcenter.organisation.models import (
    Jobcentre,
    Policy,
    SharedProfile,
    StaffProfile,
    Team,
    TeamMembership,
    UnionOrganisation,
)
from jobcenter.organisation.roles import Role
from jobcenter.supervision.models import LookupReview
from jobcenter.synthetic import fixtures, names
from jobcenter.synthetic.auditstream import (
    ActorFacts,
    CaseIndex,
    ReadPlan,
    change_events,
    load_stubs,
    login_count,
    merged,
    read_events,
    write_audit,
)
from jobcenter.synthetic.casework import CasePlan, CaseWriter, MandatePlan
from jobcenter.synthetic.organisation import Centre, Setup, World
from jobcenter.synthetic.pgcopy import copy_spool, drop_rebuildable_indexes, reset_sequence, run_all
from jobcenter.synthetic.profiles import Profile
from jobcenter.synthetic.recorder import Recorder
from jobcenter.synthetic.timing import DAY, HOUR, local_start
from socialmedia_checks.models import Finding, Lookup

Report = Callable[[str], None]
HISTORY_YEARS = 6
LOAD_ORDER: tuple[type[models.Model], ...] = (
    User, User.groups.through, Jobcentre, Policy, Team, UnionOrganisation, SharedProfile, StaffProfile,
    TeamMembership, Citizen, Case, CaseUserObjectPermission, JournalNote, Tip, Suspicion, EvidenceItem,
    PowerOfAttorney, Lookup, Finding, LookupReview, Hearing, HearingItem, HearingExtension, HearingDeadlineNotice,
    DecisionEvidence, Decision, DecisionAttempt, Notification,
)  # fmt: skip
# Citations go in before their decisions, as the app cites before it issues: the D7 trigger refuses a
# citation of an already issued decision. Foreign keys between the two are checked at the end of the pair.
DEFERRED_PAIR = (DecisionEvidence, Decision)


@dataclass(frozen=True)
class Counts:
    cases: int
    open_cases: int
    citizens: int
    bases: int
    lookups: int
    hearings: int
    decisions: int
    mandates: int
    shares: int


SHOWCASE = CasePlan(
    case_id=0, number=fixtures.SHOWCASE_CASE_NUMBER, citizen_id=0, new_citizen=True, team_id=0, caseworker_id=0,
    opened=0, closed=None, decisions=24, bases=10, lookups=8, hearings=6, notes=100, plain_evidence=25,
    force_findings=True,
)  # fmt: skip


def ensure_empty() -> None:
    if Case.objects.exists() or Jobcentre.objects.exists() or AuditEvent.objects.exists():
        raise CommandError(
            "The database is not empty (it has cases, jobcentres or audit events). "
            "generate_synthetic fills a freshly migrated, empty database only."
        )


class Generator:
    def __init__(self, profile: Profile, seed: int, anchor: date, report: Report) -> None:
        self.profile = profile
        self.rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
        self.anchor_day = anchor
        self.anchor = local_start(anchor)
        self.report = report
        self.started = time.monotonic()
        self.by_team = CaseIndex()
        self.by_centre = CaseIndex()
        self.cprs: set[str] = {fixtures.SHOWCASE_CPR}

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def run(self) -> None:
        ensure_empty()
        with tempfile.TemporaryDirectory(prefix="synthetic-") as directory:
            recorder = Recorder(directory, self.rng)
            world = Setup(recorder, self.rng, self.anchor - (HISTORY_YEARS + 1) * 365 * DAY).build(self.profile)
            writer = CaseWriter(recorder, self.rng, world, self.anchor)
            writer.view_case_permission = Permission.objects.get(
                codename="view_case", content_type__app_label="cases"
            ).pk
            showcase = self.write_centres(world, writer, recorder)
            recorder.close()
            self.report(f"generated rows and {recorder.stub_count} change events  [{self.elapsed():.1f}s]")
            self.load(world, recorder, showcase)
        with connection.cursor() as cursor:
            step = time.monotonic()
            cursor.execute("ANALYZE")
            self.report(f"ANALYZE  {time.monotonic() - step:.1f}s")
        self.report(f"total  {self.elapsed():.1f}s")

    # --- planning -----------------------------------------------------------------------------------

    def write_centres(self, world: World, writer: CaseWriter, recorder: Recorder) -> tuple[int, int]:
        profile = self.profile
        main = world.centres[fixtures.MAIN_MUNICIPALITY_CODE]
        showcase = self.showcase(main, world, writer, recorder)
        counts = Counts(
            cases=profile.cases - 1, open_cases=profile.open_cases - 1, citizens=profile.citizens - 1,
            bases=profile.bases - SHOWCASE.bases, lookups=profile.lookups - SHOWCASE.lookups,
            hearings=profile.hearings - SHOWCASE.hearings, decisions=profile.decisions - SHOWCASE.decisions,
            mandates=profile.mandates - 1, shares=profile.shares,
        )  # fmt: skip
        self.write_centre(main, counts, world, writer, recorder, first_number=2)
        decoy = profile.decoy_cases
        for code in fixtures.DECOY_MUNICIPALITY_CODES:
            decoy_counts = Counts(
                cases=decoy,
                open_cases=decoy // 5,
                citizens=decoy * 4 // 5,
                bases=max(2, decoy // 20),
                lookups=max(1, decoy // 50),
                hearings=max(2, decoy // 15),
                decisions=decoy * 3 // 2,
                mandates=0,
                shares=0,
            )
            self.write_centre(world.centres[code], decoy_counts, world, writer, recorder, first_number=1)
        return showcase

    def showcase(self, centre: Centre, world: World, writer: CaseWriter, recorder: Recorder) -> tuple[int, int]:
        opened = local_start(fixtures.showcase_opened_on(self.anchor_day)) + 9 * HOUR
        bench_union = world.representatives[0]
        assert bench_union.union_id is not None
        plan = CasePlan(
            **{
                **SHOWCASE.__dict__,
                "case_id": recorder.next_id(Case),
                "citizen_id": recorder.next_id(Citizen),
                "team_id": centre.teams[0],
                "caseworker_id": centre.caseworkers[0],
                "opened": opened,
                "mandate": MandatePlan(bench_union.id, bench_union.union_id, True, False, False, False),
            }
        )
        cpr = parse_cpr(fixtures.SHOWCASE_CPR)
        writer.citizen(
            plan, centre, cpr.digits, cpr.birth_date, fixtures.SHOWCASE_FIRST_NAME, fixtures.SHOWCASE_LAST_NAME
        )
        writer.write(plan, centre)
        self.index(centre, plan)
        return plan.case_id, plan.citizen_id

    def index(self, centre: Centre, plan: CasePlan) -> None:
        self.by_team.add(plan.team_id, plan.opened, plan.case_id, plan.citizen_id)
        self.by_centre.add(centre.id, plan.opened, plan.case_id, plan.citizen_id)

    def write_centre(
        self, centre: Centre, counts: Counts, world: World, writer: CaseWriter, recorder: Recorder, *, first_number: int
    ) -> None:
        step = time.monotonic()
        plans = self.plan(centre, counts, world, recorder, first_number)
        issued = 0
        for plan in plans:
            if plan.new_citizen:
                first, last = self.rng.choice(names.FIRST_NAMES), self.rng.choice(names.LAST_NAMES)
                cpr = self.new_cpr()
                writer.citizen(plan, centre, cpr.digits, cpr.birth_date, first, last)
            issued += writer.write(plan, centre)
            self.index(centre, plan)
        centre.row["next_case_number"] = first_number + len(plans) if first_number > 1 else len(plans) + 1
        recorder.insert(Jobcentre, centre.row)
        self.report(
            f"{centre.name}: {len(plans)} cases, {issued} issued decisions  "
            f"{time.monotonic() - step:.1f}s  [{self.elapsed():.1f}s]"
        )

    def new_cpr(self) -> Cpr:
        rng = self.rng
        while True:
            birth = date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 55))
            seventh = rng.randint(0, 3) if birth.year < 2000 else rng.choice((4, 9))
            digits = f"{birth:%d%m%y}{seventh}{rng.randrange(1000):03d}"
            if digits not in self.cprs:
                self.cprs.add(digits)
                return parse_cpr(digits)

    def plan(
        self, centre: Centre, counts: Counts, world: World, recorder: Recorder, first_number: int
    ) -> list[CasePlan]:
        rng = self.rng
        total = counts.cases
        window = HISTORY_YEARS * 365 * DAY
        opened = sorted(self.anchor - DAY - rng.randrange(window) for _ in range(total))
        recent = list(range(max(0, total - 2 * counts.open_cases), total))
        open_set = set(rng.sample(recent, counts.open_cases))
        repeats = set(rng.sample(range(1, total), total - counts.citizens)) if total > counts.citizens else set()
        citizens: list[int] = []
        citizen_cases: dict[int, int] = {}
        plans = []
        for index, when in enumerate(opened):
            new = index not in repeats
            citizen = recorder.next_id(Citizen) if new else rng.choice(citizens)
            if new:
                citizens.append(citizen)
            citizen_cases[citizen] = citizen_cases.get(citizen, 0) + 1
            team = rng.choice(centre.teams)
            closed = None
            if index not in open_set:
                closed = when + int((self.anchor - HOUR - when) * rng.uniform(0.2, 1.0))
            plans.append(
                CasePlan(
                    case_id=recorder.next_id(Case),
                    number=first_number + index,
                    citizen_id=citizen,
                    new_citizen=new,
                    team_id=team,
                    caseworker_id=rng.choice(centre.members[team]),
                    opened=when,
                    closed=closed,
                    notes=rng.randint(0, 2),
                )
            )
        self.allocate(plans, counts, centre, world, citizen_cases)
        return plans

    def allocate(
        self, plans: list[CasePlan], counts: Counts, centre: Centre, world: World, citizen_cases: dict[int, int]
    ) -> None:
        rng = self.rng
        size = len(plans)
        lookup_cases = rng.sample(range(size), max(1, min(size, counts.lookups * 4 // 5)))
        for index in lookup_cases:
            plans[index].lookups += 1
            plans[index].bases += 1
            plans[index].hearings += 1
        for _ in range(counts.lookups - len(lookup_cases)):
            plans[rng.choice(lookup_cases)].lookups += 1
        for attribute, remaining in (
            ("bases", counts.bases - len(lookup_cases)),
            ("hearings", counts.hearings - len(lookup_cases)),
            ("decisions", counts.decisions),
        ):
            for _ in range(remaining):
                plan = plans[rng.randrange(size)]
                setattr(plan, attribute, getattr(plan, attribute) + 1)
        for plan in plans:
            plan.plain_evidence = 1 + (plan.decisions + 1) // 2
        representatives = world.representatives
        for number, index in enumerate(rng.sample(range(size), counts.mandates)):
            rep = representatives[number % len(representatives)]
            assert rep.union_id is not None
            plan = plans[index]
            plan.mandate = MandatePlan(
                representative_id=rep.id,
                union_id=rep.union_id,
                party=rng.random() < 0.8,
                all_cases=citizen_cases[plan.citizen_id] == 1 and rng.random() < 0.1,
                revoke=rng.random() < 0.05,
                ends=rng.random() < 0.3,
            )
        open_indexes = [i for i, plan in enumerate(plans) if plan.closed is None]
        for index in rng.sample(open_indexes, min(counts.shares, len(open_indexes))):
            plan = plans[index]
            colleagues = [c for c in centre.caseworkers if c not in centre.members[plan.team_id]]
            if colleagues:
                plan.share_with = rng.choice(colleagues)

    # --- loading ------------------------------------------------------------------------------------

    def load(self, world: World, recorder: Recorder, showcase: tuple[int, int]) -> None:
        connection.ensure_connection()
        conn = connection.connection
        with transaction.atomic():
            run_all(conn, ["SET LOCAL maintenance_work_mem = '512MB'", "SET CONSTRAINTS ALL IMMEDIATE"])
            history = [model for model in recorder.spools if model not in LOAD_ORDER]
            postponed: list[str] = []
            for model in (*LOAD_ORDER, *sorted(history, key=lambda m: m._meta.db_table)):
                if model not in recorder.spools:
                    continue
                if model is DEFERRED_PAIR[0]:
                    run_all(conn, ["SET CONSTRAINTS ALL DEFERRED"])
                # A table with pending deferred checks cannot be altered, so the pair is indexed after them.
                postponed += self.load_table(conn, recorder, model, index_now=model not in DEFERRED_PAIR)
                if model is DEFERRED_PAIR[1]:
                    run_all(conn, ["SET CONSTRAINTS ALL IMMEDIATE", *postponed])
            step = time.monotonic()
            load_stubs(conn, recorder.stub_path)
            self.report(f"change events sorted  {time.monotonic() - step:.1f}s  [{self.elapsed():.1f}s]")
            self.load_audit(conn, world, recorder, showcase)
            tables: list[type[models.Model]] = [*recorder.spools, AuditEvent]
            for model in tables:
                reset_sequence(conn, model._meta.db_table, model._meta.pk.column if model._meta.pk else "id")

    def load_table(self, conn: object, recorder: Recorder, model: type[models.Model], *, index_now: bool) -> list[str]:
        spool = recorder.spools[model]
        step = time.monotonic()
        rebuild = drop_rebuildable_indexes(conn, spool.table)  # type: ignore[arg-type]
        copy_spool(conn, spool)  # type: ignore[arg-type]
        loaded = time.monotonic()
        if index_now:
            run_all(conn, rebuild)  # type: ignore[arg-type]
        self.report(
            f"{spool.table}: {spool.count} rows  copy {loaded - step:.1f}s  indexes {time.monotonic() - loaded:.1f}s"
            f"  [{self.elapsed():.1f}s]"
        )
        return [] if index_now else rebuild

    def load_audit(self, conn: object, world: World, recorder: Recorder, showcase: tuple[int, int]) -> None:
        step = time.monotonic()
        staff = [s for s in world.users.values() if s.role in (Role.CASEWORKER, Role.SUPERVISOR)]
        bench = next(s.id for s in staff if s.username == fixtures.BENCH_CASEWORKER)
        weights = [4.0 if s.id == bench else 0.5 if s.role == Role.SUPERVISOR else 1.0 for s in staff]
        self.by_team.sort()
        self.by_centre.sort()
        plan = ReadPlan(self.anchor_day, 0, staff, weights, self.by_team, self.by_centre, showcase, bench)
        wanted = int(self.profile.audit_events_min * 1.01) - recorder.stub_count - login_count(plan)
        plan = ReadPlan(self.anchor_day, max(wanted, 0), staff, weights, self.by_team, self.by_centre, showcase, bench)
        actors = {
            user.id: ActorFacts(user.username, str(user.role.value), user.jobcentre_id) for user in world.users.values()
        }
        rebuild = drop_rebuildable_indexes(conn, AuditEvent._meta.db_table)  # type: ignore[arg-type]

        def progress(done: int) -> None:
            if done % 1_000_000 == 0:
                self.report(f"  audit_auditevent: {done} rows  [{self.elapsed():.1f}s]")

        reads = random.Random(self.rng.random())  # noqa: S311 - reproducible test data, not secrets
        events = merged(read_events(plan, reads, recorder.addresses), change_events(conn))  # type: ignore[arg-type]
        counts = write_audit(conn, events, actors, progress)  # type: ignore[arg-type]
        loaded = time.monotonic()
        run_all(conn, rebuild)  # type: ignore[arg-type]
        self.report(
            f"audit_auditevent: {counts['read']} read + {counts['change']} change events  "
            f"copy {loaded - step:.1f}s  indexes {time.monotonic() - loaded:.1f}s  [{self.elapsed():.1f}s]"
        )
