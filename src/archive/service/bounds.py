"""What a process may use, and what it uses: the memory cap of the import worker and of the page
renderers (RLIMIT_AS), and resident memory read from /proc for the tests and benchmarks."""
from __future__ import annotations


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
