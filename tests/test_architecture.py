"""The package's layout holds: layers and no cycles (import-linter contracts in pyproject.toml),
no private name used outside its module, and DVC stage dependencies that cover every module
a stage runs."""

from __future__ import annotations

import ast
from pathlib import Path

import grimp
import pytest
import yaml
from importlinter.cli import lint_imports

from pipeline.core.config import ROOT

PACKAGE = ROOT / "pipeline"
#: What `python -m pipeline COMMAND` runs, by the command a dvc.yaml stage calls.
STAGE_OF_COMMAND = {"parse": "parse", "nlp": "nlp", "extract": "extract", "evaluate": "evaluate",
                    "export": "export", "compare": "compare", "report": "report",
                    "learn": "learn", "learn-concept": "learn"}


def test_import_contracts_hold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True) == 0


def _module_name(path: Path, base: Path) -> str:
    parts = path.relative_to(base).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def private_imports(root: Path) -> list[str]:
    """``from pipeline.x import _name`` in any module other than pipeline.x itself."""
    found = []
    for path in sorted(root.rglob("*.py")):
        importer = _module_name(path, root.parent)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("pipeline"):
                for alias in node.names:
                    if alias.name.startswith("_") and node.module != importer:
                        found.append(f"{importer} imports {node.module}.{alias.name}")
    return found


def test_no_module_imports_a_private_name_of_another() -> None:
    assert private_imports(PACKAGE) == []


def test_the_private_name_check_sees_a_violation(tmp_path: Path) -> None:
    pkg = tmp_path / "pipeline"
    pkg.mkdir()
    (pkg / "a.py").write_text("from pipeline.b import _hidden\n", encoding="utf-8")
    (pkg / "b.py").write_text("_hidden = 1\n", encoding="utf-8")
    (pkg / "c.py").write_text("_own = 1\nfrom pipeline.c import _own\n", encoding="utf-8")
    assert private_imports(pkg) == ["pipeline.a imports pipeline.b._hidden"]


def _stage_deps() -> dict[str, tuple[str, list[str]]]:
    """dvc.yaml stage → (the pipeline command it runs, its dependencies under pipeline/)."""
    spec = yaml.safe_load((ROOT / "dvc.yaml").read_text(encoding="utf-8"))["stages"]
    out = {}
    for name, stage in spec.items():
        body = stage.get("do", stage)
        words = body["cmd"].split()
        command = words[words.index("pipeline") + 1]
        out[name] = (command, [d for d in body["deps"] if d.startswith("pipeline")])
    return out


def uncovered(module_files: list[str], deps: list[str]) -> list[str]:
    """The files that no dependency (a file, or a folder above it) names."""
    return [f for f in module_files
            if not any(f == d or f.startswith(d.rstrip("/") + "/") for d in deps)]


@pytest.mark.parametrize("stage", sorted(_stage_deps()))
def test_dvc_stage_dependencies_cover_what_the_stage_imports(stage: str) -> None:
    command, deps = _stage_deps()[stage]
    module = f"pipeline.stages.{STAGE_OF_COMMAND[command]}"
    graph = grimp.build_graph("pipeline")
    modules = {module, "pipeline.cli", "pipeline.__main__"} | graph.find_upstream_modules(module)
    module_files = []
    for name in sorted(modules):
        path = ROOT / Path(*name.split("."))
        module_files.append(str((path / "__init__.py" if path.is_dir() else path.with_suffix(".py"))
                                .relative_to(ROOT)))
    assert uncovered(module_files, deps) == [], f"dvc.yaml stage {stage} misses these in deps"


def test_the_coverage_check_sees_a_missing_dependency() -> None:
    files = ["pipeline/rules/quantities.py", "pipeline/core/config.py"]
    assert uncovered(files, ["pipeline/rules", "pipeline/core"]) == []
    assert uncovered(files, ["pipeline/rules", "pipeline/core/con"]) == ["pipeline/core/config.py"]
