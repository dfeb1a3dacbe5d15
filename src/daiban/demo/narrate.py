"""Recording the scripted demo projects through the services, as people would have.

The showcase and the projects with a case scripted to be overdue, due soon, suspended or running normally
are the ones a demo walks through, so their history goes through the same services a page or the API calls
— milestones, case generation, each submission, acceptance, suspension and decision, monthly investment —
with validation, permissions, versions and an audit trail that reads as in real use: the dispatcher records
milestones, the project's butler records its approvals and investment.

Note: the rest of the district is written by ``daiban.demo.bulk`` (the same data through the same bridge
functions): recording its ~5,000 cases event by event would take many minutes on a small machine.
"""

from __future__ import annotations

from daiban.accounts.models import User
from daiban.approvals import services as approvals
from daiban.approvals.models import ApprovalCase
from daiban.core.errors import DomainError
from daiban.demo.district import District, ProjectSpec
from daiban.demo.progress import CaseActual
from daiban.investment.services import investment_record
from daiban.projects.models import Project
from daiban.projects.services import milestone_record

MILESTONE_ORDER = ("signed", "registered", "land_acquired", "started", "completed", "producing")


NARRATED = ("showcase", "fate:overdue", "fate:warning", "fate:suspended", "fate:normal")


def is_narrated(spec: ProjectSpec) -> bool:
    """The showcase and the projects with a case scripted to be open in each clock state."""
    return spec.role in NARRATED


def narrate(district: District, projects: list[Project], users: dict[str, User]) -> None:
    """Record the scripted projects' histories (their rows exist, without cases, milestones or reports)."""
    dispatcher = users[district.logins["dispatcher"]]
    for project, spec in zip(projects, district.projects, strict=True):
        if is_narrated(spec):
            _project(spec, project, district, dispatcher, users[spec.butler])


# ------------------------------------------------------------------------------------------ one project


def _project(spec: ProjectSpec, project: Project, district: District, dispatcher, butler) -> None:
    # Note: the approval plan starts at the 拿地 date (planned, until it happens), so the baseline of a
    # project whose approvals began long ago starts then, not today.
    first = min(actual.accepted_on for actual in spec.cases.values() if actual.accepted_on)
    milestone_record(actor=dispatcher, project=project, kind_code="land_acquired", planned_on=first)
    approvals.cases_generate(actor=dispatcher, project=project)
    _record_cases(spec, project, butler)
    for code, day in spec.milestones.items():
        milestone_record(actor=dispatcher, project=project, kind_code=code, actual_on=day)
    for month in spec.months:
        investment_record(
            actor=butler,
            project=project,
            year=district.year,
            month=month.month,
            amount=month.amount,
            funds_in_place=month.funds_in_place,
        )
    # The services plan what is still open from the real today; the demo is a picture as of its own date.
    approvals.project_replan(project=project, status_date=district.as_of)


def _record_cases(spec: ProjectSpec, project: Project, butler) -> None:
    """Each case's submission, acceptance, pauses and decision, in the order they happened."""
    cases = {case.item_code: case for case in ApprovalCase.objects.filter(project=project)}
    if set(cases) != set(spec.cases):
        raise DomainError(f"演示项目“{project}”的办件与事项库不一致，请检查事项库")
    happened = sorted(
        (actual for actual in spec.cases.values() if actual.submitted_on),
        key=lambda actual: (actual.accepted_on or actual.submitted_on, cases[actual.code].catalogue_order),
    )
    for actual in happened:
        _record_case(cases[actual.code], actual, butler)


def _record_case(case: ApprovalCase, actual: CaseActual, actor) -> None:
    case = approvals.case_record_submission(
        actor=actor, case=case, expected_version=None, submitted_on=actual.submitted_on
    )
    if actual.accepted_on is None:
        return
    case = approvals.case_record_acceptance(
        actor=actor, case=case, expected_version=None, accepted_on=actual.accepted_on
    )
    for pause in actual.suspensions:
        case = approvals.case_suspend(
            actor=actor, case=case, expected_version=None, start=pause.start, reason=pause.reason
        )
        if pause.end is not None:
            case = approvals.case_resume(actor=actor, case=case, expected_version=None, end=pause.end)
    if actual.decided_on is not None:
        approvals.case_record_decision(
            actor=actor,
            case=case,
            expected_version=None,
            decided_on=actual.decided_on,
            result="approved",
            commitment_used=case.commitment and actual.decided_on == actual.accepted_on,
        )
