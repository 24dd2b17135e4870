"""Column headers → the guidelines' period (FY2023) and status (actual | target | plan).

Headers name years in three ways: with an era and its initial (R5年度, 令和5年度, H30, 平成30年度),
in the Western calendar (2023年度), or bare (5年度) on a form whose era is known. Status comes
from the header's words; which word means which status is the form profile's decision
(見込 sits under 目標値 on one form and means a plan on another), so the rules arrive as an
ordered list of (regex, status) pairs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.text.fold import fold as header_key  # headers compare like every name: folded

#: Era name or initial → the Western year of its year 0 (令和1 = 2019, 平成1 = 1989).
ERA_BASE = {"令和": 2018, "R": 2018, "平成": 1988, "H": 1988}
_ERA_YEAR = re.compile(r"(令和|平成|(?<![A-Za-z])[RH])(\d{1,2}|元)(?!\d)")
_WESTERN = re.compile(r"((?:19|20)\d{2})年度")
_BARE = re.compile(r"(?<![\d.])(\d{1,2}|元)年度")
#: The highest 令和 year that a bare "N年度" can mean when a sheet says nothing of its era;
#: above it a bare year is read as 平成 (the sheets of the 2010s write 20年度 for 平成20年度).
REIWA_BARE_MAX = 12


def fiscal_year(text: str, era: str | None) -> int | None:
    """The Western fiscal year a header names, or None.

    ``era`` ("令和", "平成" or None) is the form's era for a bare ``5年度``; with None a
    bare year up to :data:`REIWA_BARE_MAX` is read as 令和 and a higher one as 平成.
    """
    key = header_key(text)
    match = _ERA_YEAR.search(key)
    if match:
        return ERA_BASE[match.group(1)] + _era_number(match.group(2))
    western = _WESTERN.search(key)
    if western:
        return int(western.group(1))
    bare = _BARE.search(key)
    if bare:
        number = _era_number(bare.group(1))
        if era is None:
            era = "令和" if number <= REIWA_BARE_MAX else "平成"
        return ERA_BASE[era] + number
    return None


def _era_number(text: str) -> int:
    """``"元"`` (the first year of an era) → 1, digits → their value."""
    return 1 if text == "元" else int(text)


def period_of(text: str, era: str | None) -> str:
    """``"R5年度実績"`` → ``"FY2023"``; "" when the header names no year."""
    year = fiscal_year(text, era)
    return f"FY{year}" if year is not None else ""


def status_of(text: str, rules: Sequence[tuple[str, str]]) -> str:
    """The status of the first rule whose regex finds a match in the header, or ""."""
    key = header_key(text)
    for pattern, status in rules:
        if re.search(pattern, key):
            return status
    return ""
