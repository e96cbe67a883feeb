"""The detectors: one module per detector, each with a module-level ``DETECTOR``.

>>> "region_avoidance" in names()
True
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from riskgraph.detectors.base import FAMILIES, Context, Detector, Entity, Hit

__all__ = ["FAMILIES", "Context", "Detector", "Entity", "Hit", "all_detectors", "get", "names"]

_NOT_DETECTORS = {"base", "config"}


@cache
def all_detectors() -> dict[str, Detector]:
    """Every detector module of this package, by name, in name order."""
    found = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name in _NOT_DETECTORS or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        detector = getattr(module, "DETECTOR", None)
        if not isinstance(detector, Detector):
            continue
        if detector.name != info.name:
            raise ValueError(f"{module.__name__}: DETECTOR.name must be {info.name!r}")
        found[detector.name] = detector
    return dict(sorted(found.items()))


def names() -> list[str]:
    return list(all_detectors())


def get(name: str) -> Detector:
    try:
        return all_detectors()[name]
    except KeyError:
        raise KeyError(f"unknown detector {name!r}; known: {', '.join(names())}") from None
