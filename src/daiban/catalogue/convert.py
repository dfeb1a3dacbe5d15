"""Between the catalogue's rows and the core's data shape: seed rows from the shipped YAML, and build the core
``Catalogue`` from rows (validating the whole catalogue with ``Catalogue.from_data``).

No database access here: the seed migration, the services and the selectors pass rows (or any objects with
the same attributes) in.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from importlib import resources
from typing import Any

import yaml

from daiban.core.catalogue import Catalogue, CatalogueError

# Blank condition text means the core's default for that condition.
CONDITION_DEFAULTS: dict[str, Any] = {"applies_when": True, "commitment_when": True, "waived_when": None}
CONDITION_LABELS = {"applies_when": "适用条件", "commitment_when": "告知承诺条件", "waived_when": "免办条件"}
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def condition_text(spec: Any, key: str) -> str:
    """The condition as an admin edits it: YAML, one flow mapping per leaf; blank for the default."""
    if spec == CONDITION_DEFAULTS[key] and type(spec) is type(CONDITION_DEFAULTS[key]):
        return ""
    if isinstance(spec, bool):
        return "true" if spec else "false"
    text = yaml.dump(
        _mark_leaves(spec), Dumper=_ConditionDumper, allow_unicode=True, sort_keys=False, width=100
    )
    return text.strip()


class _Leaf(dict):
    """A {field, op, value} condition: written on one line."""


class _ConditionDumper(yaml.SafeDumper):
    pass


_ConditionDumper.add_representer(
    _Leaf, lambda dumper, data: dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=True)
)


def _mark_leaves(spec: Any) -> Any:
    if isinstance(spec, Mapping):
        marked = {key: _mark_leaves(value) for key, value in spec.items()}
        return _Leaf(marked) if "field" in spec else marked
    if isinstance(spec, list):
        return [_mark_leaves(item) for item in spec]
    return spec


def condition_spec(text: str, *, code: str, key: str) -> Any:
    """The rule-language data of a condition's text; CatalogueError naming the item if it is not YAML."""
    if not (text or "").strip():
        return CONDITION_DEFAULTS[key]
    try:
        return yaml.load(text, Loader=_LOADER)  # a safe loader (CSafeLoader or SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"（第 {mark.line + 1} 行）" if mark else ""
        raise CatalogueError(
            f"事项 '{code}' 的{CONDITION_LABELS[key]}（{key}）不是有效的 YAML{where}"
        ) from None


# ---------------------------------------------------------------------------------------------- seeding


def shipped_item_fields() -> list[dict[str, Any]]:
    """The field values of one row per item of the shipped reference/catalogue.yaml, in catalogue order."""
    text = resources.files("daiban.reference").joinpath("catalogue.yaml").read_text(encoding="utf-8")
    data = yaml.load(text, Loader=_LOADER)  # a safe loader
    departments = data.get("departments") or {}
    return [item_fields(raw, departments, order=(index + 1) * 10) for index, raw in enumerate(data["items"])]


def item_fields(raw: Mapping[str, Any], departments: Mapping[str, str], *, order: int) -> dict[str, Any]:
    """One YAML item as row field values (the department as its full name, its code kept beside it)."""
    statutory, promised = raw["statutory"], raw["promised"]
    code = str(raw["department"])
    return {
        "code": raw["code"],
        "name": raw["name"],
        "path": raw["path"],
        "stage": raw["stage"],
        "department": str(departments.get(code, code)),
        "department_code": code if code in departments else "",
        "level": raw["level"],
        "delegated": bool(raw.get("delegated", False)),
        "statutory_days": statutory["days"],
        "statutory_unit": statutory.get("unit", "working_days"),
        "statutory_source": statutory["source"],
        "extension_days": statutory.get("extension_days", 0),
        "promised_days": promised["days"],
        "promised_unit": promised.get("unit", "working_days"),
        "promised_source": promised["source"],
        "prerequisites": list(raw.get("prerequisites") or []),
        "commitment": bool(raw.get("commitment", False)),
        "regional_assessment": bool(raw.get("regional_assessment", False)),
        "tolerated_gap": bool(raw.get("tolerated_gap", False)),
        "materials": list(raw.get("materials") or []),
        **{key: condition_text(raw.get(key, default), key) for key, default in CONDITION_DEFAULTS.items()},
        "description": str(raw.get("description", "")),
        "order": order,
        "active": True,
    }


# ---------------------------------------------------------------------------------------------- building


def item_data(record: Any) -> dict[str, Any]:
    """A row in the shape ``Catalogue.from_data`` reads (the department given by its full name)."""
    code = record.code
    return {
        "code": code,
        "name": record.name,
        "path": record.path,
        "stage": record.stage,
        "department": record.department,
        "level": record.level,
        "delegated": record.delegated,
        "statutory": {
            "days": record.statutory_days,
            "unit": record.statutory_unit,
            "source": record.statutory_source,
            "extension_days": record.extension_days,
        },
        "promised": {
            "days": record.promised_days,
            "unit": record.promised_unit,
            "source": record.promised_source,
        },
        "prerequisites": list(record.prerequisites or []),
        "commitment": record.commitment,
        "regional_assessment": record.regional_assessment,
        "tolerated_gap": record.tolerated_gap,
        "materials": list(record.materials or []),
        **{key: condition_spec(getattr(record, key), code=code, key=key) for key in CONDITION_DEFAULTS},
        "description": record.description or "",
    }


def build_catalogue(records: Iterable[Any]) -> Catalogue:
    """The validated core catalogue of the active rows, in (order, code) order.

    Raises CatalogueError naming the culprit: an unknown prerequisite (also one that is inactive), a cycle,
    a condition with an unknown field or operator, a promise longer than the law's limit.
    """
    records = list(records)
    _check_inactive_prerequisites(records)
    rows = sorted((r for r in records if r.active), key=lambda r: (r.order, r.code))
    catalogue = Catalogue.from_data({"items": [item_data(row) for row in rows]})
    # Note: from_data got full department names (no code table), so the department codes are put back here.
    codes = {row.code: row.department_code or row.department for row in rows}
    items = tuple(dataclasses.replace(item, department_code=codes[item.code]) for item in catalogue.items)
    departments = {row.department_code: row.department for row in rows if row.department_code}
    return Catalogue(items, departments)


def _check_inactive_prerequisites(records: list[Any]) -> None:
    """Say "停用" rather than the core's "不存在" when an active item needs an inactive one."""
    inactive = {record.code for record in records if not record.active}
    for record in (record for record in records if record.active):
        for code in record.prerequisites or ():
            if code in inactive:
                raise CatalogueError(f"事项 '{record.code}' 的前置事项 '{code}' 已停用")
