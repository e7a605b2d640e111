"""What a process may use, and what it uses: the memory cap of the import worker and of the page
renderers (RLIMIT_AS), resident memory read from /proc for the tests and benchmarks, and the cores
an import may use."""
from __future__ import annotations

import os


def cap_memory(mb: int | None) -> None:
    """Limit this process's address space to `mb` MB (RLIMIT_AS): an allocation past it raises
    MemoryError in Python, or ends the process in a C library. None or 0: no cap."""
    if not mb:
        return
    try:
        import resource
    except ImportError:  # not POSIX: nothing to cap with
        return
    want = int(mb) * 2**20
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        want = min(want, hard)
    resource.setrlimit(resource.RLIMIT_AS, (want, hard))


def rss_mb(pid: int | str = "self") -> float:
    """Resident memory of a process in MB (0.0 when it is gone or /proc is not there)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0.0


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity: a container's or taskset's share), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not on Linux
        return max(1, os.cpu_count() or 1)
