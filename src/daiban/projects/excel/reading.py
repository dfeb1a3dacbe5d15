"""Reading an uploaded 项目清单 workbook into header + data rows, and each row into clean field values.

A file-level problem (not a spreadsheet, too large, empty, no header row) raises ImportFileError: one clear
message. Row-level problems are collected in the ImportReport so the user sees all of them at once.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache, partial
from pathlib import Path
from typing import IO

import python_calamine

from daiban.core.errors import DomainError
from daiban.core.ids import validate_project_code, validate_uscc
from daiban.projects.excel import cells
from daiban.projects.excel.cells import CellError
from daiban.projects.excel.columns import (
    AMOUNT,
    BOOL,
    CHOICE,
    CODE,
    COLUMNS_BY_KEY,
    DATE,
    IGNORED,
    NUMBER,
    PROJECT_COLUMNS,
    REQUIRED,
    USCC,
    YEAR,
    Column,
    HeaderMap,
    find_header,
)
from daiban.projects.excel.report import ImportReport
from daiban.projects.excel.template import EXAMPLE_MARK

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
_SPREADSHEET_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # zip (xlsx, xlsm, ods) and OLE2 (xls)
_SECTION_STARTS = frozenset("合总小一二三四五六七八九十 \u3000\t\n") | {""}
# "合计", "总计：", "小计(12个)" — but not a project called 小计量仪器产业园; "一、新开工项目", "二.续建项目"
_SECTION = re.compile(r"\s*([合总小]\s*计\s*($|[(:\d])|[一二三四五六七八九十]+\s*[、.])")

FileInput = str | os.PathLike | bytes | bytearray | memoryview | IO[bytes]


class ImportFileError(DomainError):
    """The file as a whole cannot be imported (one message, no row list)."""


@dataclass
class SheetRows:
    sheet: str
    header: HeaderMap
    rows: list[tuple[int, list[object]]]  # (row number as Excel shows it, cells)


@dataclass
class ParsedRow:
    row: int  # as Excel shows it
    values: dict[str, object] = field(default_factory=dict)  # field key → clean value (None = empty)
    failed: set[str] = field(default_factory=set)  # keys whose cell could not be read (already reported)


def read_bytes(file: FileInput, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The file's content, refusing an empty or too large one before parsing anything."""
    if isinstance(file, str | os.PathLike):
        path = Path(file)
        if not path.is_file():
            raise ImportFileError(f"找不到文件：{path}")
        _check_size(path.stat().st_size, max_bytes)
        data = path.read_bytes()
    elif isinstance(file, bytes | bytearray | memoryview):
        data = bytes(file)
    else:
        size = getattr(file, "size", None)  # an uploaded file knows its size before it is read
        if size is not None:
            _check_size(size, max_bytes)
        data = file.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise ImportFileError(f"文件太大：超过上限 {_size(max_bytes)}")
    _check_size(len(data), max_bytes)
    return data


def _check_size(size: int, max_bytes: int) -> None:
    if size == 0:
        raise ImportFileError("文件是空的（0 字节）")
    if size > max_bytes:
        raise ImportFileError(f"文件太大：{_size(size)}，上限 {_size(max_bytes)}")


def _size(count: int) -> str:
    return f"{count / 1048576:.1f} MB" if count >= 1048576 else f"{max(count / 1024, 0.1):.1f} KB"


def read_sheet(data: bytes) -> SheetRows:
    """The first visible sheet with a 项目清单 header, and its data rows (blank and total rows dropped)."""
    if not data.startswith(_SPREADSHEET_MAGIC):
        raise ImportFileError("不是 Excel 文件：请上传 .xlsx、.xls 或 .ods 格式的项目清单")
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        visible = python_calamine.SheetVisibleEnum.Visible
        for name in (sheet.name for sheet in workbook.sheets_metadata if sheet.visible == visible):
            # Note: skip_empty_area=False keeps row i at index i, so the numbers match what Excel shows.
            rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            header = find_header(rows)
            if header is not None:
                return SheetRows(name, header, _data_rows(rows, header))
    except python_calamine.PasswordError:
        raise ImportFileError("文件有密码保护，请去掉密码后再导入") from None
    except python_calamine.CalamineError as error:
        raise ImportFileError(f"文件已损坏或不是 Excel 文件，无法读取（{error}）") from None
    raise ImportFileError("找不到表头：任何工作表的前 30 行中都没有包含“项目名称”等列名的行")


