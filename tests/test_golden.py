"""Outputs stay byte-identical to tests/golden (see tests/golden_outputs.py): a change of
layout or speed must not change a byte; a change of rules shows as a diff to review."""

from __future__ import annotations

from pathlib import Path

import pytest

from golden_outputs import GOLDEN, KEPT_WHOLE, ROOT, manifest, produce


def test_outputs_are_byte_identical_to_the_golden_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    monkeypatch.chdir(ROOT)
    produce(tmp_path)
    expected = dict(reversed(line.split("  ", 1)) for line in
                    (GOLDEN / "MANIFEST").read_text(encoding="utf-8").splitlines())
    got = manifest(tmp_path)
    assert sorted(got) == sorted(expected), "other output files than the golden ones"
    differing = [rel for rel in got if got[rel] != expected[rel]]
    for rel in differing:  # a readable table is compared line by line for a useful message
        if Path(rel).name in KEPT_WHOLE:
            assert (tmp_path / rel).read_text(encoding="utf-8") == (GOLDEN / rel).read_text(encoding="utf-8")
    assert differing == [], "outputs changed: review, then `make golden`"
