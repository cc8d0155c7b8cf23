"""Open the built book in headless Chromium from disk, network off, and check every page.

For each page of _toc.yml (or the pages named on the command line) this loads
``file://.../_build/html/<page>.html`` in headless Chromium with all network access blocked,
waits for MathJax to finish, and fails unless

* the math was typeset: MathJax containers present wherever the page has math, no TeX error
  nodes, and no raw ``\\(``, ``\\[``, ``$$`` or ``\\begin{`` left in the rendered text
  (code blocks, where TeX may legitimately appear as source, are not searched);
* every image loaded (complete, non-zero natural size) and sits in a figure with a caption;
* every exercise solution starts collapsed;
* the page made no request outside ``file://`` (and ``data:``).

It prints one line per page and writes three screenshots of the first chapter with exercises
(the top of the page, its first figure, its exercises) to ``_build/browser-check/``.

Only the standard library: Chromium is driven through the DevTools protocol over a pipe
(``--remote-debugging-pipe``: JSON messages separated by NUL bytes on file descriptors 3
and 4). Chromium is the Debian package (``apt-get install chromium``; `.ci/run` installs it
when missing); set ``CHROMIUM`` to use another binary.

Usage: ``python .ci/check_browser.py [book/free/01_free_scattering ...]``
"""
from __future__ import annotations

import base64
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

import yaml

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from chapters import ROOT, toc_files  # noqa: E402

HTML = ROOT / "_build" / "html"
SHOTS = ROOT / "_build" / "browser-check"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    "--disable-default-apps", "--disable-extensions", "--mute-audio",
    # network off: no proxy answers and no name resolves; file:// is unaffected
    "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--allow-file-access-from-files",
    "--remote-debugging-pipe", "--window-size=1280,1600",
]
PAGE_TIMEOUT_S = 60.0

# Runs in the page once MathJax has finished (or is absent): what the checks need.
PROBE = r"""
(async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    await MathJax.startup.promise;
  }
  const skip = new Set(["PRE", "CODE", "SCRIPT", "STYLE", "TEXTAREA", "MJX-CONTAINER", "KBD", "SAMP"]);
  const raw = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
    acceptNode(node) {
      for (let el = node.parentElement; el; el = el.parentElement) {
        if (skip.has(el.tagName) || el.classList.contains("highlight")) return NodeFilter.FILTER_REJECT;
      }
      return NodeFilter.FILTER_ACCEPT;
    }
  });
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const t = n.nodeValue;
    for (const d of ["\\(", "\\[", "$$", "\\begin{"]) {
      const i = t.indexOf(d);
      if (i >= 0) raw.push(t.slice(Math.max(0, i - 30), i + 50));
    }
  }
  const imgs = Array.from(document.images);
  const solutions = Array.from(document.querySelectorAll("div.solution"));
  const hiddenSolutions = solutions.filter(s => {
    const body = Array.from(s.children).filter(c => !c.classList.contains("admonition-title"));
    return body.length > 0 && body.every(c => c.offsetHeight === 0);
  });
  return JSON.stringify({
    title: document.title,
    mathjax: !!(window.MathJax && MathJax.version),
    mathjax_version: (window.MathJax && MathJax.version) || null,
    math_nodes: document.querySelectorAll("div.math, span.math").length,
    containers: document.querySelectorAll("mjx-container").length,
    tex_errors: document.querySelectorAll("mjx-merror").length,
    raw: raw.slice(0, 5),
    n_raw: raw.length,
    images: imgs.length,
    broken_images: imgs.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.getAttribute("src")),
    figures: document.querySelectorAll("figure, div.figure").length,
    uncaptioned: imgs.filter(i => { const f = i.closest("figure, div.figure");
                                    return !(f && f.querySelector("figcaption, p.caption")); })
                     .map(i => i.getAttribute("src")),
    exercises: document.querySelectorAll("div.exercise").length,
    solutions: solutions.length,
    solutions_collapsed: hiddenSolutions.length,
  });
})()
"""


