"""Choices of the project fields, in one place.

The handbook facts (investment type, approval mode, land supply mode, …) are defined by the pure core in
``daiban.core.catalogue.PROJECT_FACTS``; their choices here are read from it so a model field can never hold a
code the handbook tailoring does not know.
"""

from __future__ import annotations

from django.db import models

from daiban.core.catalogue import PROJECT_FACTS


def fact_label(name: str) -> str:
    """The Chinese label of one fact, used as the model field's verbose name."""
    return PROJECT_FACTS[name].label


def fact_choices(name: str) -> list[tuple[str, str]]:
    """(code, Chinese label) pairs of one enum fact of the core's PROJECT_FACTS."""
    field = PROJECT_FACTS[name]
    labels = dict(field.choice_labels)
    return [(code, labels.get(code, code)) for code in field.choices]


class Category(models.TextChoices):
    NEW_START = "new_start", "新开工"
    CONTINUING = "continuing", "续建"
    COMPLETING = "completing", "竣工投产"
    RESERVE = "reserve", "储备"


class Light(models.TextChoices):
    GREEN = "green", "正常"
    YELLOW = "yellow", "预警"
    RED = "red", "逾期/滞后"
