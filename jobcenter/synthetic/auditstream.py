"""The audit table: read events drawn day by day in time order, merged with the change events of the
generated writes (sorted by PostgreSQL), hashed into the two chains and streamed in with COPY."""

import bisect
import heapq
import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from psycopg import Connection

from jobcenter.audit.chain import GENESIS_HASH, event_hash
from jobcenter.organisation.roles import Role
from jobcenter.synthetic import names
from jobcenter.synthetic.organisation import Staff
from jobcenter.synthetic.pgcopy import encode
from jobcenter.synthetic.recorder import STUB_COLUMNS, STUB_TABLE
from jobcenter.synthetic.timing import HOUR, MINUTE, local_start, stamp

READ_DAYS = 730
BATCH = 20_000
# (occurred_us, chain, actor_id, action, object_type, object_id, case_id, citizen_id, outcome, reason,
#  details, request_id, source_address)
Event = tuple[int, str, int | None, str, str, str, int | None, int | None, str, str, dict[str, Any], str, str | None]
AUDIT_COLUMNS = (
    "id", "chain", "occurred_at", "actor_id", "actor_username", "role", "jobcentre_id", "action", "object_type",
    "object_id", "case_id", "citizen_id", "outcome", "reason", "details", "request_id", "source_address",
    "prev_hash", "hash",
)  # fmt: skip


@dataclass
class CaseIndex:
    """Cases by team and by jobcentre, ordered by opening, so a reader only sees cases that existed."""

    opened: dict[int, list[int]] = field(default_factory=dict)
    cases: dict[int, list[tuple[int, int]]] = field(default_factory=dict)

    def add(self, key: int, opened: int, case_id: int, citizen_id: int) -> None:
        self.opened.setdefault(key, []).append(opened)
        self.cases.setdefault(key, []).append((case_id, citizen_id))

    def sort(self) -> None:
        for key in self.opened:
            order = sorted(range(len(self.opened[key])), key=lambda i, k=key: self.opened[k][i])  # type: ignore[misc]
            self.opened[key] = [self.opened[key][i] for i in order]
            self.cases[key] = [self.cases[key][i] for i in order]

    def pick(self, key: int, before: int, rng: random.Random) -> tuple[int, int] | None:
        known = bisect.bisect_left(self.opened.get(key, []), before)
        if known == 0:
            return None
        # Recent cases are read far more than old ones.
        return self.cases[key][known - 1 - int(rng.random() ** 3 * min(known, 3_000))]


@dataclass(frozen=True)
class ReadPlan:
    anchor_day: date
    total: int
    staff: list[Staff]
    weights: list[float]
    by_team: CaseIndex
    by_centre: CaseIndex
    showcase: tuple[int, int]
    bench_caseworker: int


def working_days(anchor_day: date) -> list[date]:
    days = [anchor_day - timedelta(days=offset) for offset in range(READ_DAYS, 0, -1)]
    return [day for day in days if day.weekday() < 5]


def login_count(plan: ReadPlan) -> int:
    return len(plan.staff) * len(working_days(plan.anchor_day))


def read_events(plan: ReadPlan, rng: random.Random, addresses: dict[int, str]) -> Iterator[Event]:
    """Every working day: each staff member logs in (a change event), then reads pages until the day's
    share of the total is spent, more by some than by others."""
    days = working_days(plan.anchor_day)
    per_day, extra = divmod(plan.total, len(days))
    cumulative = []
    running = 0.0
    for weight in plan.weights:
        running += weight
        cumulative.append(running)
    for number, day in enumerate(days):
        start = local_start(day)
        events: list[Event] = []
        for staff in plan.staff:
            events.append(
                (
                    start + 7 * HOUR + rng.randrange(30 * MINUTE),
                    "change",
                    staff.id,
                    "login",
                    "",
                    "",
                    None,
                    None,
                    "success",
                    "",
                    {},
                    f"{rng.getrandbits(128):032x}",
                    addresses.get(staff.id),
                )
            )
        quota = per_day + (1 if number < extra else 0)
        for staff in rng.choices(plan.staff, cum_weights=cumulative, k=quota):
            at = start + 7 * HOUR + 30 * MINUTE + rng.randrange(8 * HOUR + 30 * MINUTE)
            events.append(_read(plan, staff, at, start, rng, addresses.get(staff.id)))
        events.sort(key=lambda event: event[0])
        yield from events


def _page(path: str, name: str, method: str = "GET") -> dict[str, Any]:
    return {"path": path, "method": method, "status": 200, "url_name": name}