class Chromium:
    """A headless Chromium driven over the DevTools pipe."""

    def __init__(self, binary: str, profile: str):
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()

        def fds():  # in the child: fd 3 reads commands, fd 4 writes replies
            os.dup2(to_child_r, 3)
            os.dup2(from_child_w, 4)

        self.proc = subprocess.Popen(
            [binary, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            preexec_fn=fds, pass_fds=tuple(sorted({3, 4, to_child_r, from_child_w})),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_child_r)
        os.close(from_child_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict] = []

    def _read_message(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            if time.monotonic() > deadline:
                raise TimeoutError("no answer from Chromium")
            chunk = os.read(self._from_child, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def send(self, method: str, params: dict | None = None, session: str | None = None,
             timeout: float = PAGE_TIMEOUT_S) -> dict:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_child, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_event(self, method: str, session: str, timeout: float = PAGE_TIMEOUT_S) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            for i, event in enumerate(self.events):
                if event.get("method") == method and event.get("sessionId") == session:
                    return self.events.pop(i)
            self.events.append(self._read_message(deadline))

    def close(self) -> None:
        try:
            self.send("Browser.close", timeout=5)
        except Exception:  # noqa: BLE001 - best effort, the process is ended below anyway
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_child)
        os.close(self._from_child)


def check_page(browser: Chromium, page: str, screenshot: bool) -> tuple[list[str], bool]:
    """Load one page offline; return its problems (empty when it passes) and whether a
    screenshot was taken (only of a page with exercises, when ``screenshot`` is set)."""
    url = (HTML / f"{page}.html").as_uri()
    target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    for domain in ("Page", "Network", "Runtime"):
        browser.send(f"{domain}.enable", session=session)
    browser.send("Network.emulateNetworkConditions", {"offline": True, "latency": 0,
                 "downloadThroughput": -1, "uploadThroughput": -1}, session=session)
    browser.events.clear()
    browser.send("Page.navigate", {"url": url}, session=session)
    browser.wait_event("Page.loadEventFired", session)
    result = browser.send("Runtime.evaluate", {"expression": PROBE, "awaitPromise": True,
                                               "returnByValue": True}, session=session)
    if "exceptionDetails" in result:
        return [f"{page}: probe failed: {result['exceptionDetails']}"], False
    info = json.loads(result["result"]["value"])
    external = sorted({e["params"]["request"]["url"] for e in browser.events
                       if e.get("method") == "Network.requestWillBeSent"
                       and not e["params"]["request"]["url"].startswith(("file:", "data:", "blob:"))})
    problems = []
    if info["math_nodes"] and not (info["mathjax"] and info["containers"]):
        problems.append(f"{info['math_nodes']} math nodes but {info['containers']} MathJax containers "
                        f"(MathJax loaded: {info['mathjax']})")
    if info["tex_errors"]:
        problems.append(f"{info['tex_errors']} TeX errors")
    if info["n_raw"]:
        problems.append(f"{info['n_raw']} raw TeX delimiters, e.g. {info['raw']}")
    if info["broken_images"]:
        problems.append(f"images not loaded: {info['broken_images']}")
    if info["uncaptioned"]:
        problems.append(f"figures without a caption: {info['uncaptioned']}")
    if info["solutions_collapsed"] != info["solutions"]:
        problems.append(f"{info['solutions'] - info['solutions_collapsed']} of {info['solutions']} "
                        "solutions are open on load")
    if external:
        problems.append(f"requests outside file://: {external[:5]}")
    print(f"{'ok  ' if not problems else 'FAIL'} {page}: MathJax {info['mathjax_version']}, "
          f"{info['containers']} equations typeset, {info['images']} images loaded "
          f"({info['figures']} figures), {info['exercises']} exercises, "
          f"{info['solutions_collapsed']}/{info['solutions']} solutions collapsed")
    screenshot = screenshot and info["exercises"] > 0
    if screenshot:
        SHOTS.mkdir(parents=True, exist_ok=True)
        name = page.replace("/", "_")
        shot = browser.send("Page.captureScreenshot", {"format": "png"}, session=session)
        (SHOTS / f"{name}_top.png").write_bytes(base64.b64decode(shot["data"]))
        # the first figure with its caption, and the exercises: scrolled to the top of the window
        for suffix, selector in (("figure", "figure"), ("exercises", "div.exercise")):
            found = browser.send("Runtime.evaluate", {"expression": f"""
                (() => {{ const a = document.querySelector('{selector}');
                         if (!a) return false;
                         a.scrollIntoView(); window.scrollBy(0, -100); return true; }})()""",
                "returnByValue": True}, session=session)["result"].get("value")
            if found:
                time.sleep(0.5)
                shot = browser.send("Page.captureScreenshot", {"format": "png"}, session=session)
                (SHOTS / f"{name}_{suffix}.png").write_bytes(base64.b64decode(shot["data"]))
    browser.send("Target.closeTarget", {"targetId": target})
    return [f"{page}: {p}" for p in problems], screenshot


def main(pages: list[str]) -> int:
    binary = os.environ.get("CHROMIUM") or next(
        (b for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None)
    if binary is None:
        print("no Chromium found (Debian: apt-get install chromium)")
        return 1
    if not pages:
        pages = list(dict.fromkeys(toc_files(yaml.safe_load((ROOT / "_toc.yml").read_text()))))
    missing = [p for p in pages if not (HTML / f"{p}.html").exists()]
    if missing:
        print("not built (run `make book` first):", *missing)
        return 1
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as profile:
        browser = Chromium(binary, profile)
        try:
            shot_taken = False
            for page in pages:
                found, took = check_page(browser, page, screenshot=not shot_taken)
                problems += found
                shot_taken = shot_taken or took
        finally:
            browser.close()
    if problems:
        print("browser check failed:", *problems, sep="\n  ")
        return 1
    print(f"browser check passed: {len(pages)} pages, offline, math typeset, figures loaded")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
