"""Filters of the project page and 我的待办."""

from __future__ import annotations

import datetime as dt

from django import template

register = template.Library()


@register.filter
def iso(value: dt.date | None) -> str:
    """A date as YYYY-MM-DD ("" for none): what <input type=date> takes, and the tables show.

    Note: much cheaper than ``|date:"Y-m-d"`` (no localization), which counts on a page of ~150 dates.
    """
    return value.isoformat() if isinstance(value, dt.date) else ""
