"""Turning what people type into spreadsheets into clean values.

Pure standard library. Every parser takes a raw cell value as python-calamine returns it (str, float, int,
bool, date, datetime, time, timedelta or "" for empty) and returns the clean value, None for an empty cell,
or raises CellError whose message is the Chinese reason (without the column name: the caller adds it).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

# Excel's 1900 date system counts from 1899-12-30 (its day 60 is the fictitious 1900-02-29).
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_SERIAL_RANGE = (1, 2958465)  # 1900-01-01 … 9999-12-31
_YEAR_RANGE = (1949, 2100)

# Units a header may carry, as multipliers into 万元 (the unit every amount is stored in).
AMOUNT_UNITS = {
    "亿元": Decimal(10000),
    "亿": Decimal(10000),
    "万元": Decimal(1),
    "万": Decimal(1),
    "元": Decimal("0.0001"),
}

_TRUE = frozenset({"是", "y", "yes", "true", "1", "√", "✓", "✔", "对", "有", "t"})
_FALSE = frozenset({"否", "n", "no", "false", "0", "×", "✗", "✘", "x", "无", "不是", "f"})

_BOOL_EXACT = dict.fromkeys(_TRUE, True) | dict.fromkeys(_FALSE, False)
_DATE_PATTERNS = (
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日?"),
    re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)
_MONTH_PATTERNS = (re.compile(r"(\d{4})年(\d{1,2})月"), re.compile(r"(\d{4})[-/.](\d{1,2})"))
_TIME_SUFFIX = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")


class CellError(ValueError):
    """A cell's value cannot be read; ``str(error)`` is the reason in Chinese."""


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not clean_text(value))


def clean_text(value: object) -> str:
    """NFKC-folded text (full-width digits, letters and spaces become half-width), spaces collapsed."""
    if value is None:
        return ""
    if not isinstance(value, str):
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # a code or phone number Excel stored as a number: 123.0 → "123"
        elif isinstance(value, dt.datetime):
            value = value.date() if value.time() == dt.time() else value
        value = str(value)
    if not value.isascii() and not unicodedata.is_normalized("NFKC", value):
        value = unicodedata.normalize("NFKC", value)
    return " ".join(value.split())


def parse_text(value: object, *, max_length: int | None = None, multiline: bool = False) -> str | None:
    text = clean_lines(value) if multiline and isinstance(value, str) else clean_text(value)
    if not text:
        return None
    if max_length is not None and len(text) > max_length:
        raise CellError(f"过长：最多 {max_length} 个字，实际 {len(text)} 个字")
    return text


def clean_lines(value: object) -> str:
    """Like clean_text, but line breaks are kept (each line cleaned, blank lines at the ends dropped)."""
    text = unicodedata.normalize("NFKC", "" if value is None else str(value))
    return "\n".join(" ".join(line.split()) for line in text.splitlines()).strip("\n")


def parse_decimal(
    value: object, *, scale: Decimal = Decimal(1), places: int = 2, max_digits: int = 16
) -> Decimal | None:
    """A number (possibly stored as text, with thousands separators or full-width digits) times ``scale``."""
    if isinstance(value, bool):
        raise CellError(f"应为数字，实际为 {'是' if value else '否'}")
    if isinstance(value, int | float):
        number = Decimal(repr(float(value))) if isinstance(value, float) else Decimal(value)
    else:
        text = clean_text(value).replace(",", "").replace(" ", "")
        if not text:
            return None
        text = _strip_unit(text)
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise CellError(f"应为数字，实际为“{clean_text(value)}”") from None
    if not number.is_finite():
        raise CellError(f"应为数字，实际为“{clean_text(value)}”")
    if number < 0:
        raise CellError(f"不能为负数：{clean_text(value)}")
    result = (number * scale).quantize(Decimal(1).scaleb(-places))
    if result.adjusted() >= max_digits - places:
        raise CellError(f"数值过大：{clean_text(value)}")
    return result


def _strip_unit(text: str) -> str:
    # "12.5万元" typed into a cell whose header already names the unit: the header decides the unit.
    for unit in sorted(AMOUNT_UNITS, key=len, reverse=True):
        if text.endswith(unit):
            return text[: -len(unit)]
    return text


