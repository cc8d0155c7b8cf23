"""Timings of the angular-momentum kernels (nuatom.numerics.angular), run by hand: prints a table.

Per-call times for the public (validating) wrappers and for the vectorised/array paths,
at small j and at the large j of high continuum partial waves, next to sympy's exact
evaluation for scale. Also prints the largest deviation from sympy on the sample, so a
speed-up that costs accuracy shows up here too.
"""
from __future__ import annotations

import time

import numpy as np
from sympy import Rational
from sympy.physics import wigner as sw

from nuatom.numerics import angular as ang


def per_call(fn, repeat: int) -> float:
    fn()                                    # compile / warm caches
    start = time.perf_counter()
    for _ in range(repeat):
        fn()
    return (time.perf_counter() - start) / repeat


def main() -> None:
    rows = []
    for label, args in [("3j j~2", (3, 4, 5, 1, -2, 1)), ("3j j~50", (101, 100, 51, 7, -4, -3)),
                        ("3j j~200", (401, 400, 201, 7, -4, -3))]:
        t_ours = per_call(lambda: ang.wigner_3j(*args), 2000)
        half = [Rational(a, 2) for a in args]
        t_sympy = per_call(lambda: sw.wigner_3j(*half), 20)
        err = abs(ang.wigner_3j(*args) - float(sw.wigner_3j(*half).evalf(30)))
        rows.append((label, t_ours, t_sympy, err))
    for label, args in [("6j j~3", (3, 4, 5, 6, 3, 4)), ("6j j~100", (201, 180, 61, 150, 131, 170))]:
        t_ours = per_call(lambda: ang.wigner_6j(*args), 2000)
        half = [Rational(a, 2) for a in args]
        t_sympy = per_call(lambda: sw.wigner_6j(*half), 5)
        err = abs(ang.wigner_6j(*args) - float(sw.wigner_6j(*half).evalf(30)))
        rows.append((label, t_ours, t_sympy, err))
    for label, args in [("9j spin row l~5", (10, 12, 4, 1, 1, 2, 11, 11, 4)),
                        ("9j spin row l~100", (200, 202, 10, 1, 1, 2, 201, 203, 12))]:
        t_ours = per_call(lambda: ang.wigner_9j(*args), 2000)
        half = [Rational(a, 2) for a in args]
        t_sympy = per_call(lambda: sw.wigner_9j(*half), 2)
        err = abs(ang.wigner_9j(*args) - float(sw.wigner_9j(*half).evalf(30)))
        rows.append((label, t_ours, t_sympy, err))
    print(f"{'symbol':>20} {'nuatom [us]':>12} {'sympy [ms]':>11} {'|diff|':>9}")
    for label, t_ours, t_sympy, err in rows:
        print(f"{label:>20} {t_ours * 1e6:12.2f} {t_sympy * 1e3:11.2f} {err:9.1e}")

    print()
    n = 100_000
    rng = np.random.default_rng(0)
    tj1 = rng.integers(0, 60, n) * 2 + 1
    tj2 = np.full(n, 40)
    tm1 = np.ones(n, dtype=np.int64)
    tm2 = np.zeros(n, dtype=np.int64)
    tj3 = tj1 + 2 * rng.integers(-20, 21, n)
    tj3 = np.abs(tj3)
    t = per_call(lambda: ang.wigner_3j(tj1, tj2, tj3, tm1, tm2, -tm1), 3)
    print(f"vectorised 3j (j<=60, {n} values): {t / n * 1e9:.0f} ns per value")
    t = per_call(lambda: ang.wigner_3j_range(400, 401, 0, 1), 500)
    print(f"wigner_3j_range (j2=200, j3=200.5: {len(ang.wigner_3j_range(400, 401, 0, 1)[0])} values): "
          f"{t * 1e6:.1f} us per call")
    for name, fn in [("reduced_C(-2, 1, 2)", lambda: ang.reduced_C(-2, 1, 2)),
                     ("reduced_sigmaY(-2, 1, 2, 3)", lambda: ang.reduced_sigmaY(-2, 1, 2, 3)),
                     ("reduced_sigmaY(-101, 40, 41, 100)", lambda: ang.reduced_sigmaY(-101, 40, 41, 100))]:
        print(f"{name:>34}: {per_call(fn, 5000) * 1e6:.2f} us per call")


if __name__ == "__main__":
    main()
