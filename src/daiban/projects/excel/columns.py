"""The columns of the 项目清单 workbook: one list shared by the template, the import and the export.

Each column names the Project (or Enterprise) field it fills, its header as the template writes it, the
other headers real lists use for it (项目单位 / 建设单位 / 企业名称 …), how its cells are parsed, and how
the template and the export format it. Header matching ignores spaces, line breaks, required-markers (*)
and a unit in brackets, which is read separately ("总投资（亿元）" → 总投资, ×10000).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from daiban.projects.choices import Category, fact_choices
from daiban.projects.excel.cells import AMOUNT_UNITS, header_key

# Note: the model keeps industry as free text; this list only feeds the template's drop-down (a warning, not
# a hard stop, in Excel) until the district's configurable industry list exists.
DEFAULT_INDUSTRIES = (
    "新一代信息技术",
    "集成电路",
    "人工智能",
    "生物医药",
    "高端汽车",
    "机器人",
    "高端装备制造",
    "新材料",
    "新能源",
    "节能环保",
    "现代服务业",
    "基础设施",
    "社会民生",
)

YES_NO = [("yes", "是"), ("no", "否")]


class Kind(StrEnum):
    """How a column's cells are parsed and written."""

    TEXT = "text"
    CODE = "code"  # national project code
    USCC = "uscc"
    CHOICE = "choice"
    BOOL = "bool"
    AMOUNT = "amount"  # money in 万元 (or the header's unit)
    NUMBER = "number"
    DATE = "date"
    YEAR = "year"
    USER = "user"
    DEPARTMENT = "department"
    IGNORED = "ignored"


TEXT, CODE, USCC, CHOICE, BOOL, AMOUNT, NUMBER, DATE, YEAR, USER, DEPARTMENT, IGNORED = Kind

# What real lists write for a category instead of its label.
CATEGORY_ALIASES = {
    "新建": "new_start",
    "新开工项目": "new_start",
    "拟开工": "new_start",
    "续建项目": "continuing",
    "在建": "continuing",
    "竣工": "completing",
    "投产": "completing",
    "竣工投产项目": "completing",
    "储备项目": "reserve",
    "前期": "reserve",
    "谋划": "reserve",
}


@dataclass(frozen=True)
class Column:
    key: str  # the field (enterprise fields are prefixed "enterprise_")
    header: str  # as the template and the export write it
    kind: Kind
    synonyms: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()  # regular expressions for headers that carry a year etc.
    required: bool = False
    max_length: int | None = None
    max_digits: int = 16  # of a DecimalField with 2 decimal places
    multiline: bool = False  # text whose line breaks are kept (备注)
    choices: Callable[[], list[tuple[str, str]]] | None = None
    aliases: dict[str, str] = field(default_factory=dict)  # other words for a choice → its code
    suggestions: tuple[str, ...] = ()  # soft drop-down values (free text allowed)
    width: float = 14
    help: str = ""
    example: object = ""
    names: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "names", frozenset(header_key(name)[0] for name in (self.header, *self.synonyms))
        )

    def matches(self, name: str) -> bool:
        return name in self.names or any(re.fullmatch(pattern, name) for pattern in self.patterns)

    @property
    def unit(self) -> str | None:
        return header_key(self.header)[1]


def _choices(name: str) -> Callable[[], list[tuple[str, str]]]:
    return lambda: fact_choices(name)


def _categories() -> list[tuple[str, str]]:
    return list(Category.choices)


