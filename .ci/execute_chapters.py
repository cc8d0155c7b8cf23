"""Re-execute chapters in place (`make notebooks`), failing on the first error.

Outputs are committed; nbval (`make test`) later re-executes and compares them.
"""
from __future__ import annotations

import sys
import time

import nbformat
from nbclient import NotebookClient


def main(paths: list[str]) -> int:
    for path in paths:
        t0 = time.perf_counter()
        nb = nbformat.read(path, as_version=4)
        NotebookClient(nb, timeout=1800, kernel_name="python3", record_timing=False,
                       resources={"metadata": {"path": str(__import__("pathlib").Path(path).parent)}}).execute()
        nbformat.write(nb, path)
        print(f"executed {path} in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
