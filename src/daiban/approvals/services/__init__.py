"""Writes for approval cases: generation from the handbook, recorded progress, re-planning, SLA and lights.

``actor=None`` means the system (project creation hooks, the CLI, the daily tick): permitted, audited as 系统.
"""

from daiban.approvals.services.common import can_record_case, today
from daiban.approvals.services.daily import TickResult, tick
from daiban.approvals.services.generation import cases_generate, project_plan_start, project_replan
from daiban.approvals.services.recording import (
    case_extend,
    case_record_acceptance,
    case_record_decision,
    case_record_submission,
    case_resume,
    case_suspend,
)

__all__ = [
    "TickResult",
    "can_record_case",
    "case_extend",
    "case_record_acceptance",
    "case_record_decision",
    "case_record_submission",
    "case_resume",
    "case_suspend",
    "cases_generate",
    "project_plan_start",
    "project_replan",
    "tick",
    "today",
]
