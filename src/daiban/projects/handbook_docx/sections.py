"""The parts of the handbook, in order: cover, 一 概况, 二 审批事项, 三 申报材料, 四 代办计划, 五 节点计划."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from docx.document import Document as DocxDocument

from daiban.approvals.models import ApprovalCase, DayUnit
from daiban.approvals.selectors import GanttRow, ProjectGantt
from daiban.core.catalogue import STAGES
from daiban.projects.handbook_docx.word import (
    CENTER,
    HEI,
    KAI,
    Column,
    SpanRow,
    body,
    heading,
    paragraph,
    shade,
    start_numbered_section,
    table,
)
from daiban.projects.models import Project
from daiban.projects.selectors import MilestoneRow

STAR = "★"
DASH = "—"
CHINESE_NUMBERS = "一二三四五六七八九十"
LEGEND = (
    f"说明：标注“{STAR}”并加粗的事项位于关键路径上（机动时间为 0 个工作日），"
    "其中任一事项延误都将推迟整个审批计划的完成时间；其余事项可在所列机动时间内调整。"
)
# Note: "20个工作日" needs 2.5 cm at 五号 (with the space Word puts between digits and Chinese).
ITEM_COLUMNS = (
    Column("序号", 0.9, centered=True),
    Column("审批事项", 3.3),
    Column("审批部门（层级）", 3.6),
    Column("法定时限", 2.5, centered=True),
    Column("承诺时限", 2.5, centered=True),
    Column("办理方式", 2.8, centered=True),
)
PLAN_COLUMNS = (
    Column("序号", 0.9, centered=True),
    Column("审批事项", 3.6),
    Column("审批部门", 3.0),
    Column("计划开始", 2.6, centered=True, never_bold=True),
    Column("计划完成", 2.6, centered=True, never_bold=True),
    Column("机动时间（工作日）", 1.6, centered=True),
    Column("关键路径", 1.3, centered=True),
)


@dataclass(frozen=True)
class TeamMember:
    role: str
    name: str
    department: str
    phone: str


@dataclass(frozen=True)
class HandbookData:
    project: Project
    team: list[TeamMember]
    cases: list[ApprovalCase]  # by statutory stage, then catalogue order
    gantt: ProjectGantt
    milestones: list[MilestoneRow]
    issued_on: dt.date
    today: dt.date


def write_sections(document: DocxDocument, data: HandbookData) -> None:
    _cover(document, data)
    start_numbered_section(document)
    _summary(document, data)
    _items(document, data.cases)
    _materials(document, data.cases)
    _plan(document, data.gantt)
    _milestones(document, data.milestones, data.today)


def _cover(document: DocxDocument, data: HandbookData) -> None:
    project = data.project
    paragraph(document, "", space_before=48)
    paragraph(document, "重大项目全程代办服务手册", font=HEI, size=26, align=CENTER)
    paragraph(document, "（一项目一册）", font=KAI, size=18, align=CENTER, space_before=8)
    paragraph(document, project.name, font=HEI, size=20, align=CENTER, space_before=36, space_after=24)
    facts = [
        ("项目单位", project.enterprise.name if project.enterprise else DASH),
        ("项目代码", project.project_code or "（尚未赋码）"),
        ("项目类别", project.get_category_display()),
        ("产业领域", project.industry or DASH),
        ("建设地点", project.location or DASH),
        ("总投资", f"{_money(project.total_investment)} 万元"),
        ("责任单位", project.responsible_department.name if project.responsible_department else DASH),
    ]
    for cells in table(document, (Column("", 3.0, centered=True), Column("", 12.6)), facts, header=False):
        shade(cells[0], "F2F2F2")
    paragraph(document, "服务团队", font=HEI, size=14, space_before=18, space_after=6)
    team = [(m.role, m.name, m.department or DASH, m.phone or DASH) for m in data.team]
    columns = (
        Column("角色", 2.6, True),
        Column("姓名", 2.6, True),
        Column("所属部门", 6.6),
        Column("联系电话", 3.8, True),
    )
    table(document, columns, team or [("项目管家", "（尚未指定）", DASH, DASH)])
    paragraph(document, f"印发日期：{_chinese_date(data.issued_on)}", size=14, align=CENTER, space_before=36)


def _summary(document: DocxDocument, data: HandbookData) -> None:
    heading(document, "一、办理概况", 1)
    cases = data.cases
    groups = [(label, [c for c in cases if c.stage == code]) for code, label in STAGES.items()]
    groups = [(label, group) for label, group in groups if group]
    counts = "，".join(f"{label}阶段 {len(group)} 项" for label, group in groups)
    commitments, gaps = _count(cases, "commitment"), _count(cases, "tolerated_gap")
    text = f"本项目共需办理审批事项 {len(cases)} 项" + (f"，其中{counts}" if counts else "")
    body(document, f"{text}。实行告知承诺的事项 {commitments} 项，可容缺受理的事项 {gaps} 项。")
    rows = [(label, len(g), _count(g, "commitment"), _count(g, "tolerated_gap")) for label, g in groups]
    rows.append(("合计", len(cases), commitments, gaps))
    columns = (Column("审批阶段", 6.6), Column("事项数", 3.0, True), Column("告知承诺", 3.0, True),
               Column("容缺受理", 3.0, True))  # fmt: skip
    table(document, columns, rows, bold_rows={len(rows) - 1})
    body(document, _duration_text(data.gantt), space_before=8)


def _count(cases: Iterable[ApprovalCase], flag: str) -> int:
    return sum(bool(getattr(case, flag)) for case in cases)


def _duration_text(gantt: ProjectGantt) -> str:
    if gantt.conventional_days is None or gantt.agency_days is None:
        return "审批计划尚未编制，编制后将列明常规办理与全程代办的用时对比。"
    text = (
        f"自启动审批至施工许可阶段办结，按常规模式逐项办理约需 {gantt.conventional_days} 个工作日；"
        f"实行全程代办（并联审批、告知承诺、承诺时限）后，计划用时 {gantt.agency_days} 个工作日"
    )
    if gantt.compression is not None:
        text += f"，压缩 {_percent(gantt.compression)}"
    finish = gantt.planned_finish or gantt.agency_finish
    if gantt.start and finish:
        start, finish = _chinese_date(gantt.start), _chinese_date(finish)
        text += f"。按代办计划，审批自{start}启动，全部事项预计于{finish}前办结"
    return text + "。"


def _items(document: DocxDocument, cases: list[ApprovalCase]) -> None:
    heading(document, "二、审批事项清单", 1)
    if not cases:
        body(document, "本项目尚未生成审批事项。")
        return
    names = {case.item_code: case.name for case in cases}
    number = 0
    for index, (code, label) in enumerate(STAGES.items()):
        group = [case for case in cases if case.stage == code]
        if not group:
            continue
        kind = "事项" if code == "parallel" else "阶段"
        heading(document, f"（{CHINESE_NUMBERS[index]}）{label}{kind}（{len(group)} 项）", 2)
        rows: list = []
        for case in group:
            number += 1
            rows.append((number, *_item_cells(case)))
            details = _item_details(case, names)
            if details:
                rows.append(SpanRow(details))
        table(document, ITEM_COLUMNS, rows)


def _item_cells(case: ApprovalCase) -> tuple[str, ...]:
    statutory = _limit(case.statutory_days, case.statutory_unit)
    if case.extension_days and case.statutory_days:
        statutory += f"\n可延长{case.extension_days}个{_unit(case.statutory_unit)}"
    promised = _limit(case.promised_days, case.promised_unit)
    return (case.name, _department(case), statutory, promised, _handling(case))


def _item_details(case: ApprovalCase, names: dict[str, str]) -> str:
    """The line under an item: its prerequisites by name and its notes (告知承诺, 容缺, why it applies)."""
    # Note: only prerequisites among the project's cases, as approvals.planning reads them: one that does not
    # apply to this project is not required of it.
    prerequisites = [names[code] for code in _texts(case.prerequisites) if code in names]
    lines = [f"前置事项：{'、'.join(prerequisites)}"] if prerequisites else []
    notes = [note.rstrip("。；") for note in _texts(case.notes)]
    return "\n".join(lines + ([f"说明：{'；'.join(notes)}。"] if notes else []))


def _materials(document: DocxDocument, cases: list[ApprovalCase]) -> None:
    heading(document, "三、申报材料清单", 1)
    rows = [
        (
            n,
            f"{case.name}\n（{_department_name(case)}）",
            _numbered(_texts(case.materials)) or "（无需另行提交材料）",
        )
        for n, case in enumerate(cases, 1)
    ]
    if rows:
        columns = (Column("序号", 0.9, True), Column("审批事项（审批部门）", 5.0), Column("申报材料", 9.7))
        table(document, columns, rows)
    body(
        document,
        "注：材料以审批部门最新公布的办事指南为准；容缺受理的事项可先行受理，所缺材料在约定时限内补齐。",
        space_before=8,
    )


def _plan(document: DocxDocument, gantt: ProjectGantt) -> None:
    heading(document, "四、代办计划与关键路径", 1)
    body(document, LEGEND)
    planned = [(row, row.current or row.agency) for row in gantt.rows]
    planned.sort(
        key=lambda pair: pair[1].start if pair[1] else dt.date.max
    )  # stable: stage order breaks ties
    rows = [_plan_cells(n, row, bar) for n, (row, bar) in enumerate(planned, 1)]
    critical = {index for index, (_, bar) in enumerate(planned) if bar and bar.critical}
    if rows:
        table(document, PLAN_COLUMNS, rows, bold_rows=critical)


def _plan_cells(number: int, row: GanttRow, bar) -> tuple[object, ...]:
    start, finish = (bar.start, bar.finish) if bar else (None, None)
    total_float = DASH if row.total_float is None else row.total_float
    return (number, row.name, row.department or DASH, _iso(start), _iso(finish), total_float,
            STAR if bar and bar.critical else "")  # fmt: skip


def _milestones(document: DocxDocument, chain: list[MilestoneRow], today: dt.date) -> None:
    heading(document, "五、项目节点计划（一链式）", 1)
    rows = [
        (n, row.kind.name, _iso(row.planned_on), _iso(row.actual_on), _milestone_state(row, today))
        for n, row in enumerate(chain, 1)
    ]
    columns = (Column("序号", 1.2, True), Column("节点", 3.4, True), Column("计划日期", 3.4, True),
               Column("实际日期", 3.4, True), Column("完成情况", 4.2, True))  # fmt: skip
    table(document, columns, rows)


def _milestone_state(row: MilestoneRow, today: dt.date) -> str:
    planned, actual = row.planned_on, row.actual_on
    if actual:
        late = (actual - planned).days if planned else 0
        return f"已完成（晚于计划 {late} 天）" if late > 0 else "已完成"
    if planned and planned < today:
        return f"未完成（已超计划 {(today - planned).days} 天）"
    return "未到期" if planned else "未排计划"


# ------------------------------------------------------------------------------------------ cell texts


def _department_name(case: ApprovalCase) -> str:
    return case.department.name if case.department else (case.department_name or DASH)


def _department(case: ApprovalCase) -> str:
    marks = [case.get_level_display()] + (["赋权"] if case.delegated else [])
    return f"{_department_name(case)}（{'，'.join(marks)}）"


def _unit(unit: str) -> str:
    return dict(DayUnit.choices).get(unit, unit)


def _limit(days: int | None, unit: str) -> str:
    if days is None:
        return DASH
    return "即办" if days == 0 else f"{days}个{_unit(unit)}"


def _handling(case: ApprovalCase) -> str:
    modes = [
        label for flag, label in ((case.commitment, "告知承诺"), (case.tolerated_gap, "容缺受理")) if flag
    ]
    return "\n".join(modes) or "常规办理"


def _texts(value: object) -> list[str]:
    """A JSON list (or a single text) as its non-empty strings."""
    items = value if isinstance(value, list) else [value] if value else []
    return [str(item).strip() for item in items if str(item).strip()]


def _numbered(texts: Iterable[str]) -> str:
    return "\n".join(f"{n}. {text}" for n, text in enumerate(texts, 1))


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else DASH


def _chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _money(value: Decimal) -> str:
    return f"{Decimal(value):,.2f}".rstrip("0").rstrip(".")


def _percent(rate: float) -> str:
    return f"{rate * 100:.1f}".rstrip("0").rstrip(".") + "%"
