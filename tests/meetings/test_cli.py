"""`daiban report dispatch` and `daiban meeting`: files written, dashboard figures, one-line errors."""

from __future__ import annotations

import io
import os
import stat

import pytest
from docx import Document
from python_calamine import CalamineWorkbook

from daiban.cli import main as cli_main
from daiban.meetings.models import DispatchMeeting
from daiban.projects.dashboard import dashboard_figures

pytestmark = pytest.mark.django_db


def test_report_dispatch_word_and_excel(portfolio, admin_user, tmp_path, capsys):
    docx = tmp_path / "out" / "调度报告.docx"
    assert cli_main(["report", "dispatch", "--from", "2026-06-01", "--to", "2026-06-14", str(docx)]) == 0
    out = capsys.readouterr().out
    assert "2026-06-01 至 2026-06-14" in out and "清单项目 3 个" in out
    rows = [[c.text for c in row.cells] for t in Document(str(docx)).tables for row in t.rows]
    expected = dashboard_figures(user=admin_user, year=2026, month=6)
    assert ["逾期办件（件）", str(expected.overdue_total)] in rows
    xlsx = tmp_path / "r.xlsx"
    assert cli_main(["report", "dispatch", "--from", "2026-06-01", "--to", "2026-06-14", str(xlsx)]) == 0
    book = CalamineWorkbook.from_filelike(io.BytesIO(xlsx.read_bytes()))
    summary = dict(row[:2] for row in book.get_sheet_by_name("总体情况").to_python() if len(row) > 1)
    assert summary["清单项目（个）"] == expected.project_count


def test_report_dispatch_as_a_butler_is_scoped(portfolio, butler, tmp_path, capsys):
    path = tmp_path / "r.docx"
    assert cli_main(["report", "dispatch", "--to", "2026-06-14", "--user", "butler", str(path)]) == 0
    assert "清单项目 1 个" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--from", "2026-02-30"], "日期 “2026-02-30” 无效"),
        (["--from", "2026-06-14", "--to", "2026-06-01"], "不能晚于截止日期"),
        (["--user", "nobody"], "找不到用户"),
    ],
)
def test_report_errors_are_one_line(portfolio, tmp_path, capsys, argv, message):
    assert cli_main(["report", "dispatch", *argv, str(tmp_path / "r.docx")]) == 1
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_report_to_an_unwritable_path(portfolio, tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert cli_main(["report", "dispatch", str(blocker / "r.docx")]) == 1
    assert "无法写入" in capsys.readouterr().err
    assert cli_main(["report", "dispatch", str(tmp_path / "r.pdf")]) == 1
    assert ".docx 或 .xlsx" in capsys.readouterr().err


def test_meeting_create_and_list(portfolio, tmp_path, capsys):
    assert cli_main(["meeting", "create", "--date", "2026-06-15", "--location", "区政府"]) == 0
    assert "议程 2 项" in capsys.readouterr().out
    meeting = DispatchMeeting.objects.get()
    assert meeting.created_by is None and meeting.location == "区政府"
    assert cli_main(["meeting", "list"]) == 0
    assert "第1次重大项目调度会" in capsys.readouterr().out
    assert cli_main(["meeting", "create", "--date", "2026-6-1"]) == 1


def test_report_file_is_readable_like_any_new_file(portfolio, tmp_path):
    """A report written for colleagues gets 0666 less the umask, not the temporary file's 0600."""
    path = tmp_path / "r.xlsx"
    old = os.umask(0o022)
    try:
        assert cli_main(["report", "dispatch", "--to", "2026-06-14", str(path)]) == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["r.xlsx"]
