"""Schema pieces every router shares: references to related rows, bounded ids, clean text, pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from django.db.models import QuerySet
from ninja import Field, Schema
from pydantic import AfterValidator, PlainSerializer

# Note: ids are bounded in the schema: a larger number would overflow the database's integer (a 500, not 404).
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Year = Annotated[int, Field(ge=2000, le=2100)]
Month = Annotated[int, Field(ge=1, le=12)]
Money = Annotated[Decimal, Field(ge=0, max_digits=16, decimal_places=2, description="万元")]
CENT, RATE_STEP = Decimal("0.01"), Decimal("0.0001")


def decimal_out(step: Decimal, description: str) -> Any:
    """An output decimal sent as a string rounded to ``step``: no cent is lost to floating point."""
    return Annotated[
        Decimal,
        PlainSerializer(lambda value: str(value.quantize(step)), return_type=str),
        Field(description=description),
    ]


Amount = decimal_out(CENT, "万元，两位小数的字符串")
Area = decimal_out(CENT, "平方米，两位小数的字符串")
Rate = decimal_out(RATE_STEP, "比例（0.5 即 50%）或百分点，四位小数的字符串")


def _printable(value: str) -> str:
    # Note: PostgreSQL refuses NUL characters in text; refuse them here as a 422, not a database error.
    if "\x00" in value:
        raise ValueError("不能包含空字符（\\u0000）")
    return value


def text(max_length: int, **extra: Any) -> Any:
    """A text field of at most ``max_length`` characters, without NUL characters."""
    return Annotated[str, Field(max_length=max_length, **extra), AfterValidator(_printable)]


class Ref(Schema):
    """A related row by id and name."""

    id: int
    name: str


class PageParams(Schema):
    page: int = Field(1, ge=1, le=100_000, description="页码，从 1 开始")
    page_size: int = Field(50, ge=1, le=200, description="每页条数，最多 200")


def page_of(rows: QuerySet, params: PageParams) -> dict[str, Any]:
    """One page of ``rows``: the total count, the page asked for and its items (empty past the end)."""
    start = (params.page - 1) * params.page_size
    return {
        "count": rows.count(),
        "page": params.page,
        "page_size": params.page_size,
        "items": list(rows[start : start + params.page_size]),
    }


def ref(obj: Any) -> dict[str, Any] | None:
    """{id, name} of a related row (a user by display name, a department by name), or None."""
    if obj is None:
        return None
    name = getattr(obj, "display_name", None) or getattr(obj, "name", None) or str(obj)
    return {"id": obj.pk, "name": name}
