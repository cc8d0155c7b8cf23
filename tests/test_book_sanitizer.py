"""The nbval sanitizer neutralises run-to-run timings and nothing else.

A chapter that printed ``1.0e+02 s wall`` (a timing above 100 s formatted with
two significant figures) once failed CI because the timing pattern did not
accept an exponent; these cases pin the pattern down.
"""
import configparser
import pathlib
import re

import pytest

SANITIZE_CFG = pathlib.Path(__file__).resolve().parents[1] / "book" / "sanitize.cfg"


def _sanitizers():
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(SANITIZE_CFG, encoding="utf-8")
    return [(parser[s]["regex"], parser[s]["replace"]) for s in parser.sections()]


def _sanitize(text):
    for pattern, replacement in _sanitizers():
        text = re.sub(pattern, replacement, text)
    return text


@pytest.mark.parametrize(
    "printed",
    ["35 s wall", "1.0e+02 s wall", "2.5E3 s wall", "0.41 s elapsed", "12 ms wall", "3 min elapsed"],
)
def test_timings_are_neutralised(printed):
    assert _sanitize(printed).startswith("TIME ")


@pytest.mark.parametrize(
    "printed",
    ["1.0e+02 keV", "35 s", "sigma = 2.5e-40 cm^2", "q = 5.0 bohr^-1", "1.0e+02 s  total"],
)
def test_physics_numbers_are_untouched(printed):
    assert _sanitize(printed) == printed
