"""Export nuatom's ionization tables ``nuatom/data/xsec/{Ge,Xe}.npz``, ``.csv`` and
``{Ge,Xe}_integrals.npz``.

``<el>_integrals.npz``: the seven coupling integrals of :func:`nuatom.neutrino.xsec.coupling_integrals`
for methods ab-initio, epa, lpa on a dense grid (``E_DENSE_KEV`` × the reference T grid);
:class:`nuatom.neutrino.xsec.IonizationTable` interpolates them for any flavour, parameters and
(E_ν, T) (used for rates over neutrino spectra, method "ab-initio" of
:mod:`nuatom.experiments.sensitivity`).

``<el>.npz`` / ``<el>.csv``: dσ/dT of standard cases, for users who want numbers:

Per atom, on the standard grid: every neutrino energy of ``E_NU_KEV`` × the energy
transfers of the packaged reference response table (:func:`nuatom.response.engine.reference_table`),
for each process and method (:func:`nuatom.neutrino.xsec.ionization_dsigma_dT`):

* ``weak`` for ν̄_e, ν_e, ν_μ (SM couplings, sin²θ_W = nuatom.units.SIN2_THETA_W);
* ``nmm`` at μ_ν = 1e-11 μ_B (scales as μ_ν²);
* ``millicharge`` at δ_Q = 1e-12 (photon term alone, scales as δ_Q²; m_ν = 0.1 eV);
* ``charge-radius`` at ⟨r²⟩ = 1e-32 cm² (photon term alone, scales as ⟨r²⟩²);

methods ``ab-initio`` (frozen-core DHF), ``fea`` (measured edges), ``epa``, ``lpa``.
The CSV has one row per (E_nu, T) and one column per (process, method); its commented
header states units, grids, the package version and the command.

Run (seconds, once the reference response tables exist)::

    .venv/bin/python benchmarks/make_xsec_tables.py
"""
from __future__ import annotations

import datetime
import json
import pathlib
import sys
import time

import numpy as np

import nuatom
from nuatom.neutrino import xsec
from nuatom.neutrino.properties import NeutrinoProperties
from nuatom.response import reference_table

E_NU_KEV = (10.0, 30.0, 100.0, 300.0, 1000.0, 3000.0)
#: Dense neutrino-energy grid of the integral tables (keV): 1 keV .. 20 MeV, 16 per decade.
E_DENSE_KEV = tuple(np.geomspace(1.0, 2.0e4, 70))
CASES = (("weak_nuebar", "weak", "nuebar", {}), ("weak_nue", "weak", "nue", {}),
         ("weak_numu", "weak", "numu", {}), ("nmm", "nmm", "nuebar", {"mu_nu_muB": 1e-11}),
         ("millicharge", "millicharge", "nuebar", {"delta_q": 1e-12}),
         ("charge_radius", "charge-radius", "nuebar", {"r2_cm2": 1e-32}))
OUT = pathlib.Path(__file__).resolve().parents[1] / "nuatom" / "data" / "xsec"


def make_integrals(element: str) -> None:
    start = time.perf_counter()
    T = reference_table(element).T_keV
    response = xsec.TableResponse(reference_table(element))
    arrays = {}
    methods = {"ab-initio": "none", "epa": "EPA", "lpa": "LPA"}
    for method, appr in methods.items():
        per = {n: np.zeros((len(E_DENSE_KEV), T.size)) for n in xsec.INTEGRAL_NAMES}
        for i, E in enumerate(E_DENSE_KEV):
            I = xsec.coupling_integrals(E, T, response, approximation=appr)
            for n in xsec.INTEGRAL_NAMES:
                per[n][i] = I[n]
        arrays.update({f"{method}__{n}": per[n] for n in xsec.INTEGRAL_NAMES})
    meta = {"element": element, "units": "cm^2/keV per atom (per mu_B^2 for M)",
            "methods": list(methods), "integrals": list(xsec.INTEGRAL_NAMES),
            "neutrino_mass_keV": xsec.DEFAULT_NEUTRINO_MASS_KEV, "version": nuatom.__version__,
            "generator": "benchmarks/make_xsec_tables.py",
            "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")}
    OUT.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(OUT / f"{element}_integrals.npz", E_nu_keV=np.array(E_DENSE_KEV), T_keV=T,
                        metadata=np.array(json.dumps(meta)), **arrays)
    print(f"{element}: integrals {len(E_DENSE_KEV)} E x {T.size} T x {len(methods)} methods in "
          f"{time.perf_counter() - start:.1f} s")


def make(element: str) -> dict:
    start = time.perf_counter()
    T = reference_table(element).T_keV
    columns = {}
    for name, process, flavor, kw in CASES:
        for method in xsec.METHODS:
            col = np.zeros((len(E_NU_KEV), T.size))
            for i, E in enumerate(E_NU_KEV):
                nu = NeutrinoProperties(flavor=flavor, **kw)
                col[i] = xsec.ionization_dsigma_dT(element, process, E, T, nu, method=method)
            columns[f"{name}__{method}"] = col
    meta = {"element": element, "units": "cm^2/keV per atom", "E_nu_keV": list(E_NU_KEV),
            "cases": {n: {"process": p, "flavor": f, **kw} for n, p, f, kw in CASES},
            "methods": list(xsec.METHODS), "neutrino_mass_keV": xsec.DEFAULT_NEUTRINO_MASS_KEV,
            "version": nuatom.__version__, "generator": "benchmarks/make_xsec_tables.py",
            "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")}
    OUT.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(OUT / f"{element}.npz", E_nu_keV=np.array(E_NU_KEV), T_keV=T,
                        metadata=np.array(json.dumps(meta)), **columns)
    names = list(columns)
    with open(OUT / f"{element}.csv", "w") as fh:
        fh.write(f"# nuatom {nuatom.__version__}: neutrino-impact ionization dsigma/dT of {element}, "
                 "cm^2/keV per atom\n")
        fh.write("# columns <case>__<method>; cases: " + json.dumps(meta["cases"]) + "\n")
        fh.write("# methods: ab-initio = frozen-core DHF response (reference table), fea = free-electron "
                 "approximation with measured edges, epa/lpa = equivalent/longitudinal photon from the DHF "
                 "response; 0 = outside the kinematic range or below threshold\n")
        fh.write(f"# made by {meta['generator']} on {meta['created']}\n")
        fh.write("E_nu_keV,T_keV," + ",".join(names) + "\n")
        for i, E in enumerate(E_NU_KEV):
            for j, t in enumerate(T):
                fh.write(f"{E:.6g},{t:.9g}," + ",".join(f"{columns[n][i, j]:.6e}" for n in names) + "\n")
    print(f"{element}: {len(names)} columns x {len(E_NU_KEV)} E x {T.size} T in "
          f"{time.perf_counter() - start:.1f} s -> {OUT}")
    return columns


def main(argv=None) -> int:
    for el in (argv or sys.argv[1:]) or ("Ge", "Xe"):
        make_integrals(el)
        make(el)
    return 0


if __name__ == "__main__":
    sys.exit(main())
