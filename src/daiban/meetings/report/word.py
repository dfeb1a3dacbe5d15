"""The 调度报告 as a Word document, in the handbook's Chinese government styles (GB/T 9704, 仿宋 body)."""

from __future__ import annotations

from typing import IO

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.oxml import OxmlElement
from docx.shared import Cm

from daiban.meetings.report.figures import DispatchReport
from daiban.meetings.report.sections import report_sections, row_texts
from daiban.projects.handbook_docx.word import (
    CELL_SIZE,
    CELL_STYLE,
    CENTER,
    HEI,
    SONG,
    TEXT_WIDTH_CM,
    Column,
    add_run,
    body,
    heading,
    new_document,
    paragraph,
    table,
)

CHINESE_NUMERALS = "一二三四五六七八九十"


def report_title(report: DispatchReport, meeting=None) -> str:
    return f"{meeting.title}调度报告" if meeting is not None else "重大项目调度报告"


def report_docx(report: DispatchReport, stream: IO[bytes], *, meeting=None) -> None:
    title = report_title(report, meeting)
    document = new_document(title)
    paragraph(document, title, font=HEI, size=22, align=CENTER, space_after=6)
    period = f"统计期：{report.date_from:%Y年%m月%d日}—{report.date_to:%Y年%m月%d日}"
    if meeting is not None:
        period += f"　会议日期：{meeting.held_on:%Y年%m月%d日}"
    paragraph(document, period, size=14, align=CENTER, space_after=12)
    for number, section in enumerate(report_sections(report)):
        heading(document, f"{CHINESE_NUMERALS[number]}、{section.title}", 1)
        if section.note:
            body(document, section.note)
        if not section.rows:
            body(document, "无。")
            continue
        total = sum(width for _, width, _ in section.columns)
        columns = [
            Column(header, round(TEXT_WIDTH_CM * width / total, 2), centered=kind != "text")
            for header, width, kind in section.columns
        ]
        table(document, columns, [])  # the handbook's table: header row, widths, repeated header
        _rows(document.tables[-1], columns, row_texts(section), document.styles[CELL_STYLE].style_id)
    if meeting is not None and meeting.summary:
        heading(document, f"{CHINESE_NUMERALS[len(report_sections(report))]}、会议纪要", 1)
        for line in meeting.summary.splitlines():
            if line.strip():
                body(document, line.strip())
    document.save(stream)


def _rows(added, columns: list[Column], rows: list[list[str]], style_id: str) -> None:
    """Body rows in the handbook's cell style (宋体 五号, rows never split across pages).

    Note: the style is set by its id, looked up once: python-docx resolves a style *name* by scanning every
    style for each paragraph, which made a report with hundreds of rows take tens of seconds.
    """
    for values in rows:
        row = added.add_row()
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for cell, value, spec in zip(row.cells, values, columns, strict=True):
            cell.width = Cm(spec.width_cm)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            paragraph_ = cell.paragraphs[0]
            paragraph_._p.style = style_id
            if spec.centered:
                paragraph_.alignment = CENTER
            if value:
                add_run(paragraph_, value, SONG, CELL_SIZE)
