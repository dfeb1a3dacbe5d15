"""Excel import and export of the 项目清单 and the report workbooks.

Public API (imported lazily, so the pure modules ``cells`` and ``report`` load without Django):

- ``template_write(target, *, butlers=(), departments=())``                       — template.py
- ``project_list_import(*, actor, file, dry_run=False, max_bytes=None) -> ImportReport`` — importing.py
- ``projects_export(*, actor, stream, queryset_or_filters=None) -> int``           — exporting.py
- ``investment_export(*, actor, stream, year, month)``, ``overdue_export(*, actor, stream)`` — reports.py
- ``ImportReport``, ``ImportProblem``, ``RowOutcome`` — report.py; ``ImportFileError`` — reading.py

Modules: cells (parsing what people type), columns (the one column list), reading (workbook → rows),
resolve (names → rows, in bulk), planning (rows → create/update/unchanged), importing (writes).
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "template_write": "template",
    "project_list_import": "importing",
    "can_import_projects": "importing",
    "projects_export": "exporting",
    "investment_export": "reports",
    "overdue_export": "reports",
    "ImportReport": "report",
    "ImportProblem": "report",
    "RowOutcome": "report",
    "ImportFileError": "reading",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