PROJECT_COLUMNS: tuple[Column, ...] = (
    Column("row_number", "序号", IGNORED, width=6, example="示例", help="可留空；写“示例”的行不导入"),
    Column(
        "name",
        "项目名称",
        TEXT,
        ("项目", "项目全称"),
        required=True,
        max_length=200,
        width=36,
        example="某某新能源汽车零部件生产基地项目",
    ),
    Column(
        "project_code",
        "项目代码",
        CODE,
        ("项目编码", "备案代码", "备案编码", "赋码", "投资项目代码", "项目统一代码"),
        width=28,
        example="2026-110115-36-03-012345",
        help="24 位国家投资项目代码，备案/核准后取得；有代码时按代码匹配已有项目",
    ),
    Column(
        "enterprise_name",
        "项目单位",
        TEXT,
        ("建设单位", "企业名称", "业主单位", "项目业主", "实施主体", "投资主体", "投资方", "企业"),
        max_length=200,
        width=30,
        example="某某汽车零部件有限公司",
        help="新企业须同时填写统一社会信用代码",
    ),
    Column(
        "enterprise_uscc",
        "统一社会信用代码",
        USCC,
        ("社会信用代码", "信用代码", "统一信用代码", "企业信用代码"),
        width=22,
        example="91110115MA01AB2C3Y",
        help="18 位，按 GB 32100-2015 校验",
    ),
    Column(
        "enterprise_high_tech",
        "高新技术企业",
        BOOL,
        ("是否高新技术企业", "高新企业", "国家高新技术企业", "高企"),
        width=10,
        example="否",
        help="企业信息（同一企业各行须一致）；留空不修改",
    ),
    Column(
        "category",
        "项目类别",
        CHOICE,
        ("类别", "项目分类", "建设性质", "项目性质"),
        required=True,
        choices=_categories,
        aliases=CATEGORY_ALIASES,
        width=12,
        example="新开工",
    ),
    Column(
        "industry",
        "产业领域",
        TEXT,
        ("行业领域", "所属领域", "产业类别", "所属行业", "行业", "领域"),
        max_length=50,
        suggestions=DEFAULT_INDUSTRIES,
        width=16,
        example="高端汽车",
    ),
    Column(
        "location",
        "建设地点",
        TEXT,
        ("建设地址", "项目地址", "项目地点", "地点", "选址"),
        max_length=200,
        width=24,
        example="某某经济开发区某某路 8 号",
    ),
    Column(
        "area",
        "所在片区",
        TEXT,
        ("片区", "所属片区", "所在园区", "所属园区"),
        max_length=50,
        width=14,
        example="生物医药园",
    ),
    Column("year", "清单年度", YEAR, ("年度", "计划年度"), width=10, example=2026, help="不填为当年"),
    Column(
        "total_investment",
        "总投资（万元）",
        AMOUNT,
        ("计划总投资", "项目总投资", "总投资额"),
        required=True,
        width=16,
        example=Decimal("85000"),
        help="列名写“（亿元）”时按亿元换算",
    ),
    Column(
        "annual_plan",
        "年度计划投资（万元）",
        AMOUNT,
        ("年度计划", "年度投资计划", "本年计划投资", "年计划投资", "当年计划投资", "年度计划完成投资"),
        patterns=(r"\d{4}年度?(计划)?(完成)?投资(计划)?",),
        width=18,
        example=Decimal("30000"),
    ),
    Column(
        "equipment_investment",
        "设备投资（万元）",
        AMOUNT,
        ("设备购置投资", "设备购置费", "设备投资额"),
        width=16,
        example=Decimal("12000"),
        help="不能为负数；列名写“（亿元）”时按亿元换算",
    ),
    Column(
        "investment_type",
        "投资类型",
        CHOICE,
        ("投资性质", "投资主体类型"),
        choices=_choices("investment_type"),
        width=12,
        example="社会投资",
    ),
    Column(
        "approval_mode",
        "立项方式",
        CHOICE,
        ("立项类型", "审批方式", "管理方式"),
        choices=_choices("approval_mode"),
        width=10,
        example="备案",
    ),
    Column(
        "project_type", "项目类型", CHOICE, (), choices=_choices("project_type"), width=12, example="工业"
    ),
    Column(
        "land_supply_mode",
        "供地方式",
        CHOICE,
        ("用地方式", "土地供应方式", "供地类型"),
        choices=_choices("land_supply_mode"),
        width=14,
        example="带方案出让",
    ),
    Column(
        "low_risk", "低风险项目", BOOL, ("是否低风险项目", "是否低风险", "低风险"), width=10, example="否"
    ),
    Column(
        "regional_assessment_done",
        "已完成区域评估",
        BOOL,
        ("区域评估", "是否完成区域评估"),
        width=12,
        example="是",
    ),
    Column(
        "eia_category",
        "环评类别",
        CHOICE,
        ("环评类型", "环境影响评价类别"),
        choices=_choices("eia_category"),
        width=10,
        example="报告表",
    ),
    Column("needs_energy_review", "需节能审查", BOOL, ("节能审查", "是否需节能审查"), width=10, example="是"),
    Column(
        "needs_civil_air_defense",
        "需建设人防工程",
        BOOL,
        ("需配建人防工程", "人防工程", "是否需建设人防工程", "人防"),
        width=12,
        example="否",
    ),
    Column(
        "special_fire_project",
        "特殊建设工程（消防）",
        BOOL,
        ("特殊建设工程", "是否特殊建设工程", "消防特殊建设工程"),
        width=12,
        example="否",
    ),
    Column(
        "building_area_m2",
        "建筑面积（平方米）",
        NUMBER,
        ("建筑面积", "总建筑面积"),
        width=14,
        example=Decimal("120000"),
        max_digits=12,
    ),
    Column(
        "butler",
        "项目管家",
        USER,
        ("管家", "代办员", "代办专员"),
        width=10,
        example="张三",
        help="填写系统中项目管家的姓名或用户名",
    ),
    Column(
        "responsible_department",
        "责任单位",
        DEPARTMENT,
        ("责任部门", "牵头单位", "牵头部门", "主管部门"),
        width=16,
        example="区发展改革委",
        help="填写系统中部门的名称或简称",
    ),
    Column(
        "planned_start_on",
        "计划开工日期",
        DATE,
        ("计划开工时间", "开工时间", "开工日期", "计划开工"),
        width=14,
        example=dt.date(2026, 3, 5),
        help="如 2026-03-05、2026/3/5 或 2026年3月5日",
    ),
    Column(
        "statistics_registered",
        "已纳统",
        BOOL,
        ("是否纳统", "纳统", "入统", "是否入统"),
        width=8,
        example="否",
    ),
    Column("notes", "备注", TEXT, ("说明",), width=30, multiline=True),
)

