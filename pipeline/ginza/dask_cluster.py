"""The nlp stage's parsing on a Dask distributed cluster (params.yaml ``nlp.backend: dask``).

``nlp.dask_scheduler: null`` starts a LocalCluster of ``nlp.workers`` single-threaded
worker processes for the run and stops it afterwards; an address (``tcp://host:8786``)
uses an existing cluster. A scheduler runs whatever code a client sends it, so ``tcp://``
belongs inside a trusted network; ``tls://host:8786`` with ``nlp.dask_tls_*`` certificates
encrypts the traffic and admits only clients whose certificate the cluster's CA signed
(:func:`security_of`). Every worker must run the same environment as this machine (the
project installed, ja_ginza of the pinned version): the :class:`GinzaPlugin` loads the model
once per worker and checks its version, so a mismatched node fails the run loudly.

Only texts and parses travel: the content-hash cache and the output files stay with the
process that runs the stage, so workers need no shared file system.
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Iterator
from dataclasses import asdict
from typing import Any

from distributed import Client, LocalCluster, get_worker
from distributed import wait as dask_wait
from distributed.diagnostics.plugin import WorkerPlugin
from distributed.security import Security

from pipeline.ginza.model import Annotator, NlpSettings
from pipeline.ginza.tasks import (
    WORKER_ENV,
    Chunk,
    Result,
    bounded,
    make_annotator,
    parse_chunk,
    tasks,
)

PLUGIN_NAME = "jimujigyo-ginza"


class GinzaPlugin(WorkerPlugin):
    """Loads and checks the model once per worker process."""

    name = PLUGIN_NAME

    def __init__(self, settings: dict[str, Any]) -> None:
        self.settings = settings
        self.annotator: Annotator | None = None
        self.lock = threading.Lock()  # one parse at a time, even on multi-threaded workers

    def __getstate__(self) -> dict[str, Any]:
        return {"settings": self.settings}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["settings"])

    def setup(self, worker: Any) -> None:
        self.annotator = make_annotator(NlpSettings(**self.settings))
        gc.freeze()  # the model's objects need no more garbage-collector passes

    def teardown(self, worker: Any) -> None:
        self.annotator = None


def dask_parse_chunk(chunk: Chunk) -> Result:
    """A task: parse ``chunk`` with this worker's model."""
    plugin = get_worker().plugins[PLUGIN_NAME]
    with plugin.lock:
        return parse_chunk(plugin.annotator, chunk)


def security_of(settings: NlpSettings) -> Security | None:
    """The TLS settings of a ``tls://`` scheduler (None for any other address), checked before
    anything connects: mutual TLS with the params' CA, client certificate and key, and no
    unencrypted connection allowed."""
    files = settings.dask_tls_files()
    if files is None:
        return None
    absent = [str(f) for f in files if not f.is_file()]
    if absent:
        raise FileNotFoundError(f"nlp.dask_tls_* in params.yaml: no such file {', '.join(absent)}")
    ca, cert, key = (str(f) for f in files)
    return Security(tls_ca_file=ca, tls_client_cert=cert, tls_client_key=key,
                    require_encryption=True)


class DaskBackend:
    def __init__(self, settings: NlpSettings, workers: int) -> None:
        self.settings = settings
        self.cluster: LocalCluster | None = None
        if settings.dask_scheduler:
            self.client = Client(settings.dask_scheduler, security=security_of(settings))
            self.client.wait_for_workers(1)
        else:
            self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                        dashboard_address=None, silence_logs=logging.ERROR,
                                        env=dict(WORKER_ENV))
            self.client = Client(self.cluster)
            self.client.wait_for_workers(workers)  # every worker is up before the count is read
        # a worker that fails to load the model raises here, with the model's own message
        self.client.register_plugin(GinzaPlugin(asdict(settings)), name=PLUGIN_NAME)
        self.workers = max(1, len(self.client.scheduler_info()["workers"]))

    def parse(self, texts: dict[str, str]) -> Iterator[tuple[str, bytes, int]]:
        def first_done(pending: set[Any]) -> tuple[set[Any], set[Any]]:
            done, rest = dask_wait(list(pending), return_when="FIRST_COMPLETED")
            return set(done), set(rest)

        return bounded(lambda chunk: self.client.submit(dask_parse_chunk, chunk, pure=False),
                        tasks(texts, self.settings.task_chars, self.workers), 2 * self.workers,
                        first_done)

    def close(self) -> None:
        try:
            self.client.unregister_worker_plugin(PLUGIN_NAME)
        except Exception:  # noqa: BLE001 - the cluster may already be gone
            pass
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()
