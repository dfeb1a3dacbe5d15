"""Plain multi-row INSERTs for the demo's big tables (hundreds of thousands of rows).

Note: ``bulk_create`` spends most of its time preparing each value through the field machinery and, on
SQLite, sends at most 999 parameters per statement (18 cases per INSERT); here the values a row may hold are
converted once per distinct value (timestamps, JSON lists shared by many rows) and the rows go through the
driver's ``executemany``. Ids are assigned here, from the table's current maximum, so children can point at
their parents without reading anything back; PostgreSQL sequences are moved past them afterwards.
Only for rows the demo computed itself: nothing here validates.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max


class Table:
    """The columns of one model and how a row's values become parameters."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.columns = [field.attname for field in self.fields]
        # Note: evaluated once, so every row of a load shares its created_at/updated_at and default lists.
        self.defaults = {field.attname: field.get_default() for field in self.fields}
        self._convert = {
            field.attname: field
            for field in self.fields
            if isinstance(field, models.JSONField | models.DateTimeField)
        }
        self._memo: dict[tuple, Any] = {}

    def next_id(self) -> int:
        return (self.model._base_manager.aggregate(top=Max("pk"))["top"] or 0) + 1

    def insert(self, rows: Iterable[Mapping[str, Any]], *, batch: int = 2000) -> int:
        """Insert ``rows`` (attname → value; missing names take the field default, a missing id the next
        free one); returns the count."""
        sql, pk = self._sql(), self.model._meta.pk.attname
        count, chunk, next_id = 0, [], None
        with connection.cursor() as cursor:
            for row in rows:
                if row.get(pk) is None:
                    next_id = next_id or self.next_id()
                    row, next_id = {**row, pk: next_id}, next_id + 1
                chunk.append(
                    tuple(self._value(name, row.get(name, self.defaults[name])) for name in self.columns)
                )
                if len(chunk) == batch:
                    cursor.executemany(sql, chunk)
                    count, chunk = count + len(chunk), []
            if chunk:
                cursor.executemany(sql, chunk)
                count += len(chunk)
        return count

    def reset_sequence(self) -> None:
        """Move the id sequence past the ids assigned here (PostgreSQL; SQLite needs nothing)."""
        statements = connection.ops.sequence_reset_sql(no_style(), [self.model])
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    def _sql(self) -> str:
        quote = connection.ops.quote_name
        names = ", ".join(quote(field.column) for field in self.fields)
        marks = ", ".join(["%s"] * len(self.fields))
        return f"INSERT INTO {quote(self.model._meta.db_table)} ({names}) VALUES ({marks})"

    def _value(self, name: str, value: Any) -> Any:
        field = self._convert.get(name)
        if field is None or value is None:
            return value
        key = (name, _frozen(value))
        converted = self._memo.get(key)
        if converted is None:
            converted = self._memo[key] = field.get_db_prep_save(value, connection)
        return converted


def _frozen(value: Any) -> Any:
    """A hashable stand-in for a JSON value or a datetime (the memo's key)."""
    if isinstance(value, list | tuple):
        return ("list", *map(_frozen, value))
    if isinstance(value, dict):
        return ("dict", *sorted((key, _frozen(item)) for key, item in value.items()))
    return value
