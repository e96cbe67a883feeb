"""The detectors: one module per detector, each with a module-level ``DETECTOR``.

>>> "region_avoidance" in names()
True
"""

from __future__ import annotations

import hashlib
import importlib
import json
import pkgutil
from functools import cache

from riskgraph.detectors.base import FAMILIES, Context, Detector, Entity, Hit
from riskgraph.detectors.config import detector_config

__all__ = ["FAMILIES", "Context", "Detector", "Entity", "Hit", "all_detectors", "get", "names",
           "rules_digest"]

# Configuration keys that cannot change what a detector finds.
RESULT_NEUTRAL = frozenset({"incremental", "volume"})

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


@cache
def rules_digest(province: str = "") -> str:
    """A fingerprint of every detector's rules: its version and its configuration (with
    ``province``'s overrides), leaving out the keys that cannot change its findings.
    Every run records it; the re-check after an import carries earlier results forward
    only under the same fingerprint (``riskgraph.incremental.basis_change``). Detectors
    read each other's results and settings (post_risk reads post_tenure's limits and
    procurement_flags' red flags), so it covers all of them. Configuration files are
    read once per process, so it is computed once too."""
    rules = {name: [d.version, {k: v for k, v in detector_config(name, province or "").items()
                                if k not in RESULT_NEUTRAL}]
             for name, d in all_detectors().items()}
    text = json.dumps(rules, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]
