"""Detector configuration: ``config/detectors/<name>.yaml``, with per-province overrides
from ``config/detectors/provinces/<code>.yaml`` (provinces set stricter variants).

A detector file holds ``severity``, ``enabled``, ``scope`` and ``thresholds`` (and may
hold ``volume``: the output a sane run stays within, and ``incremental``: what an
import can change for it, see ``riskgraph.reach``). A province file maps detector
names to the same keys; its values replace the defaults key by key, recursively.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from riskgraph.resources import resource_dir

KNOWN_KEYS = {"severity", "enabled", "scope", "thresholds", "volume", "levels", "weights",
              "incremental"}


class DetectorConfigError(ValueError):
    pass


def config_dir() -> Path:
    return resource_dir("config") / "detectors"


@cache
def _read(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or {}
    if not isinstance(data, dict):
        raise DetectorConfigError(f"{path}: expected a mapping at the top level")
    return data


def deep_merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """``base`` with ``extra``'s values laid over it, mappings merged key by key.

    >>> deep_merge({"a": {"x": 1, "y": 2}, "b": 1}, {"a": {"y": 3}})
    {'a': {'x': 1, 'y': 3}, 'b': 1}
    """
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def detector_config(name: str, province: str = "", directory: Path | None = None) -> dict[str, Any]:
    """The configuration of detector ``name``, with ``province``'s overrides applied."""
    directory = directory or config_dir()
    path = directory / f"{name}.yaml"
    if not path.exists():
        raise DetectorConfigError(f"{path}: missing (every detector has a config file)")
    config = _read(path)
    if province:
        override = _read(directory / "provinces" / f"{province}.yaml").get(name) or {}
        config = deep_merge(config, override)
    unknown = set(config) - KNOWN_KEYS
    if unknown:
        raise DetectorConfigError(f"{path}: unknown key(s) {sorted(unknown)}")
    config.setdefault("enabled", True)
    config.setdefault("thresholds", {})
    config.setdefault("scope", {})
    return config