def parse_date(value: object) -> dt.date | None:
    """A date cell, an Excel serial number, or text like 2026年3月5日, 2026/3/5, 2026-03-05, 2026.3.5."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise CellError("应为日期")
    if isinstance(value, int | float):
        return _from_serial(value)
    text = _TIME_SUFFIX.sub("", clean_text(value)).replace(" ", "")
    if not text:
        return None
    if re.fullmatch(r"\d{5}(\.\d+)?", text):
        return _from_serial(float(text))
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            return _checked_date(*(int(part) for part in match.groups()), original=text)
    raise CellError(f"不是可识别的日期：“{text}”（可写作 2026-03-05、2026/3/5 或 2026年3月5日）")


def _from_serial(serial: float) -> dt.date:
    if not _SERIAL_RANGE[0] <= serial <= _SERIAL_RANGE[1]:
        raise CellError(f"不是可识别的日期：{clean_text(serial)}")
    return _checked_date_obj(_EXCEL_EPOCH + dt.timedelta(days=int(serial)), clean_text(serial))


def _checked_date(year: int, month: int, day: int, *, original: str) -> dt.date:
    try:
        date = dt.date(year, month, day)
    except ValueError:
        raise CellError(f"日期不存在：“{original}”") from None
    return _checked_date_obj(date, original)


def _checked_date_obj(date: dt.date, original: str) -> dt.date:
    if not _YEAR_RANGE[0] <= date.year <= _YEAR_RANGE[1]:
        raise CellError(f"日期年份超出范围（{_YEAR_RANGE[0]}–{_YEAR_RANGE[1]}）：“{original}”")
    return date


def parse_month(value: object) -> dt.date | None:
    """A month (first day): 2026年3月, 2026-03, 2026/3, or any full date."""
    if isinstance(value, str):
        text = clean_text(value).replace(" ", "")
        for pattern in _MONTH_PATTERNS:
            match = pattern.fullmatch(text)
            if match:
                return _checked_date(int(match[1]), int(match[2]), 1, original=text)
    date = parse_date(value)
    return date.replace(day=1) if date else None


def parse_bool(value: object) -> bool | None:
    """是/否, Y/N, √/×, yes/no, true/false, 1/0; empty is None."""
    if isinstance(value, bool):
        return value
    exact = _BOOL_EXACT.get(value) if isinstance(value, str) else None
    if exact is not None:
        return exact  # the common case, 是 or 否 as typed, without cleaning
    text = clean_text(value).lower()
    if not text:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError(f"应填“是”或“否”，实际为“{clean_text(value)}”")


def parse_choice(
    value: object, choices: list[tuple[str, str]], aliases: dict[str, str] | None = None
) -> str | None:
    """The code of a choice given by its label, code or an alias; an unknown value lists the allowed ones."""
    return choice_parser(choices, aliases)(value)


def choice_parser(
    choices: list[tuple[str, str]], aliases: dict[str, str] | None = None
) -> Callable[[object], str | None]:
    """A parse_choice for one fixed list (the lookup table is built once, not per cell)."""
    table = {_fold(word): code for word, code in (aliases or {}).items()}
    for code, label in choices:
        table[_fold(code)] = table[_fold(label)] = code
    allowed = "、".join(label for _code, label in choices)

    def parse(value: object) -> str | None:
        if isinstance(value, str) and value in table:
            return table[value]  # the common case, a label as the drop-down writes it
        text = clean_text(value)
        if not text:
            return None
        code = table.get(_fold(text))
        if code is None:
            raise CellError(f"“{text}”不是允许的值（可选：{allowed}）")
        return code

    return parse


def _fold(text: str) -> str:
    return text.replace(" ", "").lower()


def parse_year(value: object) -> int | None:
    """A list year such as 2026, 2026.0, "2026" or "2026年"."""
    text = clean_text(value).replace(" ", "").removesuffix("年度").removesuffix("年")
    if not text:
        return None
    if not re.fullmatch(r"\d{4}", text) or not 2000 <= int(text) <= 2100:
        raise CellError(f"应为 2000–2100 之间的四位年份，实际为“{clean_text(value)}”")
    return int(text)


def header_key(value: object) -> tuple[str, str | None]:
    """A header cell as (name, unit): spaces, line breaks and required-markers removed, unit split off.

    "＊总投资（亿元）" → ("总投资", "亿元"); "项目\\n名称" → ("项目名称", None).
    """
    text = "".join(clean_text(value).split()).replace("*", "").replace("★", "")
    unit = None
    match = re.fullmatch(r"(.*?)[(\[【](.*?)[)\]】]", text)
    if match:
        text, note = match[1], match[2]
        unit = next((name for name in sorted(AMOUNT_UNITS, key=len, reverse=True) if name in note), None)
    elif text.endswith(("亿元", "万元")) and len(text) > 2:
        text, unit = text[:-2], text[-2:]
    return text, unit


def excel_column_name(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    name = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        name = chr(ord("A") + remainder) + name
    return name
