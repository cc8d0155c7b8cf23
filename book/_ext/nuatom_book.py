"""Sphinx glue for the nuatom book (loaded through `sphinx: local_extensions` in _config.yml).

Two jobs:

* **Math without network.** MathJax 3 is installed at build time from the npm registry
  (`npm install mathjax@<nuatom_mathjax_version>` into `_build/mathjax/`, once) and the parts
  the book needs (the `tex-svg.js` bundle, the TeX extensions it autoloads, the SVG output
  and the menu) are copied into the HTML `_static/mathjax/`. `mathjax_path` in _config.yml
  points there, so every page typesets its equations from local files, also when opened
  from disk with the network off (`.ci/check_browser.py` checks it in headless Chromium).
  SVG output is used because it needs no web fonts: Chromium refuses `@font-face` files
  from `file://` pages, which would leave CHTML math in fallback fonts.
* **Launch buttons from one key.** Binder/JupyterHub/Colab buttons need the repository
  URL (`repository: url:` in _config.yml). While that key is empty the launch providers
  are dropped here (sphinx-book-theme would otherwise fail on a book without a
  repository); once it is filled in, the buttons appear on every chapter.
"""
from __future__ import annotations

import pathlib
import shutil
import subprocess

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

LOGGER = logging.getLogger(__name__)

# what the book loads from MathJax's es5 folder (the rest: other bundles, speech engine)
MATHJAX_PARTS = ("tex-svg.js", "input", "output/svg.js", "output/svg", "ui", "a11y", "adaptors")


def _install_mathjax(app: Sphinx) -> pathlib.Path:
    """Install MathJax with npm (once) and return the folder to add to html_static_path."""
    version = app.config.nuatom_mathjax_version
    build = pathlib.Path(app.outdir).parent          # _build (html output is _build/html)
    prefix = build / "mathjax" / version
    es5 = prefix / "node_modules" / "mathjax" / "es5"
    if not (es5 / "tex-svg.js").exists():
        npm = shutil.which("npm")
        if npm is None:
            raise ExtensionError("the book needs npm to install MathJax for offline math "
                                 "(Debian: apt-get install npm)")
        LOGGER.info(f"installing MathJax {version} from the npm registry into {prefix}")
        prefix.mkdir(parents=True, exist_ok=True)
        subprocess.run([npm, "install", "--silent", "--no-save", "--no-audit", "--no-fund",
                        "--prefix", str(prefix), f"mathjax@{version}"], check=True)
    static = prefix / "static"
    target = static / "mathjax"
    if not (target / "tex-svg.js").exists():
        for part in MATHJAX_PARTS:
            src, dst = es5 / part, target / part
            dst.parent.mkdir(parents=True, exist_ok=True)
            if src.is_dir():
                shutil.copytree(src, dst, dirs_exist_ok=True)
            else:
                shutil.copy2(src, dst)
    return static


def _builder_inited(app: Sphinx) -> None:
    if app.builder.format == "html":
        app.config.html_static_path.append(str(_install_mathjax(app)))


def _config_inited(app: Sphinx, config) -> None:
    opts = config.html_theme_options
    if not opts.get("repository_url"):
        buttons = dict(opts.get("launch_buttons", {}))
        for key in ("binderhub_url", "jupyterhub_url", "colab_url", "deepnote_url", "jupyterlite_url"):
            buttons.pop(key, None)
        buttons["thebe"] = False
        opts["launch_buttons"] = buttons


def setup(app: Sphinx) -> dict:
    app.add_config_value("nuatom_mathjax_version", "3.2.2", "html")
    app.connect("config-inited", _config_inited)
    app.connect("builder-inited", _builder_inited)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
