"""Demo coordination issues (协调事项): about 60 over the 217 projects (proportional to the portfolio, at most
300), raised over the three months before the demo's date, some resolved on time, some late, some still open
— the open overdue ones are escalated by the ``issue_tick(today=as_of)`` the demo runs after this.

Deterministic (``random.Random(2026)``, rows in pk order) and bulk (a fixed number of queries).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from zoneinfo import ZoneInfo

SEED = 2026
PER_PROJECT = 60 / 217
CAP = 300
WINDOW_DAYS = 90
SHANGHAI = ZoneInfo("Asia/Shanghai")

# Category → (responsible departments, preferred first; realistic titles).
CATALOGUE: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "land": (
        ("市规划和自然资源委员会区分局", "区不动产登记中心"),
        (
            "地块内高压线迁改",
            "征地拆迁剩余两户未签约",
            "土地出让合同补充协议签订",
            "地块移交前场地平整",
            "临时用地手续办理",
        ),
    ),
    "planning": (
        ("市规划和自然资源委员会区分局", "区住房和城乡建设委员会"),
        ("规划条件调整", "建筑退线与相邻地块冲突", "设计方案审查意见反复", "容积率调整论证", "日照分析复核"),
    ),
    "environment": (
        ("市生态环境局区分局", "区水务局"),
        (
            "环评批复前置条件",
            "施工扬尘管控停工整改",
            "排污许可总量指标来源",
            "危废暂存间选址意见",
            "土壤污染状况调查",
        ),
    ),
    "utilities": (
        ("区水务局", "区城市管理委员会"),
        (
            "施工用水用电临时接入",
            "正式供电外线工程排期",
            "燃气管线接驳方案",
            "雨污水管网接驳",
            "热力外线路由协调",
        ),
    ),
    "funding": (
        ("区财政局", "区发展和改革委员会"),
        ("专项债资金拨付", "中央预算内投资申报", "配套资金到位滞后", "贷款贴息资金兑现", "政府投资概算调整"),
    ),
    "policy": (
        ("区发展和改革委员会", "区经济和信息化局", "区商务局"),
        (
            "固定资产投资补贴兑现",
            "人才公寓配租政策",
            "能耗指标统筹",
            "首台套政策适用认定",
            "研发费用加计扣除辅导",
        ),
    ),
    "other": (
        ("区交通局", "区住房和城乡建设委员会", "区政务服务管理局"),
        ("施工围挡占道审批", "渣土消纳场地协调", "周边道路交通组织", "夜间施工许可", "项目周边居民诉求"),
    ),
}
CATEGORY_WEIGHTS = {
    "land": 3,
    "planning": 3,
    "environment": 2,
    "utilities": 3,
    "funding": 2,
    "policy": 1,
    "other": 1,
}
DEADLINES = (3, 5, 5, 5, 7, 10, 10, 15)
# What has become of an issue by the demo's date (open overdue ones at escalation level 1–3 after the tick).
OUTCOME_WEIGHTS = (
    ("on_time", 36),
    ("late", 20),
    ("pending", 16),
    ("overdue_1", 10),
    ("overdue_2", 9),
    ("overdue_3", 9),
)
OUTCOMES = [name for name, _ in OUTCOME_WEIGHTS]
PROGRESS_NOTES = (
    "已与责任单位对接，约定本周现场踏勘。",
    "责任单位已出具书面意见，正在落实。",
    "已提请调度会协调，等待会议决定。",
    "企业补充材料已提交，责任单位审核中。",
)
RESOLUTIONS = (
    "经现场协调，责任单位已出具办理意见，问题解决。",
    "已按调度会要求完成办理，企业确认。",
    "相关手续已办结，后续由企业按计划推进。",
)


def load(*, as_of: dt.date) -> None:
    from daiban.catalogue.selectors import work_calendar

    rng, cal = random.Random(SEED), work_calendar()
    facts = _Facts.read()
    if not facts.projects or not facts.departments:
        return
    count = min(CAP, max(1, round(len(facts.projects) * PER_PROJECT)))
    chosen = sorted(rng.sample(facts.projects, min(count, len(facts.projects))), key=lambda p: p["id"])
    from daiban.coordination.selectors import escalation_ladder, ladder_rungs

    rungs = ladder_rungs(escalation_ladder())
    _write([_plan(rng, cal, rungs, facts, project, as_of) for project in chosen], facts, cal)


def clear() -> None:
    from daiban.coordination.models import CoordinationIssue, IssueAttachment, IssueComment, IssueHolding

    for model in (IssueAttachment, IssueComment, IssueHolding, CoordinationIssue):
        model.all_objects.all().delete()


class _Facts:
    """What the plan needs of the portfolio: projects with their butler, team and department; users."""

    @classmethod
    def read(cls) -> _Facts:
        from daiban.accounts.models import Department, User
        from daiban.projects.models import Project

        facts = cls()
        facts.projects = list(
            Project.objects.order_by("pk").values("id", "butler_id", "responsible_department_id")
        )
        facts.departments = dict(Department.objects.values_list("name", "id"))
        facts.department_names = {pk: name for name, pk in facts.departments.items()}
        facts.specialists_by_department = defaultdict(list)
        for pk, department_id in (
            User.objects.filter(role="specialist", is_active=True)
            .order_by("pk")
            .values_list("pk", "department_id")
        ):
            facts.specialists_by_department[department_id].append(pk)
        facts.team = defaultdict(set)
        through = Project.specialists.through.objects.values_list("project_id", "user_id")
        for project_id, user_id in through:
            facts.team[project_id].add(user_id)
        return facts


def _plan(rng: random.Random, cal, rungs, facts: _Facts, project: dict, as_of: dt.date) -> dict:
    categories = list(CATEGORY_WEIGHTS)
    category = rng.choices(categories, weights=[CATEGORY_WEIGHTS[c] for c in categories])[0]
    departments, titles = CATALOGUE[category]
    known = [facts.departments[name] for name in departments if name in facts.departments]
    department = known[0] if known and rng.random() < 0.7 else (rng.choice(known) if known else None)
    if department is None:
        department = project["responsible_department_id"] or next(iter(facts.departments.values()))
    pool = facts.specialists_by_department.get(department, [])
    serving = [pk for pk in pool if pk in facts.team[project["id"]]]
    assignee = (serving or pool or [None])[0] if rng.random() < 0.8 else None
    deadline = rng.choice(DEADLINES)
    outcome = rng.choices(OUTCOMES, weights=[weight for _, weight in OUTCOME_WEIGHTS])[0]
    raised_on = _raised_for(rng, cal, rungs, as_of, deadline, outcome)
    due_on = cal.add_workdays(raised_on, deadline)
    resolved_on = None
    if outcome == "on_time":
        latest = min(cal.workdays_between(raised_on, due_on), max(1, cal.workdays_between(raised_on, as_of)))
        resolved_on = min(as_of, cal.add_workdays(raised_on, rng.randint(1, latest)))
    elif outcome == "late":
        resolved_on = min(as_of, cal.add_workdays(due_on, rng.randint(1, 12)))
    status = "open"
    if resolved_on is not None:
        status = "closed" if rng.random() < 0.6 and resolved_on < as_of else "resolved"
    elif rng.random() < 0.6:
        status = "in_progress"
    meeting = rng.random() < 0.2
    return {
        "project": project,
        "title": rng.choice(titles),
        "category": category,
        "department_id": department,
        "assignee_id": assignee,
        "deadline_days": deadline,
        "raised_on": raised_on,
        "due_on": due_on,
        "status": status,
        "resolved_on": resolved_on,
        "closed_on": min(as_of, resolved_on + dt.timedelta(days=rng.randint(0, 5)))
        if status == "closed"
        else None,
        "resolution": rng.choice(RESOLUTIONS) if resolved_on else "",
        "source": "meeting" if meeting else "team",
        "source_note": f"{raised_on.month}月调度会议定" if meeting else "",
        "notes": rng.sample(PROGRESS_NOTES, rng.randint(0, 2)),
    }


def _raised_for(rng: random.Random, cal, rungs, as_of: dt.date, deadline: int, outcome: str) -> dt.date:
    """A raising day in the last ``WINDOW_DAYS`` days that gives ``outcome`` as of ``as_of``: not yet due
    (pending), overdue and at escalation level k (overdue_k), overdue (late: resolved after the due date), or
    any (on time). Tries a few random days; the last one tried is kept if none fits."""
    from daiban.core import supervision

    day = as_of
    for _ in range(40):
        day = as_of - dt.timedelta(days=rng.randint(1, WINDOW_DAYS))
        reading = supervision.read(
            raised_on=day, deadline_days=deadline, rungs=rungs, calendar=cal, today=as_of
        )
        fits = {
            "on_time": True,
            "late": reading.overdue,
            "pending": not reading.overdue,
        }.get(outcome, reading.overdue and f"overdue_{reading.level}" == outcome)
        if fits:
            break
    return day


def _write(plans: list[dict], facts: _Facts, cal) -> None:
    """Issues, their holdings (for the resolved ones: each level reached before the resolution), comments
    and one audit entry per table — in bulk."""
    from daiban.audit.models import AuditAction, AuditEntry
    from daiban.coordination.models import CoordinationIssue, IssueComment, IssueHolding
    from daiban.coordination.selectors import escalation_ladder, ladder_rungs
    from daiban.coordination.services.holders import Directory, IssueRef
    from daiban.core import supervision

    ladder, directory = escalation_ladder(), Directory.load()
    rungs = ladder_rungs(ladder)
    issues, readings = [], []
    for plan in plans:
        project, when = plan["project"], _moment(plan["raised_on"])
        # A resolved issue keeps the level it reached while open; open ones are escalated by the tick.
        reading = supervision.read_from_due(
            raised_on=plan["raised_on"],
            due_on=plan["due_on"],
            rungs=rungs,
            calendar=cal,
            today=plan["resolved_on"] or plan["raised_on"],
            base_name=ladder[0].name,
        )
        readings.append(reading)
        resolved = plan["resolved_on"] is not None
        issues.append(
            CoordinationIssue(
                project_id=project["id"],
                title=plan["title"],
                description=_description(plan, facts),
                category=plan["category"],
                department_id=plan["department_id"],
                assignee_id=plan["assignee_id"],
                deadline_days=plan["deadline_days"],
                raised_on=plan["raised_on"],
                due_on=plan["due_on"],
                status=plan["status"],
                resolution=plan["resolution"],
                resolved_on=plan["resolved_on"],
                closed_on=plan["closed_on"],
                level=reading.level if resolved else 0,
                level_due_on=reading.level_due_on if resolved and reading.level else None,
                source=plan["source"],
                source_note=plan["source_note"],
                created_by_id=project["butler_id"],
                updated_by_id=project["butler_id"],
                created_at=when,
                updated_at=_moment(plan["resolved_on"] or plan["raised_on"]),
            )
        )
    issues = CoordinationIssue.objects.bulk_create(issues, batch_size=500)
    holdings, comments = [], []
    for issue, plan, reading in zip(issues, plans, readings, strict=True):
        ref = IssueRef(
            issue.pk,
            issue.project_id,
            issue.title,
            issue.department_id,
            issue.assignee_id,
            plan["project"]["butler_id"],
        )
        for level in range(issue.level + 1):
            span, holding = reading.spans[level], directory.holding(ladder[level], ref)
            last = level == issue.level
            ended = (issue.resolved_on if last else span.due_on) if issue.resolved_on else None
            holdings.append(
                IssueHolding(
                    issue_id=issue.pk,
                    level=level,
                    level_name=ladder[level].name,
                    holder_label=holding.label[:200],
                    holder=holding.user,
                    started_on=span.starts_on,
                    due_on=span.due_on,
                    ended_on=max(ended, span.starts_on) if ended else None,
                    reason="交办" if level == 0 else f"{reading.spans[level - 1].name}逾期未办结，升级督办",
                    created_at=_moment(span.starts_on),
                )
            )
        for offset, note in enumerate(plan["notes"], start=1):
            day = min(plan["resolved_on"] or dt.date.max, cal.add_workdays(issue.raised_on, offset * 2))
            comments.append(
                IssueComment(
                    issue_id=issue.pk,
                    body=note,
                    created_by_id=issue.assignee_id or issue.created_by_id,
                    created_at=_moment(day),
                    updated_at=_moment(day),
                )
            )
    IssueHolding.objects.bulk_create(holdings, batch_size=1000)
    IssueComment.objects.bulk_create(comments, batch_size=1000)
    AuditEntry.objects.bulk_create(
        AuditEntry(
            actor_name="系统",
            action=AuditAction.IMPORT,
            model_label=model._meta.label_lower,
            object_id="*",
            object_repr=f"{model._meta.verbose_name} {count} 条",
            note="演示数据批量载入",
        )
        for model, count in (
            (CoordinationIssue, len(issues)),
            (IssueHolding, len(holdings)),
            (IssueComment, len(comments)),
        )
        if count
    )


def _description(plan: dict, facts: _Facts) -> str:
    department = facts.department_names.get(plan["department_id"], "责任单位")
    title, days = plan["title"], plan["deadline_days"]
    return f"项目推进中遇到“{title}”问题，需{department}协调解决，请于 {days} 个工作日内办结。"


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9, 30), tzinfo=SHANGHAI)
