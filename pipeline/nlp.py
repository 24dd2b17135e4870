"""The one expensive stage: GiNZA over every non-empty text cell, stored as a DocBin.

Documents are parsed from the normalised text (see :mod:`pipeline.textnorm`) and carry
their cell key in ``user_data``, so the extract stage can rebuild the offset map from the
original cell and never parses anything again.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from importlib import metadata

import pandas as pd
import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin
from tqdm import tqdm

from pipeline.config import FIELDS
from pipeline.textnorm import normalize

CellKey = tuple[str, str]  # (project_id, field)


class ModelMismatch(RuntimeError):
    """The installed GiNZA model is not the one ``params.yaml`` pins."""


def load_model(name: str, version: str) -> Language:
    """Load the pinned model from its installed package; never downloads anything."""
    package = name.replace("_", "-")
    try:
        installed = metadata.version(package)
    except metadata.PackageNotFoundError as exc:
        raise ModelMismatch(f"model package {package} is not installed; run `make install` "
                            f"(params.yaml nlp.model = {name})") from exc
    if installed != version:
        raise ModelMismatch(f"installed {package} is {installed}, but params.yaml nlp.model_version "
                            f"pins {version}; install {package}=={version} or update params.yaml")
    return spacy.load(name)


def cells(projects: pd.DataFrame) -> Iterator[tuple[CellKey, str]]:
    """Every non-empty text cell in table order."""
    for row in projects.itertuples(index=False):
        for field in FIELDS:
            text = getattr(row, field)
            if isinstance(text, str) and text.strip():
                yield (str(row.project_id), field), text


def parse_cells(nlp: Language, items: Iterable[tuple[CellKey, str]], batch_size: int,
                total: int | None = None) -> Iterator[Doc]:
    """Parse the normalised text of each cell; progress is shown only on a terminal."""
    keyed = ((normalize(text).text, key) for key, text in items)
    progress = tqdm(total=total, unit="cell", desc="GiNZA", disable=not sys.stderr.isatty())
    for doc, key in nlp.pipe(keyed, as_tuples=True, batch_size=batch_size):
        doc.user_data["cell"] = list(key)
        progress.update(1)
        yield doc
    progress.close()


def to_docbin(docs: Iterable[Doc]) -> bytes:
    docbin = DocBin(store_user_data=True)
    for doc in docs:
        docbin.add(doc)
    return docbin.to_bytes()


def from_docbin(data: bytes, nlp: Language | None = None) -> Iterator[Doc]:
    """Documents back from bytes; only the vocabulary is needed, not the model's weights."""
    vocab = nlp.vocab if nlp is not None else spacy.blank("ja").vocab
    yield from DocBin().from_bytes(data).get_docs(vocab)
