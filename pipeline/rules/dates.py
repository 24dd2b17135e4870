"""Calendar references (令和5年度, R6/2/3, R6.12末時点, 3月21日): not metrics, but entities with a normal form."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from pipeline import resources

ERA_START = resources.eras()

#: 令和5年度, R5, H30年, 2023年度: a year as evaluation sheets write it (a pattern to build others on).
YEAR = r"(?:(?:令和|平成|昭和|R|H)\s?(?:元|\d{1,2})|\d{4})\s?年度?"

#: R3, H30, R元: an era year written with its initial alone and no 年 (a pattern to build others on).
BARE_ERA_YEAR = r"[RH](?:元|\d{1,2})"
#: 第1四半期: a quarter, with no year of its own (a pattern to build others on).
QUARTER = r"第\s?(?P<q>[1-4])\s?四半期"

#: 4月1日現在, R6.12末時点, R4.12調査時点: the words after a date that make it the moment a figure stands at.
AS_OF = re.compile(r"\s?(?:末|調査)?(?:時点|現在)")

_ERA = r"(?P<era>" + "|".join(sorted(ERA_START, key=len, reverse=True)) + r")\s?(?P<eyear>元|\d{1,2})"
_DATE = re.compile(
    rf"{_ERA}(?:(?P<fy>年度)|年(?:(?P<em>\d{{1,2}})月(?:(?P<ed>\d{{1,2}})日)?)?"
    r"|[/.](?P<sm>\d{1,2})(?:[/.](?P<sd>\d{1,2})|(?=\s?(?:末|時点|現在|調査))))"  # R6.12末時点, R4.12調査時点: a month
    r"|(?<!\d)(?P<year>(?:19|20)\d{2})(?:(?P<yfy>年度)|年(?:(?P<ym>\d{1,2})月(?:(?P<yd>\d{1,2})日)?)?"
    r"|[/.](?P<ysm>\d{1,2})[/.](?P<ysd>\d{1,2}))"
    r"|(?<![\d/])(?P<month>\d{1,2})月(?P<day>\d{1,2})日"
    r"|(?<![\d/.])(?P<smonth>\d{1,2})/(?P<sday>\d{1,2})(?:-\d{1,2})?(?![\d/])"
)


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    normalized: str


def _valid(month: int, day: int = 1, year: int | None = None) -> bool:
    """A real calendar day; without a year, 2/29 is allowed (some year has it)."""
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year or 2000, month)[1]


def _iso(year: int | None, month: str | None, day: str | None) -> str:
    if month is None:
        return f"{year:04d}"
    if not _valid(int(month), int(day or 1), year):
        return ""
    head = f"{year:04d}" if year is not None else "-"
    return f"{head}-{int(month):02d}" + (f"-{int(day):02d}" if day else "")


def find_dates(text: str) -> list[DateMention]:
    """Dates and fiscal years in NFKC text, normalised: 令和5年度 → FY2023, R6/2/3 → 2024-02-03."""
    found = []
    for m in _DATE.finditer(text):
        g = m.groupdict()
        if g["era"]:
            year = ERA_START[g["era"]] + (1 if g["eyear"] == "元" else int(g["eyear"]))
            norm = (f"FY{year}" if g["fy"] else
                    _iso(year, g["em"] or g["sm"], g["ed"] or g["sd"]))
        elif g["year"]:
            year = int(g["year"])
            norm = f"FY{year}" if g["yfy"] else _iso(year, g["ym"] or g["ysm"], g["yd"] or g["ysd"])
        elif g["month"]:
            norm = _iso(None, g["month"], g["day"])
        else:
            norm = _iso(None, g["smonth"], g["sday"])
        if norm:
            found.append(DateMention(m.start(), m.end(), norm))
    return found
