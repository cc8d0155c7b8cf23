"""Fail unless _build/html/index.html and one HTML page per _toc.yml entry exist."""
from __future__ import annotations

import pathlib
import sys

import yaml

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from chapters import ROOT, toc_files  # noqa: E402


def main() -> int:
    html = ROOT / "_build" / "html"
    missing = [] if (html / "index.html").exists() else ["index.html"]
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    for entry in dict.fromkeys(toc_files(toc)):
        if not (html / f"{entry}.html").exists():
            missing.append(f"{entry}.html")
    if missing:
        print("book pages missing:", *missing, sep="\n  ")
        return 1
    print(f"book complete: index.html and {len(set(toc_files(toc)))} pages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
