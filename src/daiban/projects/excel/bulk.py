"""Multi-row ``INSERT … RETURNING id`` for the rows an import creates.

Note: Django's ``bulk_create`` prepares every value through the ORM's compiler; for 10,000 projects × 40
columns plus their audit entries that alone took ~5 s here. This prepares each value once with the field's
own ``get_db_prep_save`` where the stored form depends on the database (dates, datetimes, decimals, JSON)
and hands plain values (text, integers, booleans, foreign-key ids) to the driver as they are — so the rows
stored are exactly the ORM's. Without RETURNING support it falls back to ``bulk_create``.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from operator import itemgetter
from typing import Any

from django.db import connections, models, router

PLAIN = (models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.ForeignKey)
ROWS_PER_STATEMENT = 1000  # when the database sets no parameter limit (PostgreSQL allows 65,535)


def insert_rows(model: type[models.Model], rows: list[dict[str, Any]]) -> list[int]:
    """Insert ``rows`` (attname → value; a missing column gets the field default) and return their ids."""
    if not rows:
        return []
    connection = connections[router.db_for_write(model)]
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    if not connection.features.can_return_rows_from_bulk_insert:
        objects = model._base_manager.bulk_create([model(**row) for row in rows])
        return [obj.pk for obj in objects]
    defaults = {field.attname: field.get_default() for field in fields}
    pick = itemgetter(*(field.attname for field in fields))
    convert = [
        (index, _preparer(field, connection)) for index, field in enumerate(fields) if not _plain(field)
    ]
    per_statement = _rows_per_statement(connection, len(fields))
    quote = connection.ops.quote_name
    head = f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) VALUES "
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    tail = f" RETURNING {quote(model._meta.pk.column)}"
    ids: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            batch = rows[start : start + per_statement]
            params: list[Any] = []
            for row in batch:
                values = list(pick(defaults | row))
                for index, prepare in convert:
                    values[index] = prepare(values[index])
                params += values
            cursor.execute(head + ", ".join([one] * len(batch)) + tail, params)
            ids.extend(row[0] for row in cursor.fetchall())
    return ids


def _plain(field: models.Field) -> bool:
    return isinstance(field, PLAIN)


def _preparer(field: models.Field, connection) -> Callable[[Any], Any]:
    """The field's own conversion, remembering the last value: every row shares the same timestamps.

    Note: a Decimal for a DecimalField goes as it is — that is all ``get_db_prep_save`` does with one.
    """
    last: list[Any] = [object(), None]
    decimal = isinstance(field, models.DecimalField)

    def prepare(value: Any) -> Any:
        if value is None or (decimal and type(value) is Decimal):
            return value
        if value is not last[0]:
            last[0], last[1] = value, field.get_db_prep_save(value, connection)
        return last[1]

    return prepare


def _rows_per_statement(connection, columns: int) -> int:
    limit = connection.features.max_query_params
    return max(1, limit // columns) if limit else ROWS_PER_STATEMENT
