"""序时进度 (schedule progress): the pacing curve of a year's investment, and the ratios built on it.

A pacing curve is 12 *cumulative* shares of the annual plan: ``shares[m - 1]`` is the share that should be
done by the end of month ``m``. The default is even pacing (month / 12); a district that wants a strong
first quarter (开门红) uses a curve such as 30% by March. A curve is valid when it has 12 values, each
between 0 and 1, non-decreasing, and ends at exactly 1 (the whole plan by 31 December).

Monthly figures are compared with the progress expected by the *end* of their month
(``schedule_progress``), because investment is reported per calendar month (统计月报).
For a single date (``schedule_progress_on``) the share is interpolated linearly by the days elapsed in
that month, counting the date itself as done: it is continuous, equals the month-end share on the last
day of the month and the previous month-end share at the very start of the month.
Note: interpolating, rather than holding last month's share until the month ends, keeps a "today" figure
from jumping by a whole month's share overnight; reports for a month always use the month-end value.

Ratios return ``None`` when their denominator is zero (shown as "—"), never raise ZeroDivisionError.
Pure standard library.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from daiban.core.errors import DomainError

MONTHS = 12
ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
NO_VALUE = "—"  # how a rate without a denominator is shown


@dataclass(frozen=True)
class PacingCurve:
    """Twelve cumulative shares (Decimal, 0..1, non-decreasing, December = 1); build with ``parse_curve``."""

    shares: tuple[Decimal, ...]

    def __post_init__(self) -> None:
        _validate(self.shares)

    def as_data(self) -> list[str]:
        """The curve as JSON-safe strings (exact, unlike floats), the form a database column stores."""
        return [str(share) for share in self.shares]


@dataclass(frozen=True)
class PacingPreset:
    """A named curve an admin can pick instead of typing 12 numbers."""

    code: str
    label: str
    curve: PacingCurve


def _validate(shares: Sequence[Decimal]) -> None:
    if len(shares) != MONTHS:
        raise DomainError(f"序时进度曲线应有 12 个月的累计比例，实际为 {len(shares)} 个")
    previous = ZERO
    for month, share in enumerate(shares, start=1):
        if not isinstance(share, Decimal) or not share.is_finite():
            raise DomainError(f"序时进度曲线 {month} 月的累计比例不是有效数字：{share}")
        if share < ZERO or share > ONE:
            raise DomainError(f"序时进度曲线 {month} 月的累计比例 {share} 应在 0 到 1 之间")
        if share < previous:
            raise DomainError(f"序时进度曲线 {month} 月的累计比例 {share} 小于上月的 {previous}，应逐月不减")
        previous = share
    if shares[-1] != ONE:
        raise DomainError(f"序时进度曲线 12 月的累计比例应为 1（全年完成），实际为 {shares[-1]}")


def _to_decimal(value: object, month: int) -> Decimal:
    if isinstance(value, bool):
        raise DomainError(f"序时进度曲线 {month} 月的累计比例不是有效数字：{value}")
    try:
        # Note: floats go through str() so 0.3 becomes Decimal("0.3"), not 0.29999999999999998889…
        number = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError):
        raise DomainError(f"序时进度曲线 {month} 月的累计比例不是有效数字：{value}") from None
    if not number.is_finite():
        raise DomainError(f"序时进度曲线 {month} 月的累计比例不是有效数字：{value}")
    return number


def parse_curve(values: Iterable[object] | None) -> PacingCurve:
    """A validated curve from stored or typed values (Decimal, int, float or numeric strings).

    ``None`` or an empty list means the default even pacing.
    """
    items = list(values) if values is not None else []
    if not items:
        return LINEAR
    return PacingCurve(tuple(_to_decimal(value, month) for month, value in enumerate(items, start=1)))


def _check_month(month: int) -> None:
    if isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= MONTHS:
        raise DomainError(f"月份应为 1 到 12 的整数，实际为 {month}")


def schedule_progress(curve: PacingCurve, month: int) -> Decimal:
    """The share of the annual plan expected to be done by the end of ``month`` (1..12)."""
    _check_month(month)
    return curve.shares[month - 1]


def schedule_progress_on(curve: PacingCurve, day: dt.date) -> Decimal:
    """The share expected by the end of ``day``, interpolated by the days elapsed in its month."""
    before = curve.shares[day.month - 2] if day.month > 1 else ZERO
    after = curve.shares[day.month - 1]
    days_in_month = calendar.monthrange(day.year, day.month)[1]
    if day.day == days_in_month:
        return after  # exact month-end value, free of division rounding
    return before + (after - before) * day.day / days_in_month


def month_end(year: int, month: int) -> dt.date:
    """The last day of a month: the as-of date of that month's figures."""
    _check_month(month)
    return dt.date(year, month, calendar.monthrange(year, month)[1])


# ---------------------------------------------------------------------------------------------- ratios


def rate(numerator: Decimal | int, denominator: Decimal | int) -> Decimal | None:
    """numerator / denominator as a share (0.5 = 50%), or None when the denominator is zero or missing."""
    if denominator is None or denominator == 0:
        return None
    return Decimal(numerator or 0) / Decimal(denominator)


def scheduled_amount(plan: Decimal, share: Decimal) -> Decimal:
    """The amount that should be done by now: plan × 序时进度."""
    return (plan or ZERO) * share


def progress_ratio(completed: Decimal, plan: Decimal, share: Decimal) -> Decimal | None:
    """completed / (plan × 序时进度): 1 means exactly on pace, above 1 ahead, None when nothing is due yet."""
    return rate(completed, scheduled_amount(plan, share))


def gap_points(completion: Decimal | None, share: Decimal) -> Decimal | None:
    """Completion minus 序时进度 in percentage points (−5 = five points behind pace); None without a plan."""
    if completion is None:
        return None
    return (completion - share) * HUNDRED


def format_rate(value: Decimal | None, places: int = 1) -> str:
    """A share as a Chinese-report percentage ('37.5%'), or '—' when it has no denominator."""
    if value is None:
        return NO_VALUE
    return f"{(value * HUNDRED).quantize(Decimal(1).scaleb(-places))}%"


# ---------------------------------------------------------------------------------------------- presets

LINEAR = PacingCurve(tuple(Decimal(month) / MONTHS if month < MONTHS else ONE for month in range(1, 13)))

# 开门红: a strong first quarter (30% by March), 55% by June (双过半 with margin), 80% by September.
STRONG_START = parse_curve(
    ["0.08", "0.18", "0.30", "0.38", "0.46", "0.55", "0.63", "0.71", "0.80", "0.87", "0.94", "1"]
)

PRESETS: dict[str, PacingPreset] = {
    preset.code: preset
    for preset in (
        PacingPreset("linear", "按月均衡（每月 1/12）", LINEAR),
        PacingPreset("strong_start", "开门红（一季度 30%、上半年 55%、前三季度 80%）", STRONG_START),
    )
}


def preset(code: str) -> PacingCurve:
    """The curve of a named preset, or DomainError naming the unknown code."""
    try:
        return PRESETS[code].curve
    except KeyError:
        known = "、".join(PRESETS)
        raise DomainError(f"未知的序时进度曲线预设：{code}（可选：{known}）") from None
