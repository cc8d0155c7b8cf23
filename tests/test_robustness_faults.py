"""Faults (issue 20): the shared disk cache under killed, corrupted and concurrent writers;
interrupted tabulations resume; interrupted runs leave no worker process behind.

* Cache: writes are atomic (temporary file in the cache directory, then ``os.replace``);
  a writer killed mid-write leaves the previous entry intact; truncated or corrupted
  entries (hypothesis: any cut, any flipped byte) are detected, logged, removed and
  recomputed, never returned as garbage; concurrent writers of one key never produce an
  entry that a reader sees half-written or mixed.
* Resume: a tabulation interrupted after some (subshell, T) columns reuses them in the next
  run (same numbers as an uninterrupted run) and the progress bar reports them as reused.
* Interrupts: ``nuatom`` stopped by SIGTERM, SIGINT or SIGKILL while its pool workers
  compute leaves no worker process alive; SIGTERM/SIGINT exit with one line on stderr.
"""
from __future__ import annotations

import concurrent.futures as cf
import logging
import multiprocessing as mp
import os
import pathlib
import shutil
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import nuatom
from nuatom import cache
from nuatom.response import tables

SETTINGS = settings(max_examples=60, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def cache_in(tmp_path, monkeypatch):
    d = tmp_path / "cache"
    monkeypatch.setenv("NUATOM_CACHE_DIR", str(d))
    cache._SWEPT.clear()
    return d


# ------------------------------------------------------------------ atomic writes
def test_write_is_temp_file_in_same_directory_then_atomic_replace(cache_in, monkeypatch):
    seen = []
    real_replace = os.replace

    def spy(src, dst):
        seen.append((pathlib.Path(src), pathlib.Path(dst)))
        assert pathlib.Path(src).exists() and pathlib.Path(src).stat().st_size > 0
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    cache.save("demo", {"x": 1}, {"a": np.arange(5.0)})
    (src, dst), = seen
    assert src.parent == dst.parent == cache_in and src.name.startswith(".") and src.suffix == ".tmp"
    np.testing.assert_array_equal(cache.load("demo", {"x": 1})["a"], np.arange(5.0))
    assert not list(cache_in.glob(".*.tmp"))


@pytest.mark.parametrize("failure", [OSError("disk full"), KeyboardInterrupt()])
def test_failed_or_interrupted_write_leaves_old_entry_and_no_temporary(cache_in, monkeypatch, failure):
    cache.save("demo", {"x": 1}, {"a": np.arange(3.0)})

    def broken(*args, **kwargs):
        raise failure

    with monkeypatch.context() as m:
        m.setattr(np, "savez_compressed", broken)
        if isinstance(failure, KeyboardInterrupt):
            with pytest.raises(KeyboardInterrupt):
                cache.save("demo", {"x": 1}, {"a": np.zeros(3)})
        else:
            cache.save("demo", {"x": 1}, {"a": np.zeros(3)})  # cache errors are not fatal
    assert not list(cache_in.glob(".*.tmp"))
    np.testing.assert_array_equal(cache.load("demo", {"x": 1})["a"], np.arange(3.0))


KILLED_WRITER = textwrap.dedent("""
    import sys, time
    import numpy as np
    import numpy.lib.format as fmt
    from nuatom import cache
    real = fmt.write_array
    count = [0]
    def slow(fp, array, *args, **kwargs):
        count[0] += 1
        if count[0] == 3:           # two arrays written, the third not: a partial file
            print("READY", flush=True)
            time.sleep(600)
        return real(fp, array, *args, **kwargs)
    fmt.write_array = slow
    rng = np.random.default_rng(1)
    cache.save("demo", {"x": 1}, {"a": rng.random(200_000), "b": rng.random(1000)})
""")


def test_writer_killed_mid_write(cache_in):
    old = {"a": np.arange(10.0), "b": np.ones(2)}
    cache.save("demo", {"x": 1}, old)
    with subprocess.Popen([sys.executable, "-c", KILLED_WRITER], stdout=subprocess.PIPE, text=True,
                          env={**os.environ, "NUATOM_CACHE_DIR": str(cache_in)}) as proc:
        try:
            assert proc.stdout.readline().strip() == "READY"
            (tmp,) = cache_in.glob(".*.tmp")
            assert tmp.stat().st_size > 0          # the writer is half-way through its temporary
        finally:
            proc.kill()
            proc.wait(30)
    got = cache.load("demo", {"x": 1})          # the old entry is intact
    assert set(got) == set(old) and all(np.array_equal(got[k], old[k]) for k in old)
    # the killed writer's temporary is swept by a later save once it is stale
    os.utime(tmp, (time.time() - 2 * cache.STALE_TMP_SECONDS,) * 2)
    cache._SWEPT.clear()
    cache.save("demo", {"x": 2}, {"a": np.zeros(1)})
    assert not tmp.exists()


# ------------------------------------------------------------------ corruption
arrays_strategy = st.dictionaries(
    st.sampled_from(["a", "b", "S", "converged"]),
    st.one_of(st.integers(1, 300).map(lambda n: np.random.default_rng(n).random(n)),
              st.integers(0, 5).map(lambda n: np.arange(n, dtype=np.int64)),
              st.booleans().map(np.array)),
    min_size=1, max_size=3)


@SETTINGS
@given(arrays=arrays_strategy, where=st.floats(0.0, 1.0), how=st.sampled_from(["truncate", "flip", "zero-tail"]))
@example(arrays={"a": np.random.default_rng(42).random(42)}, where=0.25, how="flip")  # bugs: zlib.error escaped; np.load leaked the file handle
def test_corrupted_entry_is_never_returned(cache_in, caplog, arrays, where, how):
    """Whatever byte is cut or flipped, ``load`` returns the original arrays or ``None``
    (then with a logged warning and the entry removed, so that it is recomputed)."""
    inputs = {"k": 1}
    cache.save("demo", inputs, arrays)
    path = cache.entry_path("demo", inputs)
    data = bytearray(path.read_bytes())
    i = min(int(where * len(data)), len(data) - 1)
    if how == "truncate":
        data = data[:i]
    elif how == "flip":
        data[i] ^= 0xFF
    else:
        data[i:] = bytes(len(data) - i)
    path.write_bytes(bytes(data))
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="nuatom.cache"):
        got = cache.load("demo", inputs)
    if got is None:
        if path.exists():  # a cut that removed the key looks like a different entry: stale
            assert not caplog.records
        else:
            assert any("corrupt" in r.getMessage() for r in caplog.records)
        return
    assert set(got) == set(arrays)
    for k in arrays:
        assert got[k].dtype == np.asarray(arrays[k]).dtype
        np.testing.assert_array_equal(got[k], arrays[k])


