"""A small, safe condition language over named facts.

A condition is plain data (from YAML/JSON), never code:

    {field: land_supply_mode, op: in, value: [standard_factory, land_with_scheme]}
    {all: [...]}   {any: [...]}   {not: {...}}   true / None (always)   false (never)

``parse_condition`` checks every node against a schema of known fields at parse time, so a rule with an
unknown field, operator or a wrongly typed value is rejected before it is ever evaluated. Nothing here
evaluates user text as Python.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from daiban.core.errors import DomainError

FIELD_TYPES = ("bool", "int", "decimal", "str", "date", "enum", "list")


class RuleError(DomainError):
    """A condition or a set of facts is malformed; the Chinese message names the culprit."""


@dataclass(frozen=True)
class Field:
    """One fact a condition may test. ``choices`` restricts enum values and list elements."""

    name: str
    label: str
    type: str
    choices: tuple[str, ...] = ()
    # Chinese labels of the choices, as (value, label) pairs, for traces and descriptions.
    choice_labels: tuple[tuple[str, str], ...] = ()
    required: bool = True
    # Used by check_facts when an optional fact is absent.
    default: Any = None

    def __post_init__(self) -> None:
        if self.type not in FIELD_TYPES:
            raise RuleError(f"字段 '{self.name}' 的类型 '{self.type}' 未知")

    def label_of(self, value: Any) -> str:
        """The Chinese label of one value of this field."""
        labels = dict(self.choice_labels)
        if isinstance(value, str) and value in labels:
            return labels[value]
        return _show(value)


Schema = Mapping[str, Field]


@dataclass(frozen=True)
class TraceLine:
    """One node of a condition with whether it held; ``depth`` is the nesting level (0 = root)."""

    text: str
    held: bool
    depth: int


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None:
        return "（未填写）"
    return str(value)


def _yes(held: bool) -> str:
    return "是" if held else "否"


# ---------------------------------------------------------------------------------------------- coercion


def _to_decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation:
            return None
        return result if result.is_finite() else None
    return None


def _to_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _scalar(field: Field, value: Any) -> Any:
    """``value`` as a scalar of ``field``'s type (list fields: one element), or raise."""
    kind = "str" if field.type == "list" else field.type
    result: Any = None
    if kind == "bool":
        result = value if isinstance(value, bool) else None
    elif kind == "int":
        result = value if isinstance(value, int) and not isinstance(value, bool) else None
    elif kind == "decimal":
        result = _to_decimal(value)
    elif kind == "date":
        result = _to_date(value)
    elif kind in ("str", "enum"):
        result = value if isinstance(value, str) else None
    if result is None:
        raise RuleError(
            f"字段 '{field.name}'（{field.label}）的值 {value!r} 类型错误，应为{_TYPE_LABELS[kind]}"
        )
    if field.choices and field.type in ("enum", "list") and result not in field.choices:
        allowed = "、".join(field.choices)
        raise RuleError(f"字段 '{field.name}'（{field.label}）的取值 '{result}' 未知，可选：{allowed}")
    return result


_TYPE_LABELS = {
    "bool": "是/否",
    "int": "整数",
    "decimal": "数值",
    "str": "文本",
    "date": "日期",
    "enum": "选项",
    "list": "列表",
}


def coerce_value(field: Field, value: Any) -> Any:
    """A fact value in its canonical form (Decimal, date, tuple for lists); ``None`` stays ``None``."""
    if value is None:
        return None
    if field.type != "list":
        return _scalar(field, value)
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise RuleError(f"字段 '{field.name}'（{field.label}）的值 {value!r} 类型错误，应为列表")
    return tuple(_scalar(field, element) for element in value)