def _data_rows(rows: list[list[object]], header: HeaderMap) -> list[tuple[int, list[object]]]:
    name_at = header.positions["name"]
    mark_at = header.positions.get("row_number")
    kept = []
    for index in range(header.row + 1, len(rows)):
        row = rows[index]
        if all(cells.is_blank(value) for value in row):
            continue
        if mark_at is not None and cells.clean_text(_cell(row, mark_at)) == EXAMPLE_MARK:
            continue
        if _is_total_or_section(row, name_at):
            continue
        kept.append((index + 1, row))
    return kept


def _is_total_or_section(row: list[object], name_at: int) -> bool:
    """合计/小计 rows and section titles such as "一、新开工项目（78个）" that sit between projects.

    The title is in the name column or, with the name empty, the first text of the row.
    """
    name = _cell(row, name_at)
    if isinstance(name, str) and name[:1] not in _SECTION_STARTS:
        return False  # the usual project name, decided without cleaning
    name = cells.clean_text(name)
    if not name:
        texts = (cells.clean_text(value) for value in row if isinstance(value, str))
        name = next((text for text in texts if text), "")
    return bool(_SECTION.match(name))


def _cell(row: list[object], index: int) -> object:
    return row[index] if index < len(row) else ""


def check_columns(header: HeaderMap, report: ImportReport) -> None:
    """Missing required columns and columns given twice are file-wide problems."""
    missing = [column for column in REQUIRED if column.key not in header.positions]
    for column in missing:
        others = "、".join(column.synonyms[:4])
        also = f"（也可写作：{others}）" if others else ""
        report.add(header.row + 1, None, f"缺少必填列“{column.header}”{also}")
    for kept, ignored in header.duplicates:
        report.add(header.row + 1, ignored, f"与“{kept}”是同一列，请删除其中一列")


class RowParser:
    """Parses the data rows of one header: each column's parser is chosen once, not once per cell."""

    def __init__(self, header: HeaderMap) -> None:
        self.columns = [
            (key, index, header.titles[key], COLUMNS_BY_KEY[key].required,
             cell_parser(COLUMNS_BY_KEY[key], header.scales.get(key, Decimal(1))))
            for key, index in header.positions.items()
            if COLUMNS_BY_KEY[key].kind != IGNORED
        ]  # fmt: skip

    def parse(self, number: int, row: list[object], report: ImportReport) -> ParsedRow:
        """Clean values of every mapped column; each unreadable cell adds one problem to ``report``."""
        parsed = ParsedRow(number)
        width = len(row)
        for key, index, title, required, parse in self.columns:
            try:
                value = parse(row[index] if index < width else "")
            except CellError as error:
                report.add(number, title, str(error))
                parsed.failed.add(key)
                continue
            if value is None and required:
                report.add(number, title, "不能为空")
                parsed.failed.add(key)
                continue
            parsed.values[key] = value
        return parsed


def parse_cell(column: Column, value: object, scale: Decimal = Decimal(1)) -> object:
    """One cell → the field's clean value (codes validated, amounts in 万元), None when empty."""
    return cell_parser(column, scale)(value)


def cell_parser(column: Column, scale: Decimal = Decimal(1)) -> Callable[[object], object]:
    """The parser of one column's cells."""
    if column.kind in (AMOUNT, NUMBER):
        return partial(cells.parse_decimal, scale=scale, max_digits=column.max_digits)
    simple = {DATE: cells.parse_date, YEAR: cells.parse_year, BOOL: cells.parse_bool}
    if column.kind in simple:
        return simple[column.kind]
    if column.kind == CHOICE:
        return cells.choice_parser(column.choices(), column.aliases)
    if column.kind in (CODE, USCC):
        return partial(_parse_code, column=column)
    return partial(cells.parse_text, max_length=column.max_length, multiline=column.multiline)


def _parse_code(value: object, *, column: Column) -> str | None:
    text = cells.parse_text(value)
    return None if text is None else _validated_code(text, column.kind, column.header)


@lru_cache(maxsize=4096)
def _validated_code(text: str, kind: str, header: str) -> str:
    """Cached: a list repeats each enterprise's USCC once per project."""
    validate = validate_project_code if kind == CODE else validate_uscc
    try:
        return validate(text)
    except DomainError as error:
        raise CellError(_without_prefix(str(error), header)) from None


def _without_prefix(message: str, header: str) -> str:
    """“统一社会信用代码校验位错误：…” under the column ‘统一社会信用代码’ reads “校验位错误：…”."""
    label = header.split("（")[0]
    return message.removeprefix(label).lstrip("：:") or message


__all__ = ["PROJECT_COLUMNS", "ImportFileError", "ParsedRow", "RowParser", "SheetRows", "check_columns"]
