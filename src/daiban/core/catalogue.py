"""The approval catalogue (事项库): every approval item with its limits, sources, order and rules.

The catalogue is data (``reference/catalogue.yaml``) that an administrator may edit; ``Catalogue.from_data``
validates it completely (codes, prerequisites, cycles, units, conditions) so a bad edit is refused with a
Chinese message naming the culprit instead of producing a wrong handbook later.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from daiban.core.rules import Condition, Field, RuleError, Schema, parse_condition

STAGES: dict[str, str] = {
    "land_planning": "立项用地规划许可",
    "works_permit": "工程建设许可",
    "construction_permit": "施工许可",
    "acceptance": "竣工验收",
    "parallel": "并行推进",
}
PATHS: dict[str, str] = {"social": "社会投资", "government": "政府投资", "both": "通用"}
DAY_UNITS: dict[str, str] = {"working_days": "工作日", "natural_days": "自然日"}
LEVELS: dict[str, str] = {"city": "市级", "district": "区级"}
# A figure whose source is not a confirmed legal article says so; admins replace it with the real source.
DISTRICT_DEFAULT = "district default"


def _enum(name: str, label: str, choices: dict[str, str], **extra: Any) -> Field:
    return Field(name, label, "enum", tuple(choices), tuple(choices.items()), **extra)


INVESTMENT_TYPES = {"social": "社会投资", "government": "政府投资"}
APPROVAL_MODES = {"filing": "备案", "approval": "核准", "examination": "审批"}
LAND_SUPPLY_MODES = {
    "listing": "招拍挂",
    "land_with_scheme": "带方案出让",
    "lease_then_transfer": "先租后让",
    "standard_factory": "标准厂房",
    "allocation": "划拨",
    "own_land": "自有用地",
}
PROJECT_TYPES = {
    "industrial": "工业",
    "infrastructure": "基础设施",
    "public_service": "公共服务",
    "office": "办公",
    "commercial": "商业",
    "residential": "居住",
}
EIA_CATEGORIES = {"report": "报告书", "table": "报告表", "registration": "登记表", "exempt": "豁免"}

PROJECT_FACTS: Schema = {
    field.name: field
    for field in (
        _enum("investment_type", "投资类型", INVESTMENT_TYPES),
        _enum("approval_mode", "立项方式", APPROVAL_MODES),
        _enum("land_supply_mode", "供地方式", LAND_SUPPLY_MODES),
        Field("low_risk", "低风险项目", "bool"),
        Field("regional_assessment_done", "已完成区域评估", "bool"),
        _enum("project_type", "项目类型", PROJECT_TYPES),
        _enum("eia_category", "环评类别", EIA_CATEGORIES),
        Field("needs_energy_review", "需节能审查", "bool"),
        Field("needs_civil_air_defense", "需配建人防工程", "bool"),
        Field("building_area_m2", "总建筑面积（平方米）", "decimal"),
        Field("total_investment", "总投资（万元）", "decimal"),
        # Note: optional so callers that predate it keep working; most industrial projects are not special.
        Field("special_fire_project", "特殊建设工程（消防）", "bool", required=False, default=False),
    )
}


class CatalogueError(RuleError):
    """The catalogue data is invalid; the message names the item and the defect."""


@dataclass(frozen=True)
class ApprovalItem:
    code: str
    name: str
    path: str
    stage: str
    department: str  # Chinese name of the issuing department
    level: str
    delegated: bool
    statutory_days: int
    statutory_unit: str
    statutory_source: str
    extension_days: int
    promised_days: int
    promised_unit: str
    promised_source: str
    prerequisites: tuple[str, ...]
    commitment: bool
    regional_assessment: bool
    tolerated_gap: bool
    materials: tuple[str, ...]
    applies_when: Condition
    commitment_when: Condition
    waived_when: Condition | None
    order: int
    department_code: str = ""
    description: str = ""

    @property
    def stage_label(self) -> str:
        return STAGES[self.stage]

    @property
    def statutory_is_default(self) -> bool:
        return self.statutory_source.startswith(DISTRICT_DEFAULT)


class Catalogue:
    """All approval items, in catalogue order, validated."""

    def __init__(self, items: tuple[ApprovalItem, ...], departments: Mapping[str, str] | None = None):
        self.items = items
        self.departments = dict(departments or {})
        self._by_code = {item.code: item for item in items}

    def item(self, code: str) -> ApprovalItem:
        try:
            return self._by_code[code]
        except KeyError:
            raise CatalogueError(f"事项库中没有事项 '{code}'") from None

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self):
        return iter(self.items)

    @classmethod
    def from_data(cls, data: dict, schema: Schema = PROJECT_FACTS) -> Catalogue:
        if not isinstance(data, Mapping) or not isinstance(data.get("items"), list):
            raise CatalogueError("事项库数据格式错误：缺少 items 列表")
        departments = data.get("departments") or {}
        if not isinstance(departments, Mapping):
            raise CatalogueError("事项库数据格式错误：departments 应为“代码: 名称”的映射")
        items = tuple(_parse_item(raw, index, departments, schema) for index, raw in enumerate(data["items"]))
        _check_codes(items)
        _check_cycles(items)
        return cls(items, departments)


# ---------------------------------------------------------------------------------------------- parsing

_REQUIRED = ("code", "name", "path", "stage", "department", "level", "statutory", "promised")


def _parse_item(raw: Any, index: int, departments: Mapping[str, str], schema: Schema) -> ApprovalItem:
    if not isinstance(raw, Mapping):
        raise CatalogueError(f"第 {index + 1} 个事项格式错误：应为映射")
    code = raw.get("code")
    if not isinstance(code, str) or not code.isascii() or not code.replace("_", "").isalnum():
        raise CatalogueError(f"第 {index + 1} 个事项的代码 {code!r} 无效（应为英文字母、数字和下划线）")
    where = f"事项 '{code}'"
    for key in _REQUIRED:
        if key not in raw:
            raise CatalogueError(f"{where} 缺少 {key}")
    _check_choice(where, "path", raw["path"], PATHS)
    _check_choice(where, "stage", raw["stage"], STAGES)
    _check_choice(where, "level", raw["level"], LEVELS)
    department = raw["department"]
    if departments and department not in departments:
        raise CatalogueError(f"{where} 的审批部门 '{department}' 未在 departments 中定义")
    statutory = _limit(where, "statutory", raw["statutory"])
    promised = _limit(where, "promised", raw["promised"])
    if statutory[1] == promised[1] and promised[0] > statutory[0]:
        raise CatalogueError(f"{where} 的承诺时限 {promised[0]} 天长于法定时限 {statutory[0]} 天")
    return ApprovalItem(
        code=code,
        name=_text(where, "name", raw["name"]),
        path=raw["path"],
        stage=raw["stage"],
        department=str(departments.get(department, department)),
        level=raw["level"],
        delegated=_flag(where, raw, "delegated"),
        statutory_days=statutory[0],
        statutory_unit=statutory[1],
        statutory_source=statutory[2],
        extension_days=_days(where, "statutory.extension_days", raw["statutory"].get("extension_days", 0)),
        promised_days=promised[0],
        promised_unit=promised[1],
        promised_source=promised[2],
        prerequisites=tuple(_texts(where, "prerequisites", raw.get("prerequisites") or [])),
        commitment=_flag(where, raw, "commitment"),
        regional_assessment=_flag(where, raw, "regional_assessment"),
        tolerated_gap=_flag(where, raw, "tolerated_gap"),
        materials=tuple(_texts(where, "materials", raw.get("materials") or [])),
        applies_when=_condition(where, "applies_when", raw.get("applies_when", True), schema),
        commitment_when=_condition(where, "commitment_when", raw.get("commitment_when", True), schema),
        waived_when=(
            _condition(where, "waived_when", raw["waived_when"], schema)
            if raw.get("waived_when") is not None
            else None
        ),
        order=index,
        department_code=str(department),
        description=str(raw.get("description", "")),
    )


def _check_choice(where: str, key: str, value: Any, choices: Mapping[str, str]) -> None:
    if value not in choices:
        raise CatalogueError(f"{where} 的 {key} '{value}' 未知，可选：{'、'.join(choices)}")


def _text(where: str, key: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise CatalogueError(f"{where} 的 {key} 应为非空文本")
    return value.strip()


def _texts(where: str, key: str, values: Any) -> list[str]:
    if not isinstance(values, list):
        raise CatalogueError(f"{where} 的 {key} 应为列表")
    return [_text(where, key, value) for value in values]


def _flag(where: str, raw: Mapping[str, Any], key: str) -> bool:
    value = raw.get(key, False)
    if not isinstance(value, bool):
        raise CatalogueError(f"{where} 的 {key} 应为 true 或 false，实际为 {value!r}")
    return value


def _days(where: str, key: str, value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise CatalogueError(f"{where} 的 {key} 应为非负整数，实际为 {value!r}")
    return value


def _limit(where: str, key: str, raw: Any) -> tuple[int, str, str]:
    if not isinstance(raw, Mapping):
        raise CatalogueError(f"{where} 的 {key} 应为包含 days/unit/source 的映射")
    days = _days(where, f"{key}.days", raw.get("days"))
    unit = raw.get("unit", "working_days")
    _check_choice(where, f"{key}.unit", unit, DAY_UNITS)
    source = raw.get("source")
    if not isinstance(source, str) or not source.strip():
        raise CatalogueError(f"{where} 的 {key}.source 不能为空（无确切依据时写 '{DISTRICT_DEFAULT}'）")
    return days, unit, source.strip()


def _condition(where: str, key: str, spec: Any, schema: Schema) -> Condition:
    try:
        return parse_condition(spec, schema)
    except RuleError as error:
        raise CatalogueError(f"{where} 的 {key} 有误：{error}") from None


# ---------------------------------------------------------------------------------------------- structure


def _check_codes(items: tuple[ApprovalItem, ...]) -> None:
    seen: set[str] = set()
    for item in items:
        if item.code in seen:
            raise CatalogueError(f"事项代码 '{item.code}' 重复")
        seen.add(item.code)
    for item in items:
        for code in item.prerequisites:
            if code not in seen:
                raise CatalogueError(f"事项 '{item.code}' 的前置事项 '{code}' 不存在")
            if code == item.code:
                raise CatalogueError(f"事项 '{item.code}' 不能以自身为前置事项")


def _check_cycles(items: tuple[ApprovalItem, ...]) -> None:
    """Depth-first search; the error shows the cycle as 'a → b → a'."""
    prerequisites = {item.code: item.prerequisites for item in items}
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(code: str) -> None:
        state[code] = 1
        path.append(code)
        for before in prerequisites[code]:
            if state.get(before) == 1:
                cycle = [*path[path.index(before) :], before]
                raise CatalogueError(f"前置事项存在循环：{' → '.join(cycle)}")
            if before not in state:
                visit(before)
        path.pop()
        state[code] = 2

    for item in items:
        if item.code not in state:
            visit(item.code)


# ---------------------------------------------------------------------------------------------- loading

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "reference" / "catalogue.yaml"


def load_catalogue(path: Path | None = None) -> Catalogue:
    """The catalogue at ``path``; default the shipped ``reference/catalogue.yaml`` (read once, cached)."""
    return _load_default() if path is None else _load(Path(path))


@cache
def _load_default() -> Catalogue:
    return _load(DEFAULT_PATH)


def _load(path: Path) -> Catalogue:
    import yaml  # Note: only the loader needs PyYAML; the pure core takes plain data.

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise CatalogueError(f"事项库文件 {path.name} 不是有效的 YAML：{error}") from None
    return Catalogue.from_data(data)
