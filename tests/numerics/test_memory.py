"""The memory policy of long calculations (:mod:`nuatom.numerics.memory`).

Checked by its effect, in a fresh interpreter each time (the setting is process-wide): a
64 MB array, once freed, stays in the heap for reuse with the policy and goes back to the
kernel without it (glibc ``mallinfo2``: free bytes held in the heap).
"""
import subprocess
import sys

import pytest

_PROBE = r"""
import ctypes, sys
import numpy as np
class Info(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in
                ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]
libc = ctypes.CDLL(None)
libc.mallinfo2.restype = Info
if sys.argv[1] == "keep":
    from nuatom.numerics.memory import keep_freed_memory
    assert keep_freed_memory() is True
a = np.ones(8_000_000)
del a
print(libc.mallinfo2().fordblks)
"""


def _free_bytes_in_heap(mode: str) -> int:
    done = subprocess.run([sys.executable, "-c", _PROBE, mode], capture_output=True, text=True, check=True)
    return int(done.stdout.strip())


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc mallopt and mallinfo2")
def test_freed_arrays_stay_in_the_heap_only_with_the_policy():
    size = 8_000_000 * 8
    assert _free_bytes_in_heap("keep") >= size
    # without it glibc maps such an array separately and returns it on free
    assert _free_bytes_in_heap("plain") < size // 4
