"""Rule vocabulary as data: one file per table, one loader per file.

The files are read once per process; the rules compile what they need from the returned
structures. Adding a word is an edit of a data file, not of code (see README in this folder).
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml


def _yaml(name: str) -> Any:
    return yaml.safe_load(resources.files(__name__).joinpath(name).read_text("utf-8"))


def text(name: str) -> str:
    """A resource file's text (for the TSV tables, which their own modules parse)."""
    return resources.files(__name__).joinpath(name).read_text("utf-8")


@lru_cache(maxsize=1)
def qualifiers() -> dict[str, Any]:
    """``order``, and ``prefix``/``suffix``: qualifier → its words, in matching order."""
    return _yaml("qualifiers.yaml")


@lru_cache(maxsize=1)
def eras() -> dict[str, int]:
    """Era name or initial → the Gregorian year before its first year."""
    return {str(k): int(v) for k, v in _yaml("eras.yaml").items()}


@lru_cache(maxsize=1)
def directions() -> dict[str, Any]:
    """``change`` (after a figure), ``object`` (a verb the figure is the object of: を削減), ``before``
    (a mark before it: ▲) and ``trend``: direction → its
    words; ``discount``: the words that make a percentage before them a fee's discount."""
    return _yaml("directions.yaml")


@lru_cache(maxsize=1)
def set_phrases() -> list[str]:
    """Patterns of set phrases whose numbers count nothing (1人1台, の一つ)."""
    return [str(p) for p in _yaml("set_phrases.yaml")]


@lru_cache(maxsize=1)
def concept_words() -> dict[str, list[str]]:
    """Word lists of the concept rules: scope, other, linking_verbs,
    comparative_verbs, time_words, measures, object_actions, measure_ends, money_ends, hiragana_nouns, event_nouns,
    not_concepts, class_counters, connectives, generic_heads, value_labels."""
    return _yaml("concept_words.yaml")


@lru_cache(maxsize=1)
def periods() -> dict[str, Any]:
    """Relative time words, span markers and status words."""
    return _yaml("periods.yaml")


@lru_cache(maxsize=1)
def labels() -> dict[str, dict[str, str]]:
    """Column → code → Japanese label, for the workbook and the report."""
    return {column: {str(k): str(v) for k, v in codes.items()} for column, codes in _yaml("labels.yaml").items()}


@lru_cache(maxsize=1)
def bases() -> dict[str, list[str]]:
    """``previous_year`` and ``previous_period`` bases of a change, and the words that join them."""
    return _yaml("bases.yaml")


@lru_cache(maxsize=1)
def scopes() -> dict[str, Any]:
    """Heading marks, cap words and the words that spread a bracket over a list."""
    return _yaml("scopes.yaml")


@lru_cache(maxsize=1)
def heading_marks() -> str:
    """The marks that open a heading line (scopes.yaml ``heading_marks``), escaped for a regex character class:
    one reading for every rule that looks for a heading."""
    return re.escape(scopes()["heading_marks"])
