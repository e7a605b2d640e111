"""Worker processes that end with the process that started them.

A process pool's workers wait on a pipe for work. When the process that made the pool is killed
(SIGKILL: `kill -9`, the OOM killer, the soak), nothing closes that pipe for them: under `fork`
each worker holds its siblings' end of it, so the wait never ends and the workers stay, one per
core, for ever (every killed `archive import --jobs 2` left two). Each pool's initializer calls
`end_with_parent` first: a thread that looks for its parent every PARENT_POLL_S seconds and ends
the worker once the parent is gone (the worker is handed to another parent then). Not the Linux
prctl(PR_SET_PDEATHSIG): that fires when the *thread* that started the worker ends, not the
process, and a pool may be started from any thread (it is Linux's alone, too)."""
from __future__ import annotations

import os
import threading
import time

PARENT_POLL_S = 0.5  # how often a worker looks for its parent
ORPHAN_EXIT = 70  # the worker's exit status once its parent is gone (EX_SOFTWARE)


def end_with_parent(parent: int, *, poll_s: float = PARENT_POLL_S) -> None:
    """Run in a pool worker: end it (os._exit) when process `parent` (the pool's maker, its pid
    taken there, not here, in case it is gone already) is no longer its parent."""
    threading.Thread(target=_watch, args=(parent, poll_s), name="end-with-parent", daemon=True).start()


def _watch(parent: int, poll_s: float) -> None:
    while os.getppid() == parent:
        time.sleep(poll_s)
    os._exit(ORPHAN_EXIT)
