"""The 调度报告 as a workbook: one sheet per section, numbers as numbers (rates as percentages)."""

from __future__ import annotations

from typing import IO

from daiban.meetings.report.figures import DispatchReport
from daiban.meetings.report.sections import report_sections
from daiban.projects.excel.exporting import AMOUNT_CELL, TEXT_CELL, write_typed
from daiban.projects.excel.template import Formats, open_workbook


def report_xlsx(report: DispatchReport, stream: IO[bytes], *, meeting=None) -> None:
    workbook = open_workbook(stream)
    formats = Formats(workbook)
    period = f"{report.date_from:%Y-%m-%d} 至 {report.date_to:%Y-%m-%d}"
    title = f"{meeting.title + ' ' if meeting else ''}调度报告 {period}"
    for section in report_sections(report):
        sheet = workbook.add_worksheet(section.title[:31])
        sheet.write_string(0, 0, title, formats.title)
        top = 1
        if section.note:
            sheet.write_string(1, 0, section.note)
            top = 2
        for col, (header, width, _kind) in enumerate(section.columns):
            sheet.write_string(top, col, header, formats.header)
            sheet.set_column(col, col, width)
        sheet.freeze_panes(top + 1, 0)
        for number, row in enumerate(section.rows, start=top + 1):
            for col, (value, (_, _, kind)) in enumerate(zip(row, section.columns, strict=True)):
                if kind == "mixed":
                    value, kind = value
                if kind == "decimal":
                    kind = AMOUNT_CELL
                write_typed(sheet, number, col, value, kind if kind else TEXT_CELL, formats)
    workbook.close()
