"""Result containers of the continuum layer, shared by the DHF and RRPA photoionization."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["PhotoResult"]


@dataclass
class PhotoResult:
    """Photoionization cross sections (barn) on a photon-energy grid (keV)."""

    omega_keV: np.ndarray
    sigma_barn: np.ndarray
    subshells: dict = field(default_factory=dict)
    multipoles: dict = field(default_factory=dict)
    gauge: str = "velocity"

    def to_dict(self) -> dict:
        return {"omega_keV": self.omega_keV.tolist(), "sigma_barn": self.sigma_barn.tolist(),
                "subshells": {k: v.tolist() for k, v in self.subshells.items()}, "gauge": self.gauge}
