"""Print the seed talk's two sensitivity tables as nuatom reproduces them, with the ratios.

Run by hand (about a minute on one core):

    PYTHONPATH=. python benchmarks/seed_tables.py

LXe table: the seed's counting criterion (``criterion="seed"``), FEA and DHF; the XENON10
row with the printed and the corrected exposure. Ge table: the projected point-contact row
with three criteria, the "1 % of SM" row, and the measured rows' published limits against
nuatom's expected limit and its band (Asimov, FEA).
"""
from __future__ import annotations

import dataclasses

import numpy as np

from nuatom.experiments import sensitivity as S
from nuatom.experiments import stats
from nuatom.fmt import sig, table

LXE = ["xenon10", "xenon100", "pandax-ii", "xenon1t", "lz", "lz-0.5kev", "darwin"]
KEYS = ("mu_nu_90_muB", "delta_q_90", "r2_90_cm2")
SEED = ("mu_nu_muB", "delta_q", "r2_cm2")
UNITS = (1e-11, 1e-12, 1e-30)


def lxe_table(method: str) -> None:
    rows = []
    for i in LXE:
        r, sd = S.sensitivity(i, method, criterion="seed"), S.load_experiment(i).seed
        row = [i]
        for k, s, u in zip(KEYS, SEED, UNITS):
            row += [sig(getattr(r, k) / u, 3), sig(sd[s] / u, 4), sig(getattr(r, k) / sd[s], 3)]
        rows.append(row)
    print(f"\nLXe table, seed criterion, method {method} (mu 1e-11 mu_B, dQ 1e-12 e, r2 1e-30 cm^2 Vogel-Engel)")
    print(table(rows, ["row", "mu", "seed", "ratio", "dQ", "seed", "ratio", "r2", "seed", "ratio"]))


def xenon10_exposures() -> None:
    e = S.load_experiment("xenon10")
    corr = dataclasses.replace(e, detector=dataclasses.replace(e.detector, exposure_kg_day=58.6 * 5.4))
    print("\nXENON10, seed criterion, DHF: printed 8.67e-2 t yr vs corrected 8.67e-4 t yr (ratios to the seed)")
    for label, exp in (("printed", e), ("corrected", corr)):
        r = S.sensitivity(exp, "dhf", criterion="seed")
        print(label, [sig(getattr(r, k) / e.seed[s], 3) for k, s in zip(KEYS, SEED)])


def reactor_rows() -> None:
    ep = S.load_experiment("pcge-projected")
    mods = {k: S.binned_model(ep, k, "dhf") for k in S.PARAMETERS}
    sd = ep.seed
    print("\nProjected point-contact Ge, DHF (r2 in the sin^2 theta_W-shift convention): ratios to the seed")
    for label, c in (("Asimov c = 2.706", stats.CRITICAL_VALUE_90), ("Asimov c = 1.642", stats.CRITICAL_VALUE_90_ONE_SIDED)):
        mu = stats.upper_limit(mods["mu_nu"], critical_value=c)
        dq = stats.interval(mods["delta_q"], critical_value=c).effective
        r2 = stats.interval(mods["r2"], critical_value=c).effective
        print(label, sig(mu / sd["mu_nu_muB"], 3), sig(dq / sd["delta_q"], 3), sig(0.5 * r2 / sd["r2_cm2"], 3))
    r = S.sensitivity(ep, "dhf", criterion="seed")
    print("seed LXe rule", sig(r.mu_nu_90_muB / sd["mu_nu_muB"], 3), sig(r.delta_q_90 / sd["delta_q"], 3),
          sig(0.5 * r.r2_90_cm2 / sd["r2_cm2"], 3))
    one, sd1 = S.sensitivity("sm-1percent", "dhf"), S.load_experiment("sm-1percent").seed
    print("1% of SM, DHF: mu", sig(one.mu_nu_90_muB / sd1["mu_nu_muB"], 3), " dQ (photon term)",
          sig(one.delta_q_90_no_interference / sd1["delta_q"], 3), " r2 (sin2)", sig(one.r2_90_cm2_sin2_shift / sd1["r2_cm2"], 3))
    print("\nMeasured rows: published mu_nu vs expected (Asimov, FEA) median and bands, 1e-11 mu_B")
    for i in ("texono-csi", "texono-ge", "gemma", "texono-pcge"):
        e = S.load_experiment(i)
        b = stats.asymptotic_band(S.binned_model(e, "mu_nu"))
        full = S.sensitivity(e)
        print(i, "published", sig(e.seed["mu_nu_muB"] / 1e-11, 3), " expected", sig(b[0] / 1e-11, 3),
              " -2s..+2s", sig(b[-2] / 1e-11, 3), sig(b[2] / 1e-11, 3),
              " dQ ratio", sig(full.delta_q_90 / e.seed["delta_q"], 3),
              " r2(sin2) ratio", sig(full.r2_90_cm2_sin2_shift / e.seed["r2_cm2"], 3))


if __name__ == "__main__":
    np.seterr(all="ignore")
    for m in ("dhf", "fea"):
        lxe_table(m)
    xenon10_exposures()
    reactor_rows()