COLUMNS_BY_KEY = {column.key: column for column in PROJECT_COLUMNS}
REQUIRED = tuple(column for column in PROJECT_COLUMNS if column.required)


def choice_labels(column: Column) -> list[str]:
    if column.kind == BOOL:
        return [label for _code, label in YES_NO]
    if column.choices:
        return [label for _code, label in column.choices()]
    return list(column.suggestions)


@dataclass(frozen=True)
class HeaderMap:
    """Where the header row is and which file column feeds which field."""

    row: int  # 0-based index in the sheet
    positions: dict[str, int]  # field key → 0-based column index
    titles: dict[str, str]  # field key → the header as written in the file
    scales: dict[str, Decimal]  # amount field key → multiplier into 万元
    duplicates: list[tuple[str, str]]  # (header kept, header ignored) that name the same field


def match_header(name: str) -> Column | None:
    key = header_key(name)[0]
    if not key:
        return None
    return next((column for column in PROJECT_COLUMNS if column.matches(key)), None)


def map_header(row_index: int, cells: Iterable[object]) -> HeaderMap:
    positions: dict[str, int] = {}
    titles: dict[str, str] = {}
    scales: dict[str, Decimal] = {}
    duplicates: list[tuple[str, str]] = []
    for index, cell in enumerate(cells):
        column = match_header(cell) if isinstance(cell, str) else None
        if column is None:
            continue
        title = " ".join(cell.split())
        if column.key in positions:
            duplicates.append((titles[column.key], title))
            continue
        positions[column.key], titles[column.key] = index, title
        if column.kind == AMOUNT:
            scales[column.key] = AMOUNT_UNITS[header_key(cell)[1] or "万元"]
    return HeaderMap(row_index, positions, titles, scales, duplicates)


def find_header(rows: list[list[object]], *, scan: int = 30) -> HeaderMap | None:
    """The header row among the first ``scan`` rows: the one naming the most known columns, with 项目名称.

    Title rows above it (merged cells, "2026年重大项目清单", the unit line) are skipped.
    """
    best: HeaderMap | None = None
    for index, row in enumerate(rows[:scan]):
        candidate = map_header(index, row)
        if "name" not in candidate.positions or len(candidate.positions) < 2:
            continue
        if best is None or len(candidate.positions) > len(best.positions):
            best = candidate
    return best
