"""The render worker pool: how many workers, how they start, what one of them does with a document."""

from __future__ import annotations

import gc
import hashlib
import os
import signal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    from .word.document import RenderJob

_COLLECT_EVERY = 16  # documents a worker renders between two garbage collections
_rendered_here = 0


def default_jobs() -> int:
    """Worker processes by default: the cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _worker_init() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    # What the worker inherited (the imported modules) is never garbage: keep the collector off it, so that
    # the frequent collections below stay cheap and never copy the parent's pages.
    gc.freeze()


def render_in_worker(job: RenderJob, target: str) -> str:
    """``render_to`` in a pool worker, collecting garbage every few documents.

    A rendered document leaves reference cycles (python-docx parts and their package, holding lxml trees),
    which only the cyclic collector frees; left to its own thresholds a worker grows by a few KiB per
    document for thousands of documents (measured: +20 MB per worker over 4,000 documents).
    """
    global _rendered_here
    sha = render_to(job, target)
    _rendered_here += 1
    if _rendered_here % _COLLECT_EVERY == 0:
        gc.collect()
    return sha


def render_to(job: RenderJob, target: str) -> str:
    """Render one document into ``target``; return its sha256."""
    from .word.document import render_job

    data = render_job(job)
    with open(target, "wb") as fh:
        fh.write(data)
    return hashlib.sha256(data).hexdigest()


def start_pool(workers: int) -> ProcessPoolExecutor:
    from concurrent.futures import ProcessPoolExecutor  # multiprocessing: only when a build renders

    pool = ProcessPoolExecutor(max_workers=workers, initializer=_worker_init)
    pool.submit(int).result()  # start the workers now, while this process holds no project data
    return pool
