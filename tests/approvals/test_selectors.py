"""Reads of approval cases: scoped by project visibility, ordered for people, Gantt rows of both scenarios."""

from __future__ import annotations

import pytest

from daiban.approvals.selectors import cases_due_soon, cases_for_project, cases_overdue, project_gantt
from daiban.approvals.services import case_record_acceptance, case_record_submission, cases_generate, tick
from daiban.core.catalogue import STAGES
from daiban.projects.models import Project

from .conftest import T0, case_of

pytestmark = pytest.mark.django_db


def accept(case, on):
    case = case_record_submission(actor=None, case=case, expected_version=case.version, submitted_on=on)
    return case_record_acceptance(actor=None, case=case, expected_version=case.version, accepted_on=on)


def test_cases_of_a_project_come_by_statutory_stage(generated, butler):
    stages = [case.stage for case in cases_for_project(user=butler, project=generated)]
    ranks = [list(STAGES).index(stage) for stage in stages]
    assert ranks == sorted(ranks) and stages[0] == "land_planning" and stages[-1] == "parallel"


def test_a_project_out_of_scope_does_not_exist(generated, other_butler, enterprise_user, other_project):
    with pytest.raises(Project.DoesNotExist):
        list(cases_for_project(user=other_butler, project=generated))
    assert list(cases_for_project(user=enterprise_user, project=generated))  # the enterprise sees its own
    with pytest.raises(Project.DoesNotExist):
        project_gantt(user=enterprise_user, project=other_project)


def test_overdue_and_due_soon_lists(generated, other_project, clock, cal, butler, other_butler, leader):
    cases_generate(actor=None, project=other_project)
    late = accept(case_of(generated, "land_use_planning_permit"), T0)  # due T0 + 5
    soon = accept(case_of(generated, "cultural_relic_survey"), T0)  # due T0 + 20
    elsewhere = accept(case_of(other_project, "land_use_planning_permit"), T0)
    day = cal.add_workdays(T0, 18)
    tick(today=day)
    assert {case.pk for case in cases_overdue(user=leader)} == {late.pk, elsewhere.pk}
    assert [case.pk for case in cases_overdue(user=butler)] == [late.pk]
    assert [case.pk for case in cases_overdue(user=other_butler)] == [elsewhere.pk]
    assert [case.pk for case in cases_due_soon(user=butler, within_days=2, today=day)] == [soon.pk]
    assert list(cases_due_soon(user=butler, within_days=1, today=day)) == []
    assert list(cases_due_soon(user=other_butler, within_days=5, today=day)) == []


def test_gantt_rows_carry_both_scenarios_with_critical_flags(generated, butler):
    gantt = project_gantt(user=butler, project=generated)
    assert len(gantt.rows) == len(list(cases_for_project(user=butler, project=generated)))
    assert all(row.conventional and row.agency and row.current for row in gantt.rows)
    assert any(row.conventional.critical for row in gantt.rows)
    assert any(row.agency.critical for row in gantt.rows)
    assert {row.code for row in gantt.rows if row.agency.critical} != {row.code for row in gantt.rows}
    assert gantt.start == T0 and gantt.agency_finish < gantt.conventional_finish
    assert 0 < gantt.agency_days < gantt.conventional_days
    assert gantt.compression == pytest.approx(1 - gantt.agency_days / gantt.conventional_days)
