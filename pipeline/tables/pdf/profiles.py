"""Form profiles: what each city's sheet calls its fields and where its tables are, as data.

A profile is one YAML file in ``pipeline/resources/forms/`` (see the README there). Keeping
the forms in data means a new city's form is a new file, not new code; the code here only
checks each file's shape so that a typo fails loudly with the file and key named, instead
of silently reading nothing. ``generic.yaml`` is not a profile but the vocabulary of the
fallback mode for sheets no profile recognises.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .periods import header_key

#: The folder of form profiles, found from this file so it works from any working directory.
FORMS_DIR = Path(__file__).resolve().parents[2] / "resources" / "forms"
GENERIC = "generic"
#: Where a table's item label comes from in the rows-are-statuses layout.
ITEM_SOURCES = ("fixed", "block", "anchor")


class ProfileError(ValueError):
    """A form profile that does not have the expected shape."""


@dataclass(frozen=True)
class FieldPart:
    """One labelled cell that contributes to a text field.

    ``take`` says where the text is relative to the label (right or below); ``title``
    prefixes the text ("block" prefixes the name of the enclosing block, such as a 細事業).
    """

    label: str
    take: str = "right"
    title: str = ""


@dataclass(frozen=True)
class TableSpec:
    """Where a table is and how to read it.

    ``corner`` matches the table's top-left header cell; with ``anchor``, a corner belongs
    to this table only when the nearest label cell at or above it (among all anchors of the
    profile) matches this anchor. ``layout`` "items" reads one item per row (the label cells
    left of the values name it); "statuses" reads one status per row (決算, 想定, 実績) for a
    single item named by ``item`` ("fixed": ``item_label``, "block": the enclosing block's
    name, "anchor": the cell right of the anchor label).
    """

    table: str
    corner: str
    layout: str
    columns: str
    anchor: str = ""
    unit_column: str = ""
    unit_text: str = ""
    unit_label: str = ""
    delta_columns: str = ""
    indicator_kind: str = ""
    item: str = "fixed"
    item_label: str = ""
    parent_label: str = ""
    group: str = ""
    total_row: str = ""
    total_label: str = ""
    groups: tuple[tuple[str, str], ...] = ()
    subset_rows: str = ""
    strip_label: str = ""
    row_units: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class FormProfile:
    """One form: how to recognise it, its fields, its tables, and how headers give status."""

    name: str
    title: str
    detect: tuple[str, ...]
    era: str | None
    id_pattern: str
    block_start: str
    fields: tuple[tuple[str, tuple[FieldPart, ...]], ...]
    status: tuple[tuple[str, str], ...]
    tables: tuple[TableSpec, ...]

    def matches(self, page_text: str) -> bool:
        """True when every detection word is on the page (compared without spaces, NFKC)."""
        key = header_key(page_text)
        return all(header_key(word) in key for word in self.detect)


@dataclass(frozen=True)
class GenericVocabulary:
    """The fallback mode's words: field label aliases, header words, table-kind words."""

    fields: tuple[tuple[str, tuple[str, ...]], ...]
    header_words: str
    unit_column: str
    status: tuple[tuple[str, str], ...]
    status_rows: str
    cost_words: str
    total_rows: str
    indicator_kinds: tuple[tuple[str, str], ...]


_PROFILE_KEYS = {"name", "title", "detect", "era", "project_id", "blocks", "fields", "status",
                 "tables"}
_TABLE_KEYS = set(TableSpec.__dataclass_fields__) | {"total", "item"}
_PART_KEYS = {"label", "take", "title"}
_LAYOUTS = ("items", "statuses")


def form_names() -> list[str]:
    """The names of the shipped form profiles (without the generic vocabulary)."""
    return sorted(p.stem for p in FORMS_DIR.glob("*.yaml") if p.stem != GENERIC)


@functools.cache
def load_profiles() -> tuple[FormProfile, ...]:
    """Every shipped profile, in name order (the order recognition tries them)."""
    return tuple(load_profile(FORMS_DIR / f"{name}.yaml") for name in form_names())


def profile_named(name: str) -> FormProfile:
    """The profile called ``name``; a :class:`ProfileError` listing the names otherwise."""
    for profile in load_profiles():
        if profile.name == name:
            return profile
    raise ProfileError(f"no form profile named {name!r}; shipped: {', '.join(form_names())} "
                       f"(or {GENERIC!r} for the fallback mode)")


def load_profile(path: Path) -> FormProfile:
    """Read and check one profile file."""
    data = _load_yaml(path)
    _check_keys(path, "profile", data, _PROFILE_KEYS)
    where = f"{path.name}"
    name = _text(data, "name", where)
    if name != path.stem:
        raise ProfileError(f"{where}: name {name!r} must equal the file name {path.stem!r}")
    project_id = data.get("project_id") or {}
    fields = data.get("fields") or {}
    if not isinstance(fields, dict):
        raise ProfileError(f"{where}: fields must be a mapping of field → parts")
    return FormProfile(
        name=name,
        title=_text(data, "title", where),
        detect=tuple(_strings(data.get("detect"), f"{where}: detect")),
        era=data.get("era"),
        id_pattern=_regex(project_id.get("pattern", ""), f"{where}: project_id.pattern"),
        block_start=_regex((data.get("blocks") or {}).get("start", ""), f"{where}: blocks.start"),
        fields=tuple((field, tuple(_part(part, f"{where}: fields.{field}") for part in parts))
                     for field, parts in fields.items()),
        status=_status(data.get("status"), where),
        tables=tuple(_table(spec, f"{where}: tables[{i}]")
                     for i, spec in enumerate(data.get("tables") or [])),
    )


