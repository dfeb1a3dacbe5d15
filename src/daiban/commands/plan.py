"""`daiban plan FILE`: plan a handbook on the working-day calendar and print the schedule.

FILE (JSON or YAML) holds either project facts (``facts:``) — tailored from the shipped catalogue and planned
in both scenarios with their compression — or an explicit network (``activities:`` + ``relations:``).
"""

from __future__ import annotations

import argparse
import json
import unicodedata
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from daiban.cli import CommandError
from daiban.core.planner import Activity, Relation, Schedule, plan

SCENARIOS = ("conventional", "agency", "both")
SCENARIO_TITLES = {
    "conventional": "常规审批（阶段串联、法定时限）",
    "agency": "全程代办（并联推进、承诺时限、告知承诺即办）",
    "plan": "计划",
}
UNIT_LABELS = {"working_days": "工作日", "natural_days": "自然日"}
ACTIVITY_KEYS = set(Activity.__dataclass_fields__)
RELATION_KEYS = set(Relation.__dataclass_fields__)
FACTS_FILE_KEYS = {"start", "facts"}
NETWORK_FILE_KEYS = {"start", "status_date", "finish_no_later_than", "activities", "relations"}
DATE_KEYS = ("start_no_earlier_than", "finish_no_later_than", "actual_start", "actual_finish")
MAX_PATHS_SHOWN = 5


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("plan", help="按工作日历编制审批计划（关键路径、时差、压缩率）")
    parser.add_argument(
        "file",
        metavar="FILE",
        type=Path,
        help="JSON 或 YAML 文件：facts（项目信息）或 activities + relations",
    )
    parser.add_argument("--json", action="store_true", help="以 JSON 输出")
    parser.add_argument(
        "--start",
        default=None,
        metavar="DATE",
        help="计划开始日期 YYYY-MM-DD（默认取文件中的 start，否则今天）",
    )
    parser.add_argument(
        "--scenario",
        choices=SCENARIOS,
        default=None,
        help="facts 文件显示哪种方案：conventional、agency 或 both（默认）",
    )
    # Note: no choices here: core.scenarios.compare checks the scope against its one list (SCOPES).
    parser.add_argument(
        "--scope",
        default="construction_permit",
        help="压缩率统计到哪个阶段：land_planning、works_permit、construction_permit（默认，取得施工许可）、"
        "acceptance 或 all",
    )
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from daiban.commands.calendar import parse_date
    from daiban.core.calendar import WorkCalendar

    data = read_file(args.file)
    calendar = WorkCalendar.default()
    start = parse_date(args.start) if args.start else _date(data, "start") or calendar.today()
    if "facts" in data:
        output = _facts_plan(
            data, calendar=calendar, start=start, scenario=args.scenario or "both", scope=args.scope
        )
    else:
        if args.scenario:
            raise CommandError(
                "--scenario 只适用于按项目信息（facts）生成的手册；显式给出的 activities 只有一种计划"
            )
        output = _explicit_plan(data, calendar=calendar, start=start)
    if args.json:
        print(json.dumps(_json_output(output), ensure_ascii=False, indent=2))
    else:
        print("\n".join(_text_output(output)))
    return 0


# ------------------------------------------------------------------------------------------------ input


def read_file(path: Path) -> dict[str, Any]:
    """The file's top-level mapping; a missing file or bad JSON/YAML is one Chinese line."""
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CommandError(f"找不到文件：{path}") from None
    except IsADirectoryError:
        raise CommandError(f"{path} 是目录，应为 JSON 或 YAML 文件") from None
    except PermissionError:
        raise CommandError(f"没有读取文件 {path} 的权限") from None
    except UnicodeDecodeError:
        raise CommandError(f"文件 {path} 不是 UTF-8 编码的文本") from None
    except OSError as error:
        raise CommandError(f"无法读取文件 {path}（{error.strerror}）") from None
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except json.JSONDecodeError as error:
        raise CommandError(
            f"文件 {path} 不是有效的 JSON：第 {error.lineno} 行第 {error.colno} 列有误"
        ) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列有误" if mark else "格式错误"
        raise CommandError(f"文件 {path} 不是有效的 YAML：{where}") from None
    if not isinstance(data, Mapping):
        raise CommandError(f"文件 {path} 的内容应为映射：facts，或 activities 与 relations")
    if ("facts" in data) == ("activities" in data):
        raise CommandError(f"文件 {path} 应当只含 facts（项目信息）或 activities（活动清单）二者之一")
    # A misspelt key (say "relation:") must not silently plan without it.
    allowed = FACTS_FILE_KEYS if "facts" in data else NETWORK_FILE_KEYS
    unknown = sorted(map(str, set(data) - allowed))
    if unknown:
        raise CommandError(
            f"文件 {path} 含未知字段：{'、'.join(unknown)}（可用：{'、'.join(sorted(allowed))}）"
        )
    return dict(data)


