"""The daily run (`daiban tick`, cron/systemd): clocks and lights, issue escalation, policy matching, then
the notifications those produce (in-app and e-mail). Every step is idempotent: a second run on the same day
changes nothing and sends nothing twice."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone


@dataclass(frozen=True)
class DailyResult:
    day: dt.date
    cases: object  # approvals.services.daily.TickResult
    issues: object  # coordination.services.IssueTickResult
    policies: object  # policies.services.PolicyTickResult
    notifications: object  # notifications.services.NotificationTickResult

    def lines(self) -> list[str]:
        first = f"{self.day.isoformat()} {self.cases}"
        return [first, *(str(part) for part in (self.issues, self.policies, self.notifications))]


def run_daily(*, today: dt.date | None = None, rule_set: str | None = None) -> DailyResult:
    from daiban.approvals.services import tick
    from daiban.coordination.services import issue_tick
    from daiban.notifications.services import notifications_tick
    from daiban.policies.services import policy_tick

    day = today or timezone.localdate()
    cases = tick(today=day, rule_set=rule_set)
    issues = issue_tick(today=day)
    policies = policy_tick(today=day)
    notifications = notifications_tick(today=day)
    return DailyResult(day, cases, issues, policies, notifications)