def test_checksum_catches_changed_numbers_in_a_valid_file(cache_in, caplog):
    """A well-formed zip whose numbers changed (the CRC of the zip is right, the entry's
    SHA-256 is not) is rejected: the checksum covers what the zip CRC cannot."""
    inputs = {"k": 2}
    cache.save("demo", inputs, {"a": np.arange(4.0)})
    path = cache.entry_path("demo", inputs)
    with np.load(path) as data:
        stored = {k: data[k] for k in data.files}
    stored["a"] = stored["a"] + 1.0
    with open(path, "wb") as fh:
        np.savez_compressed(fh, **stored)
    with caplog.at_level(logging.WARNING, logger="nuatom.cache"):
        assert cache.load("demo", inputs) is None
    assert "checksum" in caplog.text and not path.exists()


def _writer(directory: str, who: int, rounds: int) -> None:
    os.environ["NUATOM_CACHE_DIR"] = directory
    rng = np.random.default_rng(who)
    for r in range(rounds):
        data = rng.random(100_000)
        cache.save("shared", {"key": "same"}, {"who": np.array([who, r]), "data": data,
                                                "sum": np.array(data.sum())})


def test_concurrent_writers_of_one_key(cache_in):
    """Four processes write the same key 10 times each while this one reads it: every read
    is a complete entry of one writer (its checksum and its own sum agree) or None."""
    ctx = mp.get_context("fork")
    procs = [ctx.Process(target=_writer, args=(str(cache_in), w, 10)) for w in range(4)]
    for p in procs:
        p.start()
    reads = 0
    while any(p.is_alive() for p in procs):
        got = cache.load("shared", {"key": "same"})
        if got is not None:
            reads += 1
            assert got["data"].shape == (100_000,)
            assert got["data"].sum() == pytest.approx(float(got["sum"]), rel=1e-12)
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    final = cache.load("shared", {"key": "same"})
    assert final is not None and final["data"].sum() == pytest.approx(float(final["sum"]), rel=1e-12)
    assert not list(cache_in.glob(".*.tmp"))
    assert reads > 0


