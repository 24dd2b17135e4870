"""The nlp stage: the Doc contract, the content-hash cache, the backends and the model check.

Every way of running the stage (fast or plain annotation, cache cold or warm, in this
process, in two local processes or on a two-worker Dask LocalCluster) must give the same
docs file and the same extract outputs, byte for byte, as plain ``nlp.pipe``.
Timings are not tested here; they live in bench/run_bench.py.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy
import pytest
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, NORM, ORTH, POS, SENT_START, TAG
from spacy.language import Language

from pipeline.tables import files
from pipeline.ginza.backends import InProcessBackend, LocalBackend, tasks
from pipeline.cli import main
from pipeline.stages.extract import run as cmd_extract
from pipeline.stages.parse import run as cmd_parse
from pipeline.core.config import ROOT, load_params
from pipeline.ginza.docstore import SHARD_MAGIC, count_docs, from_docbin, read_docs
from pipeline.ginza.model import Annotator, ModelMismatch, NlpSettings, load_model, parse_cells, to_docbin
from pipeline.ginza.run import cells, run_nlp
from pipeline.text.textnorm import normalize

RAW_TABLE = ROOT / "data" / "raw" / "tsukuba_jimujigyo_r5.tsv"
OUTPUTS = ("metrics.csv", "entities.csv", "trends.csv", "qa.csv")
ATTRS = [ORTH, NORM, TAG, POS, LEMMA, MORPH, DEP, HEAD, ENT_IOB, ENT_TYPE, SENT_START]


def settings(**overrides: object) -> NlpSettings:
    return NlpSettings.from_params(load_params()["nlp"], **overrides)


@pytest.fixture(scope="module")
def table(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real FY2023 table parsed: a folder with projects.csv."""
    folder = tmp_path_factory.mktemp("nlp_table")
    cmd_parse(RAW_TABLE, 2023, folder)
    return folder


@pytest.fixture(scope="module")
def items(table: Path) -> list:
    return list(cells(files.read_csv(table / "projects.csv")))


def stage(table: Path, folder: Path, docs: bytes | None = None) -> Path:
    """``folder`` with the table's projects.csv, and ``docs`` as docs.spacy if given."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "projects.csv").write_bytes((table / "projects.csv").read_bytes())
    if docs is not None:
        (folder / "docs.spacy").write_bytes(docs)
    return folder


def outputs(folder: Path) -> dict[str, bytes]:
    """Run the extract stage on ``folder``; its output files' bytes."""
    cmd_extract(folder, folder / "out")
    return {name: (folder / "out" / name).read_bytes() for name in OUTPUTS}


@pytest.fixture(scope="module")
def reference(nlp: Language, table: Path, items: list, tmp_path_factory: pytest.TempPathFactory
              ) -> dict[str, bytes]:
    """Extract outputs from plain ``nlp.pipe`` parses, stored as one DocBin (the old stage)."""
    docs = list(nlp.pipe([normalize(text).text for _key, text in items], batch_size=64))
    for doc, (key, _text) in zip(docs, items):
        doc.user_data = {"cell": list(key)}
    return outputs(stage(table, tmp_path_factory.mktemp("reference"), to_docbin(docs)))


