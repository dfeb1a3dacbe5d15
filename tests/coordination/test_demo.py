"""The demo's coordination issues (daiban.demo.issues), on a small portfolio made with the factories: every
lifecycle state, escalated ones at levels 1–3 after the demo's tick, history consistent with the clock,
deterministic, and cleared."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from daiban.coordination.models import CoordinationIssue, IssueHolding
from daiban.coordination.selectors import issue_reading
from daiban.coordination.services import issue_tick
from daiban.demo import issues as demo_issues

AS_OF = dt.date(2026, 11, 23)


@pytest.fixture
def portfolio(project_factory, department_factory, user_factory, monkeypatch):
    """60 projects with butlers, the demo's responsible departments with a specialist each; one issue per
    project (the demo's 60/217 ratio raised to 1 so a small portfolio shows every case)."""
    monkeypatch.setattr(demo_issues, "PER_PROJECT", 1.0)
    names = sorted({name for departments, _ in demo_issues.CATALOGUE.values() for name in departments})
    for k, name in enumerate(names):
        department = department_factory(name=name, head_name=f"负责人{k}")
        user_factory(username=f"s{k}", role="specialist", department=department)
    user_factory(username="lead", full_name="区领导甲", role="leader")
    butlers = [user_factory(username=f"b{k}", role="butler") for k in range(4)]
    return [project_factory(butler=butlers[k % 4]) for k in range(60)]


def load() -> list:
    demo_issues.load(as_of=AS_OF)
    issue_tick(today=AS_OF)
    return list(CoordinationIssue.objects.select_related("project").order_by("pk"))


def test_issues_cover_the_lifecycle(portfolio):
    issues = load()
    assert len(issues) == 60
    assert set(Counter(issue.status for issue in issues)) == {"open", "in_progress", "resolved", "closed"}
    resolved = [i for i in issues if i.resolved_on]
    assert any(i.resolved_on <= i.due_on for i in resolved) and any(
        i.resolved_on > i.due_on for i in resolved
    )
    assert {0, 1, 2, 3} <= {i.level for i in issues if i.is_active}
    assert all(i.created_by_id == i.project.butler_id for i in issues)
    assert all(AS_OF - dt.timedelta(days=90) <= i.raised_on < AS_OF for i in issues)
    assert all(i.resolved_on is None or i.raised_on < i.resolved_on <= AS_OF for i in issues)


def test_stored_levels_and_history_match_the_clock(portfolio):
    for issue in load():
        reading = issue_reading(issue, AS_OF)
        if issue.is_active:
            assert issue.level == reading.level
        holdings = list(IssueHolding.objects.filter(issue=issue).order_by("level"))
        assert [h.level for h in holdings] == list(range(issue.level + 1))
        assert [h.started_on for h in holdings] == [
            span.starts_on for span in reading.spans[: issue.level + 1]
        ]


def test_deterministic_and_cleared(portfolio):
    first = [(i.title, i.raised_on, i.status, i.level) for i in load()]
    demo_issues.clear()
    assert not CoordinationIssue.all_objects.exists() and not IssueHolding.all_objects.exists()
    assert [(i.title, i.raised_on, i.status, i.level) for i in load()] == first
    assert (issue_tick(today=AS_OF).escalated, issue_tick(today=AS_OF).notified) == (0, 0)
