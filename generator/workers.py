"""Work spread over forked worker processes that see this process's objects as they are.

A build's work is many independent items: a unit's pages to render (:mod:`generator.render`),
the pages MkDocs converts (:mod:`generator.publish.page_cache`). :func:`fork_map` does them on
every core: the workers are forked, so they start at once and share the computed results, the
loaded configuration, files and navigation without pickling them; only what a task returns is
sent back. Shared by render and publish, so it belongs to neither.

A worker logs nothing. A task that logs a warning (or shows a Python warning) or raises gives
``None`` back, and the caller does that item itself, so the warning or the error comes out of
this process as without workers.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import sys
import threading
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

__all__ = ["cpu_count", "fork_map"]

log = logging.getLogger(__name__)

# What the forked workers run, set just before they are forked: a fork copies it, no pickling.
_TASK: tuple[Callable[[Any], Any], Sequence[Any]] | None = None
_WARNED = [0]  # in a worker: warnings logged by the task under way


def cpu_count() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


def fork_map(
    task: Callable[[Any], Any],
    items: Sequence[Any],
    workers: int,
    costs: Sequence[int] | None = None,
    on_result: Callable[[Any], None] | None = None,
) -> list[Any] | None:
    """``task(item)`` for every item, in ``workers`` forked processes; the results in order.

    The items go out in chunks of about equal cost, costliest first, so that no worker is
    left with a big one at the end while the others wait.

    Args:
        task: Called in a worker with one item; its result must pickle.
        items: What to do.
        workers: How many worker processes.
        costs: Each item's expected cost (a page's size, say); all alike without.
        on_result: Called in this process with each result other than ``None`` as soon as it
            is back (while the workers go on), in no set order; the returned list still holds it.

    Returns:
        One result per item, ``None`` for an item whose task logged a warning or raised; or
        ``None`` for all of them when there is no worker to run them: fewer than two workers,
        no ``fork`` on this platform, another thread running, or a worker that failed.
    """
    global _TASK
    if workers < 2 or len(items) < 2 or not _can_fork():
        return None
    chunks = _chunks([1] * len(items) if costs is None else costs, workers * 16)
    _TASK = (task, items)
    context = multiprocessing.get_context("fork")
    # This process's objects out of the workers' garbage collections: a collection writes in
    # every object it visits, so a forked worker would copy most of the memory it shares
    # (a third of a worker's time on a cold 1,000-KPI build). As Python's gc docs advise.
    gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_quiet) as pool:
            done = []
            for made in pool.map(_run_chunk, chunks):
                done.append(made)
                for result in made:
                    if on_result is not None and result is not None:
                        on_result(result)
    except Exception:  # a worker died, or a result would not pickle: this process does it all
        log.debug("worker processes failed; working in this process", exc_info=True)
        return None
    finally:
        gc.unfreeze()
        _TASK = None
    results: list[Any] = [None] * len(items)
    for chunk, made in zip(chunks, done, strict=True):
        for index, result in zip(chunk, made, strict=True):
            results[index] = result
    return results


def _chunks(costs: Sequence[int], count: int) -> list[list[int]]:
    """The items' indexes, costliest first, cut into about ``count`` chunks of about equal cost."""
    order = sorted(range(len(costs)), key=lambda index: -costs[index])  # stable: ties keep their order
    share = max(1, sum(costs) // count)
    chunks: list[list[int]] = [[]]
    total = 0
    for index in order:
        if total >= share:
            chunks.append([])
            total = 0
        chunks[-1].append(index)
        total += costs[index]
    return chunks


def _can_fork() -> bool:
    # A forked child has only the forking thread: a lock another thread held at the fork
    # (the preview server's, a log handler's) would stay locked in the child for ever.
    # Linux only: macOS's system libraries are not fork-safe (Python spawns there by default).
    return sys.platform.startswith("linux") and threading.active_count() == 1


def _quiet() -> None:
    """In a worker: log records and Python warnings are counted, never written.

    The parent writes them, if any, when it does the item again.
    """

    def count(logger: logging.Logger, record: logging.LogRecord) -> None:
        if record.levelno >= logging.WARNING:
            _WARNED[0] += 1

    def count_warning(*args: Any, **kwargs: Any) -> None:
        _WARNED[0] += 1

    logging.Logger.callHandlers = count  # type: ignore[method-assign, assignment]
    warnings.showwarning = count_warning


def _run_chunk(indexes: list[int]) -> list[Any]:
    assert _TASK is not None, "set before the workers were forked"
    task, items = _TASK
    return [_run(task, items[index]) for index in indexes]


def _run(task: Callable[[Any], Any], item: Any) -> Any:
    _WARNED[0] = 0
    try:
        result = task(item)
    except Exception:  # this process does the item again and reports the error itself
        return None
    return None if _WARNED[0] else result