@pytest.fixture(scope="module")
def cold(table: Path, items: list, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The stage run in this process with no cache; a folder with docs.spacy."""
    folder = stage(table, tmp_path_factory.mktemp("cold"))
    run_nlp(items, folder / "docs.spacy", settings(cache_dir=None, workers=1))
    return folder


# --------------------------------------------------------------------------- the Doc contract


def test_fast_annotation_equals_plain_nlp_pipe(nlp: Language, items: list) -> None:
    texts = [normalize(text).text for _key, text in items]
    plain = list(nlp.pipe(texts, batch_size=64))
    fast = list(Annotator(nlp, fast=True, batch_size=7, batch_chars=900).pipe(texts))
    assert len(fast) == len(plain)
    for a, b in zip(plain, fast):
        assert numpy.array_equal(a.to_array(ATTRS), b.to_array(ATTRS)), a.text[:40]
        assert [(e.start_char, e.end_char, e.label_) for e in a.ents] == \
               [(e.start_char, e.end_char, e.label_) for e in b.ents]
        assert [s.text for s in a.sents] == [s.text for s in b.sents]
    assert "sub_tokens" in nlp("東京都庁").user_data  # the shared model object is left as it was


def test_docs_keep_the_contract(cold: Path, items: list) -> None:
    docs = list(read_docs(cold / "docs.spacy"))
    assert len(docs) == len(items) == count_docs(cold / "docs.spacy")
    for doc, (key, text) in zip(docs, items):
        assert doc.text == normalize(text).text
        assert doc.user_data["cell"] == [key[0], key[1]]
        assert doc.has_annotation("DEP") and doc.has_annotation("TAG") and doc.has_annotation("POS")
    assert sum(len(doc.ents) for doc in docs) > 100  # GiNZA's entities, from every sentence
    assert list(from_docbin((cold / "docs.spacy").read_bytes()))[5].text == docs[5].text


def test_shards_are_what_docbin_add_gives(nlp: Language, table: Path, items: list, tmp_path: Path) -> None:
    """One shard holding everything is byte-identical to DocBin.add of the same Docs."""
    out = tmp_path / "docs.spacy"
    run_nlp(items, out, settings(cache_dir=None, workers=1, shard_size=10_000))
    data = out.read_bytes()
    assert data.startswith(SHARD_MAGIC)
    assert data[len(SHARD_MAGIC) + 16:] == to_docbin(parse_cells(nlp, items, 64))


def test_plain_docbin_files_are_still_read(reference: dict[str, bytes], nlp: Language, table: Path,
                                           items: list, tmp_path: Path) -> None:
    data = to_docbin(parse_cells(nlp, items, 64))
    assert [d.text for d in from_docbin(data)] == [normalize(t).text for _k, t in items]
    assert outputs(stage(table, tmp_path, data)) == reference


def test_stage_outputs_equal_plain_nlp_pipe(cold: Path, reference: dict[str, bytes]) -> None:
    assert outputs(cold) == reference


# --------------------------------------------------------------------------- the cache


def test_second_run_parses_nothing_and_an_edit_parses_only_its_cell(
        table: Path, items: list, cold: Path, tmp_path: Path) -> None:
    cached = settings(cache_dir=str(tmp_path / "cache"), workers=1)
    first = run_nlp(items, tmp_path / "first.spacy", cached)
    assert first.parsed == first.distinct and first.cell_hits == 0
    second = run_nlp(items, tmp_path / "second.spacy", cached)
    assert second.parsed == 0 and second.hit_rate == 1.0
    assert (tmp_path / "second.spacy").read_bytes() == (cold / "docs.spacy").read_bytes()

    (key, text), i = items[3], 3
    edited = [*items[:i], (key, text + "。参加者は120人に増加した。"), *items[i + 1:]]
    third = run_nlp(edited, tmp_path / "third.spacy", cached)
    assert third.parsed == 1 and third.cell_hits == len(items) - 1
    fresh = run_nlp(edited, tmp_path / "fresh.spacy", settings(cache_dir=None, workers=1))
    assert fresh.parsed == fresh.distinct
    assert (tmp_path / "third.spacy").read_bytes() == (tmp_path / "fresh.spacy").read_bytes()


def test_repeated_cells_are_parsed_once(items: list, tmp_path: Path) -> None:
    doubled = [*items, *[((key[0] + "-copy", key[1]), text) for key, text in items[:10]]]
    stats = run_nlp(doubled, tmp_path / "docs.spacy", settings(cache_dir=None, workers=1))
    assert stats.cells == len(items) + 10 and stats.parsed == len({normalize(t).text for _k, t in items})
    docs = list(read_docs(tmp_path / "docs.spacy"))
    assert [d.user_data["cell"] for d in docs[-10:]] == [[k[0] + "-copy", k[1]] for k, _t in items[:10]]


# --------------------------------------------------------------------------- backends


def test_tasks_cover_every_text_once() -> None:
    texts = {f"h{i}": "あ" * (1 + (i * 37) % 500) for i in range(300)}
    chunks = list(tasks(texts, 2000, workers=2))
    assert sorted(h for chunk in chunks for h, _t in chunk) == sorted(texts)
    assert len(chunks) > 10


def test_one_and_two_local_processes_give_identical_docs(table: Path, items: list, cold: Path,
                                                         reference: dict[str, bytes], tmp_path: Path) -> None:
    two = settings(cache_dir=None, workers=2, parallel_min_chars=0, task_chars=600)
    backend = LocalBackend(two, 2)
    try:
        run_nlp(items, tmp_path / "docs.spacy", two, backend=backend)
    finally:
        backend.close()
    assert (tmp_path / "docs.spacy").read_bytes() == (cold / "docs.spacy").read_bytes()
    assert outputs(stage(table, tmp_path / "two", (tmp_path / "docs.spacy").read_bytes())) == reference


def test_dask_backend_gives_identical_docs(table: Path, items: list, cold: Path, tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    from pipeline.ginza.dask_cluster import DaskBackend

    dask = settings(cache_dir=None, backend="dask", workers=2, task_chars=600)
    backend = DaskBackend(dask, 2)
    try:
        assert backend.workers == 2
        stats = run_nlp(items, tmp_path / "docs.spacy", dask, backend=backend)
    finally:
        backend.close()
    assert stats.parsed == stats.distinct
    assert (tmp_path / "docs.spacy").read_bytes() == (cold / "docs.spacy").read_bytes()


def test_plain_annotation_gives_identical_docs(items: list, cold: Path, tmp_path: Path) -> None:
    plain = settings(cache_dir=None, workers=1, fast=False)
    run_nlp(items[:12], tmp_path / "docs.spacy", plain, backend=InProcessBackend(plain))
    fast = settings(cache_dir=None, workers=1)
    run_nlp(items[:12], tmp_path / "fast.spacy", fast)
    assert (tmp_path / "docs.spacy").read_bytes() == (tmp_path / "fast.spacy").read_bytes()


# --------------------------------------------------------------------------- the model check


def test_a_model_version_other_than_params_stops_with_a_clear_message() -> None:
    with pytest.raises(ModelMismatch, match=r"installed ja-ginza is 5\.3\.0, but params\.yaml "
                                            r"nlp\.model_version pins 9\.9\.9"):
        load_model("ja_ginza", "9.9.9")
    with pytest.raises(ModelMismatch, match="model package ja-ginza-nonexistent is not installed"):
        load_model("ja_ginza_nonexistent", "5.3.0")


def test_the_nlp_command_refuses_a_mismatched_model(table: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    import pipeline.cli
    import pipeline.stages.nlp

    params = load_params()
    wrong = {**params, "nlp": {**params["nlp"], "model_version": "9.9.9", "cache_dir": None}}
    monkeypatch.setattr(pipeline.stages.nlp, "load_params", lambda *a, **k: wrong)
    folder = stage(table, tmp_path)
    assert main(["nlp", str(folder)]) == 2
    assert "pins 9.9.9" in capsys.readouterr().err
    assert not (folder / "docs.spacy").exists()


def test_settings_come_from_params() -> None:
    params = load_params()["nlp"]
    s = NlpSettings.from_params(params)
    assert (s.model, s.model_version) == (params["model"], str(params["model_version"]))
    assert {f.name for f in dataclasses.fields(NlpSettings)} >= set(params)
    with pytest.raises(ValueError, match="backend"):
        NlpSettings.from_params(params, backend="spark")


def test_long_text_is_split_for_sudachi_and_joined_back() -> None:
    from pipeline.ginza.model import split_long_text

    text = "定員335名に対し310名ほどで、数を確保できている。" * 40 + "参加者は2,230人"
    pieces = split_long_text(text, 200)
    assert "".join(pieces) == text and len(pieces) > 1
    assert all(len(p.encode("utf-8")) <= 200 for p in pieces)
    assert all(p.endswith("。") for p in pieces[:-1])  # cut after a sentence where there is one
    assert split_long_text("短い文。", 200) == ["短い文。"]
    unbroken = "あ" * 100
    assert "".join(split_long_text(unbroken, 30)) == unbroken


def test_a_cell_too_long_for_one_parse_is_one_doc_all_the_same(nlp: Language, monkeypatch) -> None:
    import pipeline.ginza.model as nlp_module

    text = "外国人相談窓口件数計：1,285件。" + "シェイクアウト訓練を1回実施（96団体 42,444名参加）。" * 3
    whole = next(Annotator(nlp).pipe([text]))
    monkeypatch.setattr(nlp_module, "MAX_TEXT_BYTES", 120)
    docs = list(Annotator(nlp).pipe([text, "定員335名"]))
    assert [d.text for d in docs] == [text, "定員335名"]
    assert [t.text for t in docs[0]] == [t.text for t in whole]
    assert [e.text for e in docs[0].ents] == [e.text for e in whole.ents]
