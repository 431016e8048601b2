"""Streaming rows into PostgreSQL with COPY: text-format encoding, spool files, index rebuilds, sequences."""

import os
from collections.abc import Iterator
from datetime import date
from typing import IO

from django.db import models
from psycopg import Connection

_ESCAPES = str.maketrans({"\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"})
CHUNK = 1 << 20

Value = str | int | bool | date | None


def encode(value: Value) -> str:
    """One field in COPY text format. Timestamps, arrays and JSON arrive already as their text."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_ESCAPES)
    if isinstance(value, int):
        return str(value)
    return value.isoformat()


def pg_array(values: list[str]) -> str:
    return "{" + ",".join(values) + "}"


class Spool:
    """The rows of one table, spooled to a file in COPY text format in the model's column order."""

    def __init__(self, model: type[models.Model], directory: str) -> None:
        fields = model._meta.concrete_fields
        self.model = model
        self.table = model._meta.db_table
        self.columns = [field.column for field in fields]
        self.attnames = [field.attname for field in fields]
        self.pk_column = model._meta.pk.column if model._meta.pk else "id"
        self.path = os.path.join(directory, f"{self.table}.copy")
        self._file: IO[str] = open(self.path, "w", encoding="utf-8", buffering=CHUNK)
        self.count = 0

    def write(self, values: dict[str, Value]) -> None:
        self._file.write("\t".join([encode(values[name]) for name in self.attnames]) + "\n")
        self.count += 1

    def close(self) -> None:
        self._file.close()

    def chunks(self) -> Iterator[str]:
        with open(self.path, encoding="utf-8") as source:
            while block := source.read(CHUNK):
                yield block


def copy_sql(table: str, columns: list[str]) -> str:
    return f"COPY {table} ({', '.join(columns)}) FROM STDIN"


def copy_spool(conn: Connection, spool: Spool) -> None:
    with conn.cursor() as cursor, cursor.copy(copy_sql(spool.table, spool.columns)) as copy:
        for block in spool.chunks():
            copy.write(block)


def drop_rebuildable_indexes(conn: Connection, table: str) -> list[str]:
    """Drop the table's secondary indexes and unique constraints no foreign key depends on; return the
    statements that recreate them exactly as the migrations made them."""
    with conn.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c
            WHERE c.conrelid = %s::regclass AND c.contype = 'u'
              AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = c.conindid)
            ORDER BY c.conname
            """,
            [table],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.schemaname = current_schema() AND i.tablename = %s
              AND NOT EXISTS (
                SELECT 1 FROM pg_constraint c WHERE c.conindid = (quote_ident(i.indexname))::regclass
              )
            ORDER BY i.indexname
            """,
            [table],
        )
        indexes = cursor.fetchall()
        for name, _definition in constraints:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    return [f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}' for name, definition in constraints] + [
        definition for _name, definition in indexes
    ]


def run_all(conn: Connection, statements: list[str]) -> None:
    with conn.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def reset_sequence(conn: Connection, table: str, column: str) -> None:
    with conn.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
        row = cursor.fetchone()
        if row is None or row[0] is None:
            return
        cursor.execute(
            f"SELECT setval(%s, COALESCE((SELECT max({column}) FROM {table}), 1), "
            f"(SELECT max({column}) FROM {table}) IS NOT NULL)",
            [row[0]],
        )