@functools.cache
def load_generic() -> GenericVocabulary:
    """The fallback mode's vocabulary from ``generic.yaml``."""
    path = FORMS_DIR / f"{GENERIC}.yaml"
    data = _load_yaml(path)
    _check_keys(path, "vocabulary", data, {"name", "title", "fields", "header_words",
                                           "unit_column", "status", "status_rows",
                                           "cost_words", "total_rows", "indicator_kinds"})
    where = path.name
    return GenericVocabulary(
        fields=tuple((field, tuple(_strings(aliases, f"{where}: fields.{field}")))
                     for field, aliases in (data.get("fields") or {}).items()),
        header_words=_regex(_text(data, "header_words", where), f"{where}: header_words"),
        unit_column=_regex(_text(data, "unit_column", where), f"{where}: unit_column"),
        status=_status(data.get("status"), where),
        status_rows=_regex(_text(data, "status_rows", where), f"{where}: status_rows"),
        cost_words=_regex(_text(data, "cost_words", where), f"{where}: cost_words"),
        total_rows=_regex(_text(data, "total_rows", where), f"{where}: total_rows"),
        indicator_kinds=tuple((_regex(p, f"{where}: indicator_kinds"), kind)
                              for p, kind in (data.get("indicator_kinds") or {}).items()),
    )


def _load_yaml(path: Path) -> dict[str, Any]:
    """The YAML mapping in ``path``; a :class:`ProfileError` when it is not one."""
    with path.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    if not isinstance(data, dict):
        raise ProfileError(f"{path.name}: expected a mapping at the top level")
    return data


def _check_keys(path: Path, what: str, data: dict[str, Any], allowed: set[str]) -> None:
    """Refuse keys the reader would ignore: they are typos or unsupported options."""
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ProfileError(f"{path.name}: unknown {what} key(s) {unknown}; "
                           f"allowed: {sorted(allowed)}")


def _text(data: dict[str, Any], key: str, where: str) -> str:
    """A required non-empty string value."""
    value = data.get(key)
    if not isinstance(value, str) or not value:
        raise ProfileError(f"{where}: {key} must be a non-empty string")
    return value


def _strings(value: Any, where: str) -> list[str]:
    """A list of non-empty strings."""
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ProfileError(f"{where} must be a list of strings")
    return value


def _regex(pattern: str, where: str) -> str:
    """``pattern`` after checking that it compiles."""
    try:
        re.compile(pattern)
    except re.error as error:
        raise ProfileError(f"{where}: bad regex {pattern!r}: {error}") from error
    return pattern


def _status(rules: Any, where: str) -> tuple[tuple[str, str], ...]:
    """``[[regex, status], ...]`` with each status one of actual, target, plan."""
    if not isinstance(rules, list):
        raise ProfileError(f"{where}: status must be a list of [regex, status] pairs")
    out = []
    for rule in rules:
        if not (isinstance(rule, list) and len(rule) == 2 and rule[1] in ("actual", "target", "plan")):
            raise ProfileError(f"{where}: status rule {rule!r} must be [regex, actual|target|plan]")
        out.append((_regex(rule[0], f"{where}: status"), rule[1]))
    return tuple(out)


def _part(part: Any, where: str) -> FieldPart:
    """One field part: ``{label: regex, take: right|below, title: text|block}``."""
    if not isinstance(part, dict) or "label" not in part or set(part) - _PART_KEYS:
        raise ProfileError(f"{where}: each part must be a mapping with label (and optional "
                           f"take, title); got {part!r}")
    take = part.get("take", "right")
    if take not in ("right", "below"):
        raise ProfileError(f"{where}: take must be right or below, not {take!r}")
    return FieldPart(_regex(part["label"], where), take, str(part.get("title", "")))


def _table(spec: Any, where: str) -> TableSpec:
    """One table spec, with ``total: {row, label}`` and ``item: {from, label}`` unfolded."""
    if not isinstance(spec, dict):
        raise ProfileError(f"{where}: must be a mapping")
    unknown = sorted(set(spec) - _TABLE_KEYS)
    if unknown:
        raise ProfileError(f"{where}: unknown key(s) {unknown}")
    values = {k: v for k, v in spec.items() if k not in ("total", "item", "groups", "row_units")}
    total = spec.get("total") or {}
    item = spec.get("item") or {}
    values.update(total_row=total.get("row", ""), total_label=total.get("label", ""),
                  item=item.get("from", "fixed"), item_label=item.get("label", ""),
                  groups=tuple((spec.get("groups") or {}).items()),
                  row_units=tuple((spec.get("row_units") or {}).items()))
    table = TableSpec(**values)
    if table.table not in ("cost", "indicator"):
        raise ProfileError(f"{where}: table must be cost or indicator, not {table.table!r}")
    if table.layout not in _LAYOUTS:
        raise ProfileError(f"{where}: layout must be one of {_LAYOUTS}, not {table.layout!r}")
    if table.item not in ITEM_SOURCES:
        raise ProfileError(f"{where}: item.from must be one of {ITEM_SOURCES}")
    for key in ("corner", "columns", "anchor", "unit_column", "unit_label", "delta_columns",
                "total_row", "subset_rows", "strip_label"):
        _regex(getattr(table, key), f"{where}: {key}")
    return table
