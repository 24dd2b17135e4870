"""dates.find_dates: calendar references found and normalised (they are entities, not metrics)."""

from __future__ import annotations

import pytest

from pipeline.rules.dates import find_dates
from pipeline.text.textnorm import normalize


def normalized(text: str) -> list[str]:
    """The normal forms find_dates gives for ``text``, in order."""
    return [d.normalized for d in find_dates(text)]


@pytest.mark.parametrize("text, expected", [
    ("令和5年度", "FY2023"),
    ("令和元年度", "FY2019"),
    ("H30年度", "FY2018"),
    ("2023年度", "FY2023"),
    ("R6/2/3", "2024-02-03"),
    ("R5.4.1", "2023-04-01"),
    ("令和元年5月1日", "2019-05-01"),
    ("平成31年4月", "2019-04"),
    ("2023年3月", "2023-03"),
    ("3月21日", "--03-21"),
    ("3/21", "--03-21"),
    ("7/27-30", "--07-27"),
    ("2050年", "2050"),
])
def test_whole_string_is_one_date(text: str, expected: str) -> None:
    found = find_dates(text)
    assert [(d.start, d.end, d.normalized) for d in found] == [(0, len(text), expected)]


@pytest.mark.parametrize("text", ["13/45", "0/0", "13月1日", "令和5年13月", "R6/13/3", "2023/13/1"])
def test_impossible_month_or_day_is_rejected(text: str) -> None:
    assert find_dates(text) == []


def test_day_beyond_the_end_of_its_month_is_rejected() -> None:
    """2月30日 and 4月31日 do not exist; 2/29 may (a leap year), so it stays."""
    assert normalized("2/29") == ["--02-29"]
    accepted = {t: normalized(t) for t in ("2/30", "2024年2月30日", "R6/4/31") if find_dates(t)}
    assert accepted == {}, f"impossible calendar dates were normalised: {accepted}"


@pytest.mark.parametrize("text", ["2,050年", "CHTF 2023に", "40日", "48.9%", "2,230人"])
def test_non_dates(text: str) -> None:
    assert find_dates(text) == []


def test_dates_in_a_real_cell_map_back_to_the_original(tsukuba_cells: dict[tuple[str, str], str]) -> None:
    """161/outcome lists its visits as (7 /27-30), (9/30・3/16), (3/21): wrapped and not."""
    cell = tsukuba_cells[("161", "outcome")]
    norm = normalize(cell)
    found = find_dates(norm.text)
    by_norm = {d.normalized: norm.original_span_text(d.start, d.end) for d in found}
    assert by_norm["--07-27"] == "7 /27-30"
    assert by_norm["--10-16"] == "10 /16-20"
    assert by_norm["--09-30"] == "9/30"
    assert by_norm["--03-16"] == "3/16"
    assert by_norm["--03-21"] == "3/21"
    assert by_norm["--11-15"] == "11/15-17"
    assert "2023" not in " ".join(by_norm.values()), "CHTF 2023 is a name, not a date"


def test_fiscal_year_in_a_real_cell(tsukuba_cells: dict[tuple[str, str], str]) -> None:
    cell = tsukuba_cells[("15", "overview")]
    norm = normalize(cell)
    found = find_dates(norm.text)
    assert [(norm.original_span_text(d.start, d.end), d.normalized) for d in found] == [("令和5年度", "FY2023")]