def check_facts(facts: Mapping[str, Any], schema: Schema) -> dict[str, Any]:
    """Validate and normalise facts: unknown field, missing required field or bad value is a RuleError."""
    if not isinstance(facts, Mapping):
        raise RuleError("项目信息应为“字段: 值”的映射")
    for name in facts:
        if name not in schema:
            raise RuleError(f"未知字段 '{name}'")
    result: dict[str, Any] = {}
    for name, field in schema.items():
        value = facts.get(name)
        if value is None and not field.required:
            value = field.default
        if value is None and field.required:
            raise RuleError(f"缺少字段 '{name}'（{field.label}）")
        result[name] = coerce_value(field, value)
    return result


# ---------------------------------------------------------------------------------------------- conditions


class Condition:
    """A parsed, validated condition. Instances are immutable and comparable."""

    def evaluate(self, facts: Mapping[str, Any]) -> bool:
        raise NotImplementedError

    def trace(self, facts: Mapping[str, Any]) -> list[TraceLine]:
        """Every node with whether it held, root first (no short-circuit, so the whole reason shows)."""
        lines: list[TraceLine] = []
        self._trace(facts, 0, lines)
        return lines

    def _trace(self, facts: Mapping[str, Any], depth: int, lines: list[TraceLine]) -> bool:
        raise NotImplementedError

    def explain(self, facts: Mapping[str, Any]) -> list[str]:
        """The leaf lines that decide the outcome (e.g. the failed parts of an 'all'), for short reasons."""
        raise NotImplementedError

    def fields(self) -> frozenset[str]:
        raise NotImplementedError

    def describe(self) -> str:
        """A Chinese one-liner of the condition."""
        raise NotImplementedError

    def to_spec(self) -> Any:
        """The plain-data form, which ``parse_condition`` turns back into an equal condition."""
        raise NotImplementedError

    def __str__(self) -> str:
        return self.describe()


@dataclass(frozen=True)
class Constant(Condition):
    value: bool

    def evaluate(self, facts: Mapping[str, Any]) -> bool:
        return self.value

    def _trace(self, facts: Mapping[str, Any], depth: int, lines: list[TraceLine]) -> bool:
        lines.append(TraceLine(f"{self.describe()}：{_yes(self.value)}", self.value, depth))
        return self.value

    def explain(self, facts: Mapping[str, Any]) -> list[str]:
        return [self.describe()]

    def fields(self) -> frozenset[str]:
        return frozenset()

    def describe(self) -> str:
        return "总是" if self.value else "从不"

    def to_spec(self) -> Any:
        return self.value


ALWAYS: Condition = Constant(True)
NEVER: Condition = Constant(False)


def _in(fact: Any, value: Any) -> bool:
    return fact in value


def _contains(fact: Any, value: Any) -> bool:
    return value in fact


# op -> (Chinese label, test(fact, value), field types it applies to)
_OPS: dict[str, tuple[str, Callable[[Any, Any], bool], frozenset[str]]] = {
    "eq": ("等于", lambda f, v: f == v, frozenset({"bool", "int", "decimal", "str", "date", "enum"})),
    "ne": ("不等于", lambda f, v: f != v, frozenset({"bool", "int", "decimal", "str", "date", "enum"})),
    "lt": ("小于", lambda f, v: f < v, frozenset({"int", "decimal", "date"})),
    "le": ("不大于", lambda f, v: f <= v, frozenset({"int", "decimal", "date"})),
    "gt": ("大于", lambda f, v: f > v, frozenset({"int", "decimal", "date"})),
    "ge": ("不小于", lambda f, v: f >= v, frozenset({"int", "decimal", "date"})),
    "in": ("属于", _in, frozenset({"int", "decimal", "str", "date", "enum"})),
    "not_in": ("不属于", lambda f, v: not _in(f, v), frozenset({"int", "decimal", "str", "date", "enum"})),
    "contains": ("包含", _contains, frozenset({"list"})),
    "is_set": ("已填写", lambda f, v: (f is not None) == v, frozenset(FIELD_TYPES)),
}
_LIST_VALUE_OPS = frozenset({"in", "not_in"})