# ------------------------------------------------------------------ resume
def test_interrupted_tabulation_resumes_from_finished_columns(cache_in, monkeypatch, capsys):
    h = nuatom.atom("H", relativistic=False)
    T = np.array([0.02, 0.03, 0.05, 0.08, 0.12, 0.2])
    q = np.array([0.5, 2.0, 8.0])
    with cf.ThreadPoolExecutor(1) as ex:
        reference = tables.tabulate(h, T, q, executor=ex, cache=False, progress=False)
    real = tables._window_task
    calls = []

    def interrupted_after_three(payload):
        if len(calls) >= 3:
            raise KeyboardInterrupt
        calls.append(payload["T_hartree"])
        return real(payload)

    monkeypatch.setattr(tables, "_window_task", interrupted_after_three)
    with cf.ThreadPoolExecutor(1) as ex, pytest.raises(KeyboardInterrupt):
        tables.tabulate(h, T, q, executor=ex, progress=False)
    saved = list(cache_in.glob(f"{tables.CHUNK_KIND}-*.npz"))
    assert 1 <= len(saved) <= 3 and not list(cache_in.glob("response-*.npz"))

    computed = []

    def counting(payload):
        computed.append(payload["T_hartree"])
        return real(payload)

    monkeypatch.setattr(tables, "_window_task", counting)
    capsys.readouterr()
    with cf.ThreadPoolExecutor(1) as ex:
        resumed = tables.tabulate(h, T, q, executor=ex, progress=True)
    assert f"({len(saved)} reused)" in capsys.readouterr().err
    assert len(set(computed)) == len(T) - len(saved)           # only the missing columns ran
    np.testing.assert_allclose(resumed.sums_per_keV, reference.sums_per_keV, rtol=1e-13, atol=0)
    np.testing.assert_array_equal(resumed.converged, reference.converged)
    np.testing.assert_array_equal(resumed.kappa_max, reference.kappa_max)


# ------------------------------------------------------------------ interrupted runs
def _children(pid: int) -> set[int]:
    out = set()
    for entry in pathlib.Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.add(int(entry.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


@pytest.fixture(scope="module")
def xe_cache(tmp_path_factory):
    """A private cache holding the DHF atoms (so that Xe loads in a second) and nothing
    else: an interrupted run must not leave partial tables in the shared cache."""
    src = pathlib.Path(os.environ.get("NUATOM_CACHE_DIR", pathlib.Path.home() / ".cache" / "nuatom"))
    dst = tmp_path_factory.mktemp("xe-cache")
    for f in src.glob("atom-*.npz"):
        shutil.copy2(f, dst / f.name)
    return dst


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc and PR_SET_PDEATHSIG are Linux")
@pytest.mark.parametrize(("argv", "sig"), [
    # --exact: off the reference grid, dsigma now interpolates (no workers) unless told to compute
    (["dsigma", "Xe", "--E-nu", "1000", "--T", "7.3131", "--exact"], signal.SIGTERM),   # the case
    (["response", "Xe", "--T", "7.3131", "--q", "1,10", "--workers", "2", "--no-cache"], signal.SIGINT),
    (["dsigma", "Xe", "--E-nu", "1000", "--T", "7.3131", "--exact"], signal.SIGKILL),   # killed parent
])
def test_interrupted_run_leaves_no_worker(xe_cache, argv, sig):
    env = {**os.environ, "NUATOM_CACHE_DIR": str(xe_cache), "MPLBACKEND": "Agg"}
    # a shell's background job inherits SIGINT ignored (POSIX); the user's terminal delivers
    # it with the default disposition, which is the case under test
    proc = subprocess.Popen([sys.executable, "-m", "nuatom", *argv], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        deadline = time.monotonic() + 120
        workers: set[int] = set()
        while time.monotonic() < deadline and proc.poll() is None:
            workers = _children(proc.pid)
            if len(workers) >= 2:
                break
            time.sleep(0.2)
        assert len(workers) >= 2, "the run did not start its pool workers"
        time.sleep(1.5)  # the workers are inside their first chunk
        os.kill(proc.pid, sig)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.2)
    assert not [w for w in workers if _alive(w)], "orphaned pool workers"
    if sig == signal.SIGKILL:
        assert proc.returncode == -signal.SIGKILL
        return
    assert proc.returncode == 128 + sig
    assert "Traceback" not in err and err.count("\n") == 1, err
    assert f"interrupted by {signal.Signals(sig).name}" in err and out == ""