def _date(data: Mapping[str, Any], key: str, where: str = "") -> date | None:
    from daiban.commands.calendar import parse_date

    value = data.get(key)
    if value is None or isinstance(value, date):
        return value
    if isinstance(value, str):
        return parse_date(value)
    raise CommandError(f"{where}{key} 的值 {value!r} 不是日期（应为 YYYY-MM-DD）")


def network_from_data(data: Mapping[str, Any]) -> tuple[list[Activity], list[Relation]]:
    """Activities and relations from plain data (lists of mappings with the dataclasses' field names)."""
    activities = [_activity(raw, k) for k, raw in enumerate(_list(data, "activities"))]
    relations = [_relation(raw, k) for k, raw in enumerate(_list(data, "relations"))]
    return activities, relations


def _list(data: Mapping[str, Any], key: str) -> list:
    value = data.get(key) or []
    if not isinstance(value, list):
        raise CommandError(f"{key} 应为列表")
    return value


def _fields(raw: Any, allowed: set[str], where: str) -> dict[str, Any]:
    if not isinstance(raw, Mapping):
        raise CommandError(f"{where}应为映射（字段: 值）")
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise CommandError(
            f"{where}含未知字段：{'、'.join(map(str, unknown))}（可用：{'、'.join(sorted(allowed))}）"
        )
    return dict(raw)


def _activity(raw: Any, index: int) -> Activity:
    where = f"第 {index + 1} 个活动"
    fields = _fields(raw, ACTIVITY_KEYS, where)
    for key in ("id", "duration"):
        if key not in fields:
            raise CommandError(f"{where}缺少字段 {key}")
    where = f"活动 '{fields['id']}' 的"
    fields.update({key: _date(fields, key, where) for key in DATE_KEYS if key in fields})
    fields["id"], fields["name"] = str(fields["id"]), str(fields.get("name") or "")
    return Activity(**fields)


def _relation(raw: Any, index: int) -> Relation:
    where = f"第 {index + 1} 个依赖关系"
    fields = _fields(raw, RELATION_KEYS, where)
    for key in ("predecessor", "successor"):
        if key not in fields:
            raise CommandError(f"{where}缺少字段 {key}")
    fields["predecessor"], fields["successor"] = str(fields["predecessor"]), str(fields["successor"])
    return Relation(**fields)


# ------------------------------------------------------------------------------------------------ planning


def _explicit_plan(data: Mapping[str, Any], *, calendar: Any, start: date) -> dict[str, Any]:
    activities, relations = network_from_data(data)
    schedule = plan(
        activities,
        relations,
        calendar=calendar,
        start=start,
        status_date=_date(data, "status_date"),
        finish_no_later_than=_date(data, "finish_no_later_than"),
    )
    return {"schedules": {"plan": (schedule, activities)}}


def _facts_plan(
    data: Mapping[str, Any], *, calendar: Any, start: date, scenario: str, scope: str
) -> dict[str, Any]:
    from daiban.core.catalogue import load_catalogue
    from daiban.core.handbook import tailor
    from daiban.core.scenarios import agency_network, compare, conventional_network

    handbook = tailor(load_catalogue(), data["facts"])
    comparison = compare(handbook, calendar=calendar, start=start, scope=scope)
    schedules = {
        "conventional": (comparison.conventional, conventional_network(handbook)[0]),
        "agency": (comparison.agency, agency_network(handbook)[0]),
    }
    shown = list(schedules) if scenario == "both" else [scenario]
    return {"schedules": {name: schedules[name] for name in shown}, "comparison": comparison}


