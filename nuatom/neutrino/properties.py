"""The neutrino's properties in one bundle: flavour, weak couplings and electromagnetic form
factors, validated in one place.

Every cross section of the package (free scattering, FEA, ab initio ionization, the rates
and sensitivities, and coherent scattering) takes one :class:`NeutrinoProperties` instead
of the eight loose parameters it would otherwise pass along.
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

from nuatom import units as u
from nuatom._validate import choice

__all__ = ["FLAVORS", "Couplings", "NeutrinoProperties", "DEFAULT_NEUTRINO_MASS_KEV"]

#: Neutrino flavours: name -> (charged lepton, antineutrino?)
FLAVORS = {
    "nue": ("e", False), "nuebar": ("e", True),
    "numu": ("mu", False), "numubar": ("mu", True),
    "nutau": ("tau", False), "nutaubar": ("tau", True),
}
#: Neutrino mass regulating the millicharge collinear logarithm (0.1 eV: the scale allowed
#: by cosmology and oscillations; the cross section depends on it logarithmically).
DEFAULT_NEUTRINO_MASS_KEV = 1e-4


@dataclass(frozen=True)
class Couplings:
    """Effective vector/axial couplings at the electron vertex.

    ``g_V`` and ``g_A`` are those of the *neutrino* of the flavour (charged current
    included for ν_e); ``antineutrino`` flips the sign of ``g_A`` in the cross section.
    """

    g_V: float
    g_A: float
    antineutrino: bool = False

    @property
    def g_A_signed(self) -> float:
        """The axial coupling that enters the cross-section formula (−g_A for ν̄)."""
        return -self.g_A if self.antineutrino else self.g_A


def _finite(name: str, value, unit: str) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} = {value!r} is not a real number ({unit})") from None
    if not math.isfinite(x):
        raise ValueError(f"{name} = {x} is outside the valid range (-inf, inf) ({unit})")
    return x


@dataclass(frozen=True)
class NeutrinoProperties:
    """A neutrino (or antineutrino) of one flavour with its couplings and EM properties.

    Parameters
    ----------
    flavor : {'nue', 'nuebar', 'numu', 'numubar', 'nutau', 'nutaubar'}
        Flavour; the ``bar`` forms are antineutrinos (``g_A`` enters with the opposite
        sign).
    mu_nu_muB : float
        Effective magnetic moment in Bohr magnetons (an electric dipole moment is
        indistinguishable in these processes and is included in it).
    delta_q : float
        Millicharge F₁(0) in units of the elementary charge e.
    r2_cm2 : float
        Charge radius ⟨r²⟩ = 6 dF₁/dq² in cm² (Vogel–Engel convention, see
        :mod:`nuatom.neutrino.free`).
    sin2_theta_w : float
        Weak mixing angle sin²θ_W in [0, 1] (default: the low-energy MS-bar value of
        ``conventions.md``).
    g_V, g_A : float or None
        Non-standard override of the neutrino's vector/axial couplings at the electron
        vertex (``None``: Standard Model values of the flavour). The antineutrino sign flip
        of ``g_A`` is still applied.
    mass_keV : float
        Neutrino mass in keV (>= 0); it regulates the forward divergence of the millicharge
        term and must be > 0 when a millicharge enters an atomic cross section.
    """

    flavor: str = "nuebar"
    mu_nu_muB: float = 0.0
    delta_q: float = 0.0
    r2_cm2: float = 0.0
    sin2_theta_w: float = u.SIN2_THETA_W
    g_V: float | None = None
    g_A: float | None = None
    mass_keV: float = DEFAULT_NEUTRINO_MASS_KEV

    def __post_init__(self):
        flavor = choice("flavor", self.flavor, FLAVORS)
        object.__setattr__(self, "flavor", flavor)
        object.__setattr__(self, "mu_nu_muB", _finite("mu_nu_muB", self.mu_nu_muB, "mu_B"))
        object.__setattr__(self, "delta_q", _finite("delta_q", self.delta_q, "e"))
        object.__setattr__(self, "r2_cm2", _finite("r2_cm2", self.r2_cm2, "cm^2"))
        s2 = _finite("sin2_theta_w", self.sin2_theta_w, "dimensionless")
        if not 0.0 <= s2 <= 1.0:
            raise ValueError(f"sin2_theta_w = {s2} outside the valid range [0, 1]")
        object.__setattr__(self, "sin2_theta_w", s2)
        for name in ("g_V", "g_A"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, _finite(name, value, "dimensionless"))
        m = _finite("mass_keV", self.mass_keV, "keV")
        if m < 0.0:
            raise ValueError(f"mass_keV = {m} outside the valid range [0, inf) keV")
        object.__setattr__(self, "mass_keV", m)

    @classmethod
    def of(cls, value) -> "NeutrinoProperties":
        """``value`` itself, or a Standard-Model neutrino of flavour ``value`` (a string)."""
        if isinstance(value, cls):
            return value
        if isinstance(value, str):
            return cls(flavor=value)
        raise ValueError(f"neutrino = {value!r} is neither a NeutrinoProperties nor a flavour "
                         f"name (one of {sorted(FLAVORS)})")

    @property
    def antineutrino(self) -> bool:
        return FLAVORS[self.flavor][1]

    @property
    def lepton(self) -> str:
        """The charged lepton of the flavour: 'e', 'mu' or 'tau'."""
        return FLAVORS[self.flavor][0]

    @property
    def couplings(self) -> Couplings:
        """Vector and axial couplings at the electron vertex (charged current for ν_e).

        :math:`g_V = -\\tfrac12 + 2\\sin^2\\theta_W + \\delta_{\\ell e}`,
        :math:`g_A = -\\tfrac12 + \\delta_{\\ell e}`, unless overridden.
        """
        cc = 1.0 if self.lepton == "e" else 0.0
        g_v = -0.5 + 2.0 * self.sin2_theta_w + cc if self.g_V is None else self.g_V
        g_a = -0.5 + cc if self.g_A is None else self.g_A
        return Couplings(g_v, g_a, self.antineutrino)

    @property
    def has_nsi(self) -> bool:
        """True when the vector or axial coupling is overridden."""
        return self.g_V is not None or self.g_A is not None

    def replace(self, **changes) -> "NeutrinoProperties":
        """A copy with ``changes`` applied (validated again)."""
        return dataclasses.replace(self, **changes)

    def em_only(self) -> dict:
        """The electromagnetic properties as a dict (μ_ν in μ_B, δ_Q in e, ⟨r²⟩ in cm²)."""
        return {"mu_nu_muB": self.mu_nu_muB, "delta_q": self.delta_q, "r2_cm2": self.r2_cm2}