@dataclass(frozen=True)
class Leaf(Condition):
    field: Field
    op: str
    value: Any  # canonical: tuple for in/not_in, bool for is_set, a scalar otherwise

    def _fact(self, facts: Mapping[str, Any]) -> Any:
        name = self.field.name
        if name not in facts:
            raise RuleError(f"缺少字段 '{name}'（{self.field.label}），无法判断条件“{self.describe()}”")
        fact = coerce_value(self.field, facts[name])
        if fact is None and self.op != "is_set":
            raise RuleError(f"字段 '{name}'（{self.field.label}）未填写，无法判断条件“{self.describe()}”")
        return fact

    def evaluate(self, facts: Mapping[str, Any]) -> bool:
        if self.op == "is_set" and self.field.name not in facts:
            return not self.value
        return _OPS[self.op][1](self._fact(facts), self.value)

    def _trace(self, facts: Mapping[str, Any], depth: int, lines: list[TraceLine]) -> bool:
        held = self.evaluate(facts)
        text = f"{self.describe()}：{_yes(held)}"
        if self.op != "is_set":
            text += f"（实际：{self._show_fact(self._fact(facts))}）"
        lines.append(TraceLine(text, held, depth))
        return held

    def _show_fact(self, fact: Any) -> str:
        if isinstance(fact, tuple):
            return "[" + ", ".join(self.field.label_of(v) for v in fact) + "]"
        return self.field.label_of(fact)

    def explain(self, facts: Mapping[str, Any]) -> list[str]:
        lines: list[TraceLine] = []
        self._trace(facts, 0, lines)
        return [lines[0].text]

    def fields(self) -> frozenset[str]:
        return frozenset({self.field.name})

    def describe(self) -> str:
        label = _OPS[self.op][0]
        if self.op == "is_set":
            return f"{self.field.label} {label if self.value else '未填写'}"
        if self.op in _LIST_VALUE_OPS:
            shown = "[" + ", ".join(self.field.label_of(v) for v in self.value) + "]"
        else:
            shown = self.field.label_of(self.value)
        return f"{self.field.label} {label} {shown}"

    def to_spec(self) -> Any:
        value = self.value
        if isinstance(value, tuple):
            value = list(value)
        return {"field": self.field.name, "op": self.op, "value": value}


@dataclass(frozen=True)
class Group(Condition):
    kind: str  # "all" | "any"
    children: tuple[Condition, ...]

    def evaluate(self, facts: Mapping[str, Any]) -> bool:
        test = all if self.kind == "all" else any
        return test(child.evaluate(facts) for child in self.children)

    def _trace(self, facts: Mapping[str, Any], depth: int, lines: list[TraceLine]) -> bool:
        index = len(lines)
        results = [child._trace(facts, depth + 1, lines) for child in self.children]
        held = all(results) if self.kind == "all" else any(results)
        head = "以下全部满足" if self.kind == "all" else "以下任一满足"
        lines.insert(index, TraceLine(f"{head}：{_yes(held)}", held, depth))
        return held

    def explain(self, facts: Mapping[str, Any]) -> list[str]:
        held = self.evaluate(facts)
        # 'all' that failed and 'any' that held are decided by the children with the same outcome;
        # otherwise every child counts.
        decisive = [c for c in self.children if c.evaluate(facts) == held]
        chosen = decisive if (self.kind == "all") != held else list(self.children)
        return [line for child in chosen for line in child.explain(facts)]

    def fields(self) -> frozenset[str]:
        return frozenset().union(*(child.fields() for child in self.children))

    def describe(self) -> str:
        joiner = " 且 " if self.kind == "all" else " 或 "
        return "（" + joiner.join(child.describe() for child in self.children) + "）"

    def to_spec(self) -> Any:
        return {self.kind: [child.to_spec() for child in self.children]}