def _read(plan: ReadPlan, staff: Staff, at: int, day_start: int, rng: random.Random, address: str | None) -> Event:
    request_id = f"{rng.getrandbits(128):032x}"
    roll = rng.random()
    picked: tuple[int, int] | None = None
    if staff.role == Role.SUPERVISOR:
        if roll < 0.5 and staff.jobcentre_id is not None:
            picked = plan.by_centre.pick(staff.jobcentre_id, day_start, rng)
        elif roll < 0.75:
            return (at, "read", staff.id, "view", "", "", None, None, "success", "",
                    _page("/tilsyn/opslag/", "supervision:review_queue"), request_id, address)  # fmt: skip
    elif roll < 0.75:
        if staff.id == plan.bench_caseworker and rng.random() < 0.1:
            picked = plan.showcase
        else:
            picked = plan.by_team.pick(staff.team_ids[0], day_start, rng)
    elif roll < 0.87:
        details = {**_page("/soeg/", "search", "POST"), "criteria": rng.choice(names.LAST_NAMES)}
        return (at, "read", staff.id, "search", "", "", None, None, "success", "", details, request_id, address)
    if picked is None:
        return (
            at,
            "read",
            staff.id,
            "view",
            "",
            "",
            None,
            None,
            "success",
            "",
            _page("/", "home"),
            request_id,
            address,
        )
    case_id, citizen_id = picked
    return (at, "read", staff.id, "view", "cases.Case", str(case_id), case_id, citizen_id, "success", "",
            _page(f"/sager/{case_id}/", "case_detail"), request_id, address)  # fmt: skip


def change_events(conn: Connection) -> Iterator[Event]:
    """The spooled change events in time order, fetched in batches from a cursor between COPY blocks."""
    names_sql = ", ".join(name for name, _type in STUB_COLUMNS if name != "seq")
    with conn.cursor() as cursor:
        cursor.execute(
            f"DECLARE synthetic_changes NO SCROLL CURSOR FOR "
            f"SELECT {names_sql} FROM {STUB_TABLE} ORDER BY occurred_us, seq"
        )
        while rows := cursor.execute("FETCH 50000 FROM synthetic_changes").fetchall():
            for at, actor, action, otype, oid, case, citizen, outcome, reason, details, request_id, address in rows:
                yield (at, "change", actor, action, otype, oid, case, citizen, outcome, reason, json.loads(details),
                       request_id, address)  # fmt: skip
        cursor.execute("CLOSE synthetic_changes")


def load_stubs(conn: Connection, path: str) -> None:
    columns = ", ".join(f"{name} {kind}" for name, kind in STUB_COLUMNS)
    with conn.cursor() as cursor:
        cursor.execute(f"CREATE TEMP TABLE {STUB_TABLE} ({columns}) ON COMMIT DROP")
        with cursor.copy(f"COPY {STUB_TABLE} FROM STDIN") as copy, open(path, encoding="utf-8") as source:
            while block := source.read(1 << 20):
                copy.write(block)


@dataclass(frozen=True)
class ActorFacts:
    username: str
    role: str
    jobcentre_id: int | None


def write_audit(
    conn: Connection, events: Iterator[Event], actors: dict[int, ActorFacts], progress: Callable[[int], None]
) -> dict[str, int]:
    """Hash each event onto its chain (ids in chain order, time never going back) and COPY them in."""
    heads = {"read": GENESIS_HASH, "change": GENESIS_HASH}
    counts = {"read": 0, "change": 0}
    nobody = ActorFacts("", "", None)
    lines: list[str] = []
    next_id = 0
    sql = f"COPY audit_auditevent ({', '.join(AUDIT_COLUMNS)}) FROM STDIN"
    for at, chain, actor, action, otype, oid, case, citizen, outcome, reason, details, request_id, address in events:
        facts = actors[actor] if actor is not None else nobody
        occurred = stamp(at)
        fields = {
            "chain": chain, "occurred_at": occurred, "actor_id": actor, "actor_username": facts.username,
            "role": facts.role, "jobcentre_id": facts.jobcentre_id, "action": action, "object_type": otype,
            "object_id": oid, "case_id": case, "citizen_id": citizen, "outcome": outcome, "reason": reason,
            "details": details, "request_id": request_id, "source_address": address,
        }  # fmt: skip
        prev = heads[chain]
        digest = event_hash(prev, fields)
        heads[chain] = digest
        counts[chain] += 1
        next_id += 1
        lines.append(
            "\t".join(
                [
                    str(next_id),
                    chain,
                    occurred,
                    encode(actor),
                    encode(facts.username),
                    encode(facts.role),
                    encode(facts.jobcentre_id),
                    action,
                    encode(otype),
                    encode(oid),
                    encode(case),
                    encode(citizen),
                    outcome,
                    encode(reason),
                    encode(json.dumps(details, ensure_ascii=False)),
                    request_id,
                    encode(address),
                    prev,
                    digest,
                ]
            )
            + "\n"
        )
        if len(lines) >= BATCH:
            _flush(conn, sql, lines)
            progress(next_id)
    _flush(conn, sql, lines)
    return counts


def _flush(conn: Connection, sql: str, lines: list[str]) -> None:
    if lines:
        with conn.cursor() as cursor, cursor.copy(sql) as copy:
            copy.write("".join(lines))
        lines.clear()


def merged(reads: Iterator[Event], changes: Iterator[Event]) -> Iterator[Event]:
    return heapq.merge(changes, reads, key=lambda event: event[0])
