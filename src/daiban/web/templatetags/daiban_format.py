"""How numbers read on the pages: money in 万元 or 亿元, shares as percentages, '—' for no value."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

from daiban.core.pacing import NO_VALUE, format_rate

register = template.Library()

TEN_THOUSAND = Decimal(10_000)


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _grouped(value: Decimal, places: int) -> str:
    quantum = Decimal(1).scaleb(-places)
    return f"{value.quantize(quantum, rounding=ROUND_HALF_UP):,}"


@register.filter
def wan(value, places: int = 0) -> str:
    """An amount in 万元, grouped: 12,345."""
    number = _decimal(value)
    return NO_VALUE if number is None else _grouped(number, int(places))


@register.filter
def yi(value, places: int = 1) -> str:
    """An amount given in 万元 shown in 亿元: 6,286,577 → 628.7."""
    number = _decimal(value)
    return NO_VALUE if number is None else _grouped(number / TEN_THOUSAND, int(places))


@register.filter
def pct(value, places: int = 1) -> str:
    """A share (0.375) as a percentage (37.5%), '—' when there is no denominator."""
    number = _decimal(value)
    return format_rate(number, int(places)) if number is not None else NO_VALUE


@register.filter
def pct_number(value, places: int = 1) -> str:
    """A share as a bare percentage number for <meter value> (0..100), '0' when None."""
    number = _decimal(value)
    if number is None:
        return "0"
    return str((number * 100).quantize(Decimal(1).scaleb(-int(places)), rounding=ROUND_HALF_UP))


@register.filter
def points(value, places: int = 1) -> str:
    """Percentage points with a sign: +2.5 / −3.0."""
    number = _decimal(value)
    if number is None:
        return NO_VALUE
    text = _grouped(abs(number), int(places))
    return f"+{text}" if number >= 0 else f"−{text}"
