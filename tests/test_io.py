"""io: CSV round trips keep text as text; atomic writes never leave half a file behind."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pipeline.tables import files

BOM = b"\xef\xbb\xbf"


def sample_frame() -> pd.DataFrame:
    """Columns that pandas would turn into numbers if it guessed types, and Japanese text."""
    return pd.DataFrame({
        "project_id": ["0073", "0159", "007", "0"],          # leading zeros
        "sub_id": ["12-3", "1-1", "3-10", "12-12"],          # looks like a date or arithmetic
        "value": ["2230", "48.9", "0.50", "1e3"],            # numeric-looking, kept as written
        "parent_id": ["", "", "2023-159-outcome-58", ""],    # empty stays empty, not NaN
        "surface": ["2,230人", "48.9%", "31 0名", "韓国 語10件"],
        "concept": ["チャンネル登録者数", "回答率", "NA", "null"],
    })


def other_files(folder: Path, *keep: Path) -> list[str]:
    """Files in ``folder`` other than ``keep`` (temporary files would show up here)."""
    return sorted(p.name for p in folder.iterdir() if p not in keep)


@pytest.mark.parametrize("excel", [False, True])
def test_write_then_read_keeps_every_cell_as_text(tmp_path: Path, excel: bool) -> None:
    df = sample_frame()
    target = tmp_path / "metrics.csv"
    files.write_csv(df, target, excel=excel)
    back = files.read_csv(target)
    assert list(back.columns) == list(df.columns)
    assert back.to_dict("records") == df.to_dict("records")
    assert back["project_id"].tolist() == ["0073", "0159", "007", "0"]
    assert back["sub_id"].tolist() == ["12-3", "1-1", "3-10", "12-12"]
    assert back["value"].tolist() == ["2230", "48.9", "0.50", "1e3"]
    assert all(isinstance(v, str) for v in back.to_numpy().ravel())


def test_excel_csv_starts_with_a_utf8_bom(tmp_path: Path) -> None:
    plain, excel = tmp_path / "plain.csv", tmp_path / "excel.csv"
    files.write_csv(sample_frame(), plain)
    files.write_csv(sample_frame(), excel, excel=True)
    assert not plain.read_bytes().startswith(BOM)
    assert excel.read_bytes().startswith(BOM)
    assert excel.read_bytes()[len(BOM):] == plain.read_bytes()
    excel.read_bytes()[len(BOM):].decode("utf-8")  # the rest is UTF-8


def test_csv_bytes_are_deterministic_with_lf_line_ends(tmp_path: Path) -> None:
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    files.write_csv(sample_frame(), a)
    files.write_csv(sample_frame(), b)
    assert a.read_bytes() == b.read_bytes()
    assert b"\r\n" not in a.read_bytes()
    assert a.read_bytes().count(b"\n") == len(sample_frame()) + 1


def test_atomic_path_success_renames_into_place_without_leftovers(tmp_path: Path) -> None:
    target = tmp_path / "out" / "metrics.csv"
    with files.atomic_path(target) as tmp:
        assert tmp != target and tmp.parent == target.parent
        assert not target.exists()
        tmp.write_text("new", encoding="utf-8")
    assert target.read_text(encoding="utf-8") == "new"
    assert other_files(target.parent, target) == []


def test_atomic_path_failure_keeps_the_old_target_and_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "metrics.csv"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError, match="killed"):
        with files.atomic_path(target) as tmp:
            tmp.write_text("half a ta", encoding="utf-8")
            raise RuntimeError("killed mid-write")
    assert target.read_text(encoding="utf-8") == "old"
    assert other_files(tmp_path, target) == []


def test_atomic_path_failure_creates_no_target(tmp_path: Path) -> None:
    target = tmp_path / "new.csv"
    with pytest.raises(KeyError):
        with files.atomic_path(target) as tmp:
            tmp.write_text("partial", encoding="utf-8")
            raise KeyError("boom")
    assert not target.exists()
    assert other_files(tmp_path) == []


def test_write_csv_failing_frame_leaves_the_previous_file(tmp_path: Path) -> None:
    """A frame that cannot be written (to_csv raises) does not clobber the old table."""
    target = tmp_path / "metrics.csv"
    files.write_csv(sample_frame(), target)
    before = target.read_bytes()

    class Broken(pd.DataFrame):
        def to_csv(self, *args: object, **kwargs: object) -> None:  # type: ignore[override]
            args[0].write("project_id\n00")  # type: ignore[union-attr]
            raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        files.write_csv(Broken(sample_frame()), target)
    assert target.read_bytes() == before
    assert other_files(tmp_path, target) == []


def test_write_json_is_sorted_utf8(tmp_path: Path) -> None:
    target = tmp_path / "eval.json"
    files.write_json({"b": 1, "a": "つくば"}, target)
    text = target.read_text(encoding="utf-8")
    assert text.index('"a"') < text.index('"b"') and "つくば" in text and text.endswith("\n")
