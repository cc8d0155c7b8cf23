"""Process memory policy for long calculations: keep freed large arrays for reuse.

Response chunks and RRPA solves allocate and free the same large temporaries hundreds of
times (Bessel blocks, radial products, Krylov vectors of a million unknowns, induced
potentials). glibc maps every array above its mmap threshold (at most 32 MiB) freshly from
the kernel and unmaps it on free, so each reuse pays for zeroed pages. On the 2-core
virtual machine of the benchmarks that cost is large: touching new memory ran at about
90 MB/s (240 MB in 2.7 s; the same array reused: 0.04 s), and 15 % of a Xe response chunk
was system time (1.1 million page faults; ``benchmarks/bench_response.py``).
:func:`keep_freed_memory` raises glibc's mmap and trim thresholds to 1 GiB so that large
arrays come from the heap and freed memory stays in the process for the next ones. The
peak memory is what the calculation needs anyway; at most 1 GiB freed at the top of the
heap is kept instead of returned.

The setting is process-wide, so the library never applies it on its own: the response
pool workers (:func:`nuatom.response.tables.process_pool`), the command line
(:func:`nuatom.cli.main`) and the benchmark and table scripts call it; an interactive
session may call it before a long run.
"""
from __future__ import annotations

__all__ = ["keep_freed_memory"]

#: glibc ``mallopt`` parameters (malloc.h) and the value :func:`keep_freed_memory` sets.
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
HEAP_RETAIN_BYTES = 1 << 30


def keep_freed_memory() -> bool:
    """Let glibc serve large arrays from the heap and keep freed memory for the next ones
    (module docstring). Returns whether both settings were accepted (``False`` off glibc)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None)
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # pragma: no cover - not glibc
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    return bool(mallopt(_M_MMAP_THRESHOLD, HEAP_RETAIN_BYTES)) and bool(mallopt(_M_TRIM_THRESHOLD, HEAP_RETAIN_BYTES))
