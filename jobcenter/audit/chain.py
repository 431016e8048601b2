"""The hash chain: pure functions, so the writer and the verifier cannot disagree about what is hashed."""

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS_HASH = "0" * 64

# Every field that says what happened. The primary key is not hashed: a rolled-back insert leaves a
# gap in the ids, and the chain links events by hash, not by id.
HASHED_FIELDS = (
    "chain",
    "occurred_at",
    "actor_id",
    "actor_username",
    "role",
    "jobcentre_id",
    "action",
    "object_type",
    "object_id",
    "case_id",
    "citizen_id",
    "outcome",
    "reason",
    "details",
    "request_id",
    "source_address",
)


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    return value


def event_payload(fields: dict[str, Any]) -> str:
    """The canonical JSON of the event's fields: what its hash vouches for."""
    return json.dumps(
        {name: _canonical(fields[name]) for name in HASHED_FIELDS},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )


def event_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    """SHA-256 over the previous hash, a newline and the payload, as UTF-8. The writer computes the same
    in SQL (`LINK_HASH_SQL`), so it can read the chain's head and link to it in one statement."""
    return hashlib.sha256(f"{prev_hash}\n{event_payload(fields)}".encode()).hexdigest()


# event_hash in PostgreSQL, over a previous hash and a payload given as SQL expressions.
LINK_HASH_SQL = "encode(sha256(convert_to({prev} || E'\\n' || {payload}, 'UTF8')), 'hex')"


@dataclass(frozen=True)
class Break:
    event_id: int
    reason: str


def first_break(events: Iterable[dict[str, Any]], *, start_hash: str) -> Iterator[Break]:
    """Walk events in chain order and yield the first one whose links or content do not hold."""
    previous = start_hash
    for event in events:
        if event["prev_hash"] != previous:
            yield Break(event["id"], "prev_hash does not match the hash of the event before it")
            return
        if event_hash(previous, event) != event["hash"]:
            yield Break(event["id"], "content does not match its hash")
            return
        previous = event["hash"]
