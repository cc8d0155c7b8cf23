"""Mutation check of the central cross-section formulas: do the fast tests notice a wrong
coefficient or sign?

Each mutant changes one coefficient or one sign in the lepton tensors
(``nuatom/neutrino/xsec.py``: ``lepton_weights``, ``magnetic_weights``), the coupling
decomposition (``coupling_integrals``, ``dsigma_from_integrals``), the free ν–e cross
sections (``nuatom/neutrino/free.py``) or the FEA sum (``nuatom/neutrino/fea.py``). The
script copies the repository (package, tests, data; not ``.git`` or ``.venv``) into a
temporary directory, applies one mutant at a time *to the copy*, runs a chosen set of
fast tests there with the copy first on ``sys.path`` (checked: ``nuatom.__file__`` must lie
in the copy), records which tests failed, and restores the file. The working tree is
never touched. A mutant that no test catches is a hole in the suite (or an equivalent
mutant, which the table then has to explain).

Run by hand (about 15 s per mutant on two cores, plus one numba compilation of the
kernels in the copy)::

    .venv/bin/python benchmarks/mutation_check.py                 # all mutants, the fast tests
    .venv/bin/python benchmarks/mutation_check.py --list          # the mutants
    .venv/bin/python benchmarks/mutation_check.py --only C1 F2    # some of them
    .venv/bin/python benchmarks/mutation_check.py --tests tests/neutrino/test_xsec.py
    .venv/bin/python benchmarks/mutation_check.py --tests-at HEAD   # the committed tests instead

It prints a Markdown table (mutant, file, change, tests that failed) and exits with 1 if a
mutant survived, or if the unmutated copy does not pass.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

#: the fast tests that guard the formulas (about 15 s together)
DEFAULT_TESTS = ("tests/neutrino/test_free.py", "tests/neutrino/test_fea.py", "tests/neutrino/test_xsec.py",
                 "tests/neutrino/test_kinematics.py",
                 "tests/experiments/test_sensitivity.py::test_weak_rate_reactor_ge_against_vogel_engel_quadrature",
                 "tests/experiments/test_sensitivity.py::test_weak_rate_magnitude_reactor_ge",   # its name before issue 22
                 "tests/experiments/test_sensitivity.py::test_free_vs_fea_rates")


def existing(repo: Path, tests) -> list[str]:
    """The node ids whose file (and test function, if named) exist in the copy."""
    out = []
    for t in tests:
        f, _, name = t.partition("::")
        path = repo / f
        if path.exists() and (not name or f"def {name.split('[')[0]}(" in path.read_text()):
            out.append(t)
    return out

XSEC = "nuatom/neutrino/xsec.py"
FREE = "nuatom/neutrino/free.py"
FEA = "nuatom/neutrino/fea.py"


@dataclass(frozen=True)
class Mutant:
    key: str
    path: str
    old: str      # must occur exactly once in the file
    new: str
    what: str


MUTANTS = (
    # --- V-A lepton tensor (lepton_weights)
    Mutant("L1", XSEC, '"R00": 4.0 * W, "R0303"', '"R00": 3.0 * W, "R0303"', "lepton R00 weight 4W -> 3W"),
    Mutant("L2", XSEC, '"R0303": -4.0 * W * T / q,', '"R0303": 4.0 * W * T / q,', "lepton R03+30 weight: sign"),
    Mutant("L3", XSEC, '"R33": 4.0 * W * T * T / (q * q),', '"R33": 2.0 * W * T * T / (q * q),',
           "lepton R33 weight 4 -> 2"),
    Mutant("L4", XSEC, '2.0 * spacelike * (S * S + q * q) / (q * q)', '2.0 * spacelike * (S * S - q * q) / (q * q)',
           "lepton R11+22 weight (S^2 + q^2) -> (S^2 - q^2)"),
    Mutant("L5", XSEC, '"R1221": -4.0 * S * spacelike / q}', '"R1221": 4.0 * S * spacelike / q}',
           "lepton R12-21 (V x A) weight: sign"),
    # --- magnetic lepton tensor (magnetic_weights)
    Mutant("M1", XSEC, '{"R00": S * S * spacelike, "R0303"', '{"R00": 2.0 * S * S * spacelike, "R0303"',
           "magnetic R00 weight x 2"),
    Mutant("M2", XSEC, '"R0303": -S * S * spacelike * T / q,', '"R0303": S * S * spacelike * T / q,',
           "magnetic R03+30 weight: sign"),
    Mutant("M3", XSEC, 'spacelike * spacelike * W / (2.0 * q * q)', 'spacelike * spacelike * W / (4.0 * q * q)',
           "magnetic R11+22 weight 1/2 -> 1/4"),
    # --- coupling decomposition (coupling_integrals, dsigma_from_integrals)
    Mutant("C1", XSEC, 'total + 2.0 * a * b * I["VV1"]', 'total + 7.0 * a * b * I["VV1"]',
           "weak x millicharge interference 2ab -> 7ab (the change of issue 22)"),
    Mutant("C2", XSEC, '+ b * cA * I["X1"]', '- b * cA * I["X1"]', "millicharge x axial interference: sign"),
    Mutant("C3", XSEC, 'a * a * I["VV0"] + a * cA * I["X0"]', 'a * a * I["VV0"] - a * cA * I["X0"]',
           "V x A interference a c_A: sign"),
    Mutant("C4", XSEC, '+ cA * cA * I["AA"]', '+ 2.0 * cA * cA * I["AA"]', "axial square c_A^2 -> 2 c_A^2"),
    Mutant("C5", XSEC, 'b * b * I["VV2"]', '0.5 * b * b * I["VV2"]', "millicharge square b^2 -> b^2/2"),
    Mutant("C6", XSEC, 'a, b, cA = c.g_V + dgv_r2, 0.0, c.g_A_signed', 'a, b, cA = c.g_V + dgv_r2, 0.0, c.g_A',
           "weak: antineutrino sign of g_A dropped"),
    Mutant("C7", XSEC, 'a, b, cA = dgv_r2, 0.0, 0.0', 'a, b, cA = 2.0 * dgv_r2, 0.0, 0.0',
           "charge-radius process: delta g_V doubled (sin^2 convention)"),
    Mutant("C8", XSEC, 'b_full = 2.0 * math.sqrt(2.0) * math.pi', 'b_full = math.sqrt(2.0) * math.pi',
           "millicharge coupling b: factor 2 lost"),
    Mutant("C9", XSEC, 'total = total + mu * mu * I["M"]', 'total = total + 2.0 * mu * mu * I["M"]',
           "total: magnetic term doubled"),
    Mutant("C10", XSEC, 'out["X1"][idx] = np.sum(X / q2)', 'out["X1"][idx] = np.sum(-X / q2)',
           "integral X1: sign"),
    Mutant("C11", XSEC, 'out["VV1"][idx] = np.sum(V / q2)', 'out["VV1"][idx] = np.sum(V / (q2 - T * T))',
           "integral VV1: 1/q^2 -> 1/(q^2 - T^2)"),
    Mutant("C12", XSEC, 'g_per_muB = math.sqrt(4.0 * math.pi * u.ALPHA)', 'g_per_muB = math.sqrt(2.0 * math.pi * u.ALPHA)',
           "magnetic coupling 4 pi alpha -> 2 pi alpha"),
    # --- free nu-e cross sections (free.py)
    Mutant("F1", FREE, 'bracket = (gv + ga) ** 2 + (gv - ga) ** 2 * (1.0 - y) ** 2',
           'bracket = (gv - ga) ** 2 + (gv + ga) ** 2 * (1.0 - y) ** 2',
           "weak: (g_V + g_A)^2 and (g_V - g_A)^2 swapped (nu <-> nubar)"),
    Mutant("F2", FREE, '- (gv**2 - ga**2) * u.ME_KEV * y / E', '+ (gv**2 - ga**2) * u.ME_KEV * y / E',
           "weak: sign of the m_e T / E^2 term"),
    Mutant("F3", FREE, 'u.GF_KEV**2 * u.ME_KEV / (2.0 * math.pi)', 'u.GF_KEV**2 * u.ME_KEV / (math.pi)',
           "weak prefactor G_F^2 m_e / 2 pi -> / pi"),
    Mutant("F4", FREE, '(1.0 / T - 1.0 / E)', '(1.0 / T - 0.5 / E)', "magnetic: 1/T - 1/E -> 1/T - 1/(2E)"),
    Mutant("F5", FREE, 'NMM_PREFACTOR_CM2 = math.pi * u.ALPHA**2', 'NMM_PREFACTOR_CM2 = 2.0 * math.pi * u.ALPHA**2',
           "magnetic prefactor x 2"),
    Mutant("F6", FREE, 'r2_inv_kev2 / (3.0 * u.GF_KEV)', 'r2_inv_kev2 / (6.0 * u.GF_KEV)',
           "charge radius: delta g_V halved"),
    Mutant("F7", FREE, 'return 2.0 * math.sqrt(2.0) * math.pi * u.ALPHA * dq', 'return math.sqrt(2.0) * math.pi * u.ALPHA * dq',
           "millicharge: delta g_V halved"),
    Mutant("F8", FREE, 'charge_radius_delta_gV(nu.r2_cm2) + millicharge_delta_gV(nu.delta_q, -2.0 * u.ME_KEV * T)',
           'charge_radius_delta_gV(nu.r2_cm2) + millicharge_delta_gV(nu.delta_q, 2.0 * u.ME_KEV * T)',
           "total: sign of q^2 = -2 m_e T in the millicharge shift (interference sign)"),
    Mutant("F9", FREE, 'return np.where(ok, weak_em + dsigma_dT_nmm(E, T, nu.mu_nu_muB), 0.0)',
           'return np.where(ok, weak_em + 2.0 * dsigma_dT_nmm(E, T, nu.mu_nu_muB), 0.0)',
           "total: magnetic term doubled"),
    # --- FEA sum (fea.py)
    Mutant("E1", FEA, 'n = n + s.occupancy * (T > s.binding_keV)', 'n = n + s.occupancy * (T > 0.5 * s.binding_keV)',
           "FEA step at half the binding energy"),
    Mutant("E2", FEA, 'n = n + s.occupancy * (T > s.binding_keV)', 'n = n + 2.0 * (T > s.binding_keV)',
           "FEA: every subshell counted as 2 electrons"),
    Mutant("E3", FEA, 'return effective_electrons(element, T, binding) * per_electron',
           'return effective_electrons(element, T, "edges") * per_electron',
           "FEA ignores binding='dhf'"),
    Mutant("E4", FEA, 'return Z * free.dsigma_dT(process, E_nu_keV, T_keV, neutrino)',
           'return (Z - 1) * free.dsigma_dT(process, E_nu_keV, T_keV, neutrino)',
           "all-free atom: Z -> Z - 1 electrons"),
)

_IGNORE = shutil.ignore_patterns(".git", ".venv*", "_build", ".nuatom-cache", "__pycache__", ".pytest_cache",
                                 "*.egg-info", ".ipynb_checkpoints")


def make_copy(dest: Path) -> Path:
    """Copy the package, tests, benchmarks and project files into ``dest/repo``."""
    repo = dest / "repo"
    repo.mkdir()
    for name in ("nuatom", "tests"):
        shutil.copytree(REPO / name, repo / name, ignore=_IGNORE)
    for name in ("pyproject.toml", "conftest.py", "pytest.ini", "setup.cfg"):
        if (REPO / name).exists():
            shutil.copy2(REPO / name, repo / name)
    # the disk cache of DHF atoms, copied so that a mutant never writes to the shared one
    if (REPO / ".nuatom-cache").is_dir():
        shutil.copytree(REPO / ".nuatom-cache", dest / "cache")
    return repo


def environment(repo: Path) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(repo) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["NUATOM_CACHE_DIR"] = str(repo.parent / "cache")
    env["MPLBACKEND"] = "Agg"
    env["PYTHONDONTWRITEBYTECODE"] = "0"
    return env


def check_import(repo: Path, env: dict) -> None:
    out = subprocess.run([sys.executable, "-c", "import nuatom; print(nuatom.__file__)"], cwd=repo, env=env,
                         capture_output=True, text=True, check=True).stdout.strip()
    if not Path(out).resolve().is_relative_to(repo.resolve()):
        raise SystemExit(f"the copy is not the nuatom that gets imported ({out}); refusing to run")


def run_tests(repo: Path, env: dict, tests) -> tuple[list[str], str]:
    """Failed test ids (failures and errors) and the pytest summary line."""
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--tb=no", "-rfE", *tests]
    proc = subprocess.run(cmd, cwd=repo, env=env, capture_output=True, text=True)
    failed = sorted({m.group(2) for m in re.finditer(r"^(FAILED|ERROR) (\S+)", proc.stdout, re.M)})
    lines = [ln for ln in proc.stdout.strip().splitlines() if ln.strip()]
    summary = lines[-1] if lines else proc.stderr.strip()[-200:]
    return failed, summary


def apply(repo: Path, m: Mutant) -> str:
    path = repo / m.path
    text = path.read_text()
    n = text.count(m.old)
    if n != 1:
        raise SystemExit(f"mutant {m.key}: the text to change occurs {n} times in {m.path} (must be once): {m.old!r}")
    path.write_text(text.replace(m.old, m.new))
    return text


def short(test_id: str) -> str:
    # tests/neutrino/test_xsec.py::test_x[nue-1000.0] -> test_xsec::test_x
    f, _, name = test_id.partition("::")
    return f"{Path(f).stem}::{name.split('[')[0]}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", nargs="*", help="mutant keys to run (default: all)")
    ap.add_argument("--tests", nargs="*", default=list(DEFAULT_TESTS), help="pytest node ids to run")
    ap.add_argument("--list", action="store_true", help="list the mutants and exit")
    ap.add_argument("--keep", action="store_true", help="keep the temporary copy")
    ap.add_argument("--tests-at", metavar="REV", help="use tests/ as of git revision REV (e.g. HEAD) instead of "
                    "the working tree's, to compare the suite before and after a change")
    args = ap.parse_args(argv)
    mutants = [m for m in MUTANTS if not args.only or m.key in args.only]
    if args.list:
        for m in mutants:
            print(f"{m.key:4s} {m.path:26s} {m.what}")
        return 0
    tmp = Path(tempfile.mkdtemp(prefix="nuatom-mutation-"))
    try:
        repo = make_copy(tmp)
        if args.tests_at:
            shutil.rmtree(repo / "tests")
            archive = subprocess.run(["git", "-C", str(REPO), "archive", args.tests_at, "tests"], check=True,
                                     capture_output=True).stdout
            subprocess.run(["tar", "-x", "-C", str(repo)], input=archive, check=True)
            print(f"tests/ as of {args.tests_at}")
        env = environment(repo)
        check_import(repo, env)
        tests = existing(repo, args.tests)
        print("tests:", *tests)
        for m in mutants:   # every mutant applies to the current source (fail early)
            original = apply(repo, m)
            (repo / m.path).write_text(original)
        t0 = time.time()
        failed, summary = run_tests(repo, env, tests)
        print(f"unmutated copy: {summary} ({time.time() - t0:.0f} s)", flush=True)
        if failed:
            print("the unmutated copy fails:", *failed, sep="\n  ")
            return 1
        rows, survivors = [], []
        for m in mutants:
            original = apply(repo, m)
            try:
                t0 = time.time()
                failed, summary = run_tests(repo, env, tests)
            finally:
                (repo / m.path).write_text(original)
            caught = sorted({short(t) for t in failed})
            if not caught:
                survivors.append(m.key)
            rows.append((m.key, m.path.split("/")[-1], m.what, ", ".join(caught) if caught else "**SURVIVED**",
                         len(failed)))
            print(f"{m.key}: {len(failed)} failed ({time.time() - t0:.0f} s) {summary}", flush=True)
        print()
        print("| mutant | file | change | failing tests (number of failing test cases) |")
        print("|---|---|---|---|")
        for key, f, what, caught, n in rows:
            print(f"| {key} | {f} | {what} | {caught} ({n}) |")
        print()
        print(f"{len(rows) - len(survivors)} of {len(rows)} mutants caught"
              + (f"; survived: {', '.join(survivors)}" if survivors else ""))
        return 1 if survivors else 0
    finally:
        if args.keep:
            print(f"copy kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
