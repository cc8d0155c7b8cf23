"""Print the notebook chapters listed in _toc.yml (one path per line), in order.

Used by `make chapters` (nbval) and `make notebooks`, so that the set of executed
chapters is exactly the set the book renders.
"""
from __future__ import annotations

import pathlib
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent


def toc_files(node) -> list[str]:
    found: list[str] = []
    if isinstance(node, dict):
        if "file" in node:
            found.append(node["file"])
        for key in ("root",):
            if key in node:
                found.append(node[key])
        for value in node.values():
            if isinstance(value, (list, dict)):
                found.extend(toc_files(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(toc_files(item))
    return found


def main() -> int:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    notebooks = []
    for entry in toc_files(toc):
        path = ROOT / f"{entry}.ipynb"
        if path.exists():
            notebooks.append(str(path.relative_to(ROOT)))
    print("\n".join(dict.fromkeys(notebooks)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