# ------------------------------------------------------------------------------------------------ output


def _schedule_json(schedule: Schedule, activities: list[Activity]) -> dict[str, Any]:
    inputs = {a.id: a for a in activities}
    return {
        "start": schedule.start.isoformat(),
        "finish": schedule.finish.isoformat(),
        "duration": schedule.duration,
        "critical_paths": schedule.critical_paths,
        "activities": [
            {
                "id": a.id,
                "name": a.name,
                "duration": inputs[a.id].duration,
                "unit": inputs[a.id].unit,
                "early_start": a.early_start.isoformat(),
                "early_finish": a.early_finish.isoformat(),
                "late_start": a.late_start.isoformat(),
                "late_finish": a.late_finish.isoformat(),
                "total_float": a.total_float,
                "free_float": a.free_float,
                "critical": a.critical,
                "status": a.status,
            }
            for a in schedule.activities.values()
        ],
    }


def _json_output(output: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {name: _schedule_json(*pair) for name, pair in output["schedules"].items()}
    comparison = output.get("comparison")
    if comparison is not None:
        result["comparison"] = {
            "scope": comparison.scope,
            "conventional_days": comparison.conventional_days,
            "agency_days": comparison.agency_days,
            "compression": round(comparison.compression, 4),
        }
    return result


HEADERS = (
    "编号",
    "名称",
    "工期",
    "最早开始",
    "最早完成",
    "最迟开始",
    "最迟完成",
    "总时差",
    "自由时差",
    "关键",
)
NUMERIC = {2, 7, 8}


def _text_output(output: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    for name, (schedule, activities) in output["schedules"].items():
        if lines:
            lines.append("")  # a blank line between two schedules
        lines += _schedule_lines(SCENARIO_TITLES[name], schedule, activities)
    comparison = output.get("comparison")
    if comparison is not None:
        lines.append("")
        from daiban.core.catalogue import STAGES

        scope = "全部事项办结" if comparison.scope == "all" else f"{STAGES[comparison.scope]}阶段事项办结"
        lines.append(
            f"压缩率（至{scope}）：常规 {comparison.conventional_days} 个工作日，"
            f"全程代办 {comparison.agency_days} 个工作日，压缩 {comparison.compression:.1%}"
        )
    return lines


def _schedule_lines(title: str, schedule: Schedule, activities: list[Activity]) -> list[str]:
    inputs = {a.id: a for a in activities}
    rows = [
        (
            a.id,
            a.name,
            f"{inputs[a.id].duration}{UNIT_LABELS[inputs[a.id].unit]}",
            a.early_start.isoformat(),
            a.early_finish.isoformat(),
            a.late_start.isoformat(),
            a.late_finish.isoformat(),
            str(a.total_float),
            str(a.free_float),
            "★" if a.critical else ("已办结" if a.status == "done" else ""),
        )
        for a in schedule.activities.values()
    ]
    lines = [f"{title}：{schedule.start} 开始，{schedule.finish} 完成，共 {schedule.duration} 个工作日"]
    lines += _table([HEADERS, *rows])
    paths = schedule.critical_paths
    lines += [f"关键路径：{' → '.join(path)}" for path in paths[:MAX_PATHS_SHOWN]]
    if len(paths) > MAX_PATHS_SHOWN:
        lines.append(f"（另有 {len(paths) - MAX_PATHS_SHOWN} 条关键路径未列出，见 --json）")
    return lines


def _table(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(_width(row[k]) for row in rows) for k in range(len(rows[0]))]
    return [
        "  ".join(_pad(cell, widths[k], k in NUMERIC) for k, cell in enumerate(row)).rstrip() for row in rows
    ]


def _width(text: str) -> int:
    """Display columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int, right: bool) -> str:
    space = " " * (width - _width(text))
    return space + text if right else text + space