@dataclass(frozen=True)
class Not(Condition):
    child: Condition

    def evaluate(self, facts: Mapping[str, Any]) -> bool:
        return not self.child.evaluate(facts)

    def _trace(self, facts: Mapping[str, Any], depth: int, lines: list[TraceLine]) -> bool:
        index = len(lines)
        held = not self.child._trace(facts, depth + 1, lines)
        lines.insert(index, TraceLine(f"以下不成立：{_yes(held)}", held, depth))
        return held

    def explain(self, facts: Mapping[str, Any]) -> list[str]:
        return [f"并非（{line}）" for line in self.child.explain(facts)]

    def fields(self) -> frozenset[str]:
        return self.child.fields()

    def describe(self) -> str:
        return f"并非（{self.child.describe()}）"

    def to_spec(self) -> Any:
        return {"not": self.child.to_spec()}


# ---------------------------------------------------------------------------------------------- parsing

_LEAF_KEYS = frozenset({"field", "op", "value"})
_GROUP_KEYS = ("all", "any", "not")


def parse_condition(spec: Any, schema: Schema) -> Condition:
    """Parse and validate ``spec``; any defect is a RuleError naming it and where it sits."""
    return _parse(spec, schema, "条件")


def _fail(where: str, message: str) -> RuleError:
    return RuleError(f"{where}：{message}")


def _parse(spec: Any, schema: Schema, where: str) -> Condition:
    if spec is None or spec is True:
        return ALWAYS
    if spec is False:
        return NEVER
    if not isinstance(spec, Mapping):
        raise _fail(where, f"格式错误，应为映射、true 或 false，实际为 {spec!r}")
    groups = [key for key in _GROUP_KEYS if key in spec]
    if groups:
        if len(spec) != 1:
            raise _fail(where, f"组合节点只能有一个键（all/any/not），实际为 {sorted(map(str, spec))}")
        return _parse_group(groups[0], spec[groups[0]], schema, f"{where}.{groups[0]}")
    if "field" not in spec and "op" not in spec:
        raise _fail(
            where, f"格式错误，未知的键 {sorted(map(str, spec))}（应为 field/op/value 或 all/any/not）"
        )
    return _parse_leaf(spec, schema, where)


def _parse_group(kind: str, body: Any, schema: Schema, where: str) -> Condition:
    if kind == "not":
        return Not(_parse(body, schema, where))
    if not isinstance(body, list | tuple) or not body:
        raise _fail(where, f"'{kind}' 需要一个非空的条件列表")
    children = tuple(_parse(child, schema, f"{where}[{i}]") for i, child in enumerate(body))
    return Group(kind, children)


def _parse_leaf(spec: Mapping[str, Any], schema: Schema, where: str) -> Condition:
    extra = set(map(str, spec)) - _LEAF_KEYS
    if extra:
        raise _fail(where, f"格式错误，未知的键 {sorted(extra)}")
    name, op = spec.get("field"), spec.get("op")
    if not isinstance(name, str) or name not in schema:
        raise _fail(where, f"未知字段 '{name}'")
    if op not in _OPS:
        raise _fail(where, f"未知比较符 '{op}'")
    field = schema[name]
    if field.type not in _OPS[op][2]:
        raise _fail(where, f"比较符 '{op}' 不适用于字段 '{name}'（{field.label}，类型 {field.type}）")
    value = _parse_value(field, op, spec, where)
    return Leaf(field, op, value)


def _parse_value(field: Field, op: str, spec: Mapping[str, Any], where: str) -> Any:
    if op == "is_set":
        value = spec.get("value", True)
        if not isinstance(value, bool):
            raise _fail(where, f"'is_set' 的值应为 true 或 false，实际为 {value!r}")
        return value
    if "value" not in spec:
        raise _fail(where, f"条件缺少 value（字段 '{field.name}'）")
    value = spec["value"]
    try:
        if op in _LIST_VALUE_OPS:
            if not isinstance(value, list | tuple) or not value:
                raise RuleError(f"比较符 '{op}' 需要一个非空列表，实际为 {value!r}")
            return tuple(_scalar(field, v) for v in value)
        return _scalar(field, value)
    except RuleError as error:
        raise _fail(where, str(error)) from None
