"""What `save_validated` leaves behind, written as rows: the object, its history row and its change event.

Change events are spooled as stubs (without hash) and hashed later in time order, together with the
read events, because the chain must follow time while the rows are generated case by case.
"""

import json
import random
from dataclasses import dataclass
from typing import IO

from django.db import models

from jobcenter.synthetic.pgcopy import CHUNK, Spool, Value, encode
from jobcenter.synthetic.timing import stamp

STUB_TABLE = "synthetic_change_stub"
STUB_COLUMNS = (
    ("occurred_us", "bigint"),
    ("seq", "bigint"),
    ("actor_id", "integer"),
    ("action", "text"),
    ("object_type", "text"),
    ("object_id", "text"),
    ("case_id", "bigint"),
    ("citizen_id", "bigint"),
    ("outcome", "text"),
    ("reason", "text"),
    ("details", "text"),
    ("request_id", "text"),
    ("source_address", "text"),
)


@dataclass(frozen=True)
class Request:
    """The request a service ran in: its id and the caller's address end up in every event it writes."""

    actor_id: int | None
    request_id: str
    source_address: str | None


@dataclass(frozen=True)
class Subject:
    case_id: int | None
    citizen_id: int | None


NO_SUBJECT = Subject(None, None)


class Recorder:
    def __init__(self, directory: str, rng: random.Random) -> None:
        self.directory = directory
        self.rng = rng
        self.spools: dict[type[models.Model], Spool] = {}
        self._ids: dict[type[models.Model], int] = {}
        self._stub_path = f"{directory}/{STUB_TABLE}.copy"
        self._stubs: IO[str] = open(self._stub_path, "w", encoding="utf-8", buffering=CHUNK)
        self.stub_count = 0
        self.addresses: dict[int, str] = {}
        self._historical: dict[type[models.Model], type[models.Model] | None] = {}

    def spool(self, model: type[models.Model]) -> Spool:
        if model not in self.spools:
            self.spools[model] = Spool(model, self.directory)
        return self.spools[model]

    def next_id(self, model: type[models.Model]) -> int:
        value = self._ids.get(model, 0) + 1
        self._ids[model] = value
        return value

    def request(self, actor_id: int | None) -> Request:
        if actor_id is None:
            return Request(None, "", None)
        return Request(actor_id, f"{self.rng.getrandbits(128):032x}", self.addresses.get(actor_id))

    def historical(self, model: type[models.Model]) -> type[models.Model] | None:
        """The model's history table, looked up once: each access to the manager builds a new one."""
        if model not in self._historical:
            manager = getattr(model, "history", None)
            self._historical[model] = manager.model if manager is not None else None
        return self._historical[model]

    def insert(self, model: type[models.Model], row: dict[str, Value]) -> None:
        self.spool(model).write(row)

    def history(
        self,
        model: type[models.Model],
        state: dict[str, Value],
        *,
        at: int,
        user_id: int | None,
        reason: str | None,
        kind: str,
    ) -> None:
        historical = self.historical(model)
        assert historical is not None
        self.spool(historical).write(
            {
                **state,
                "history_id": self.next_id(historical),
                "history_date": stamp(at),
                "history_change_reason": reason,
                "history_type": kind,
                "history_user_id": user_id,
            }
        )

    def saved(
        self,
        model: type[models.Model],
        state: dict[str, Value],
        *,
        at: int,
        request: Request,
        subject: Subject,
        reason: str = "",
        kind: str = "+",
        action: str = "change",
        outcome: str = "success",
        audit_reason: str = "",
    ) -> None:
        """One `save_validated`: the history row (for models with history) and the change event."""
        if self.historical(model) is not None:
            self.history(model, state, at=at, user_id=request.actor_id, reason=reason, kind=kind)
        self.event(
            at=at,
            request=request,
            action=action,
            object_type=model._meta.label,
            object_id=str(state["id"]),
            subject=subject,
            outcome=outcome,
            reason=audit_reason,
            details={"service": reason} if reason else {},
        )

    def event(
        self,
        *,
        at: int,
        request: Request,
        action: str,
        object_type: str,
        object_id: str,
        subject: Subject,
        outcome: str = "success",
        reason: str = "",
        details: dict[str, str] | None = None,
    ) -> None:
        self.stub_count += 1
        fields: tuple[Value, ...] = (
            at,
            self.stub_count,
            request.actor_id,
            action,
            object_type,
            object_id,
            subject.case_id,
            subject.citizen_id,
            outcome,
            reason,
            json.dumps(details or {}, ensure_ascii=False, sort_keys=True),
            request.request_id,
            request.source_address,
        )
        self._stubs.write("\t".join([encode(value) for value in fields]) + "\n")

    def close(self) -> None:
        self._stubs.close()
        for spool in self.spools.values():
            spool.close()

    @property
    def stub_path(self) -> str:
        return self._stub_path
