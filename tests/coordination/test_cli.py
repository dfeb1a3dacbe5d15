"""`daiban issue list` and `daiban issue show`: read-only, as the system or scoped by --user."""

from __future__ import annotations

import datetime as dt

import pytest

from daiban.cli import main as cli_main
from daiban.coordination.services import issue_comment, issue_tick

D = dt.date


@pytest.fixture
def issues(raise_issue, other_project, other_butler, water_specialist, leader):
    mine = raise_issue(assignee=water_specialist)
    other = raise_issue(
        actor=other_butler,
        project=other_project,
        title="专项债资金拨付",
        category="funding",
        deadline_days=250,
    )
    issue_comment(actor=leader, issue=mine, body="请尽快办理")
    issue_tick(today=D(2026, 3, 10))
    return mine, other


def test_list_everything_and_filters(issues, capsys):
    assert cli_main(["issue", "list"]) == 0
    out = capsys.readouterr().out
    assert "施工用水用电临时接入" in out and "专项债资金拨付" in out and "共 2 个" in out
    assert "督办1级" in out
    assert cli_main(["issue", "list", "--status", "resolved"]) == 0
    assert "没有符合条件的协调事项" in capsys.readouterr().out


def test_list_overdue_and_scoped(issues, capsys):
    assert cli_main(["issue", "list", "--overdue"]) == 0  # overdue as of today (the real date)
    out = capsys.readouterr().out
    assert "施工用水用电临时接入" in out and "专项债资金拨付" not in out
    assert cli_main(["issue", "list", "--user", "butler2"]) == 0
    out = capsys.readouterr().out
    assert "专项债资金拨付" in out and "施工用水用电临时接入" not in out


def test_show(issues, capsys):
    mine, _ = issues
    assert cli_main(["issue", "show", str(mine.pk)]) == 0
    out = capsys.readouterr().out
    assert f"#{mine.pk} 施工用水用电临时接入" in out
    assert "区水务局 陈水务" in out and "项目管家 张三" in out and "请尽快办理" in out
    assert "到期：2026-03-09" in out


def test_show_out_of_scope_is_one_line_error(issues, capsys):
    mine, _ = issues
    assert cli_main(["issue", "show", str(mine.pk), "--user", "butler2"]) != 0
    assert "不存在或不在权限范围内" in capsys.readouterr().err
