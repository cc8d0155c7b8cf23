"""Peak memory and time of one RPA kernel on the adjoint route (the unit of an RPA response column).

Runs :func:`nuatom.continuum.rpa.rpa_multipoles_over_q` for one atom, energy transfer and
rank ``J`` (natural parity: kinds C, L, E) at two momenta by the adjoint route (one GMRES
solve per open channel for its dressed final state, then every momentum as a radial
integral) and prints the wall time, the matrix-vector products and the peak resident memory
of the process. A column of ``benchmarks/make_rpa_response_columns.py`` runs eight such
kernels (J = 0..3, both parities) one after the other, so its peak is that of its largest
kernel.

Usage::

    NUATOM_CACHE_DIR=.nuatom-cache python benchmarks/bench_rpa_kernel_memory.py Xe 951 3

Measured (2026-12-05, Xe, T = 951 eV, J = 3: 54 channels, 36 open, 8,418 grid points; 384
products; the 2-core machine with two RPA columns running beside it):

* before the dressed final states were reduced one at a time (all of them held until the
  momenta were done, about 1.0 GB here and 2.0 GB for the J = 3 kernel at 3 keV): peak
  2,520 MB, 665 s;
* after (each reduced to its transition densities as soon as it is solved,
  ``nuatom.continuum.rpa._dressed_densities``): peak 1,620 MB, 598 s; same amplitudes to the
  last digit.

The rest of the peak is mostly GMRES's Krylov vectors (about 11 of 1.8 million complex
unknowns here) and the kernel's Green's functions.
"""
from __future__ import annotations

import argparse
import resource
import time

import nuatom
from nuatom.continuum.rpa import rpa_multipoles_over_q
from nuatom.units import HARTREE_EV


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("element")
    parser.add_argument("T_eV", type=float, help="energy transfer (eV)")
    parser.add_argument("J", type=int, help="multipole rank (natural parity)")
    args = parser.parse_args(argv)
    atom = nuatom.atom(args.element)
    start = time.perf_counter()
    result = rpa_multipoles_over_q(atom, args.T_eV / HARTREE_EV, [1.0, 10.0], J=args.J,
                                   kinds=("C", "L", "E"), route="adjoint")
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{args.element} T = {args.T_eV:g} eV, J = {args.J}: {seconds:.0f} s, "
          f"{result[0].iterations['C']} matrix-vector products, peak resident memory {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
