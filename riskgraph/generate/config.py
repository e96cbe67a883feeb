"""Generator settings: config/generator.yaml, with rate overrides merged in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from riskgraph.detectors.config import deep_merge
from riskgraph.resources import resource_dir

RANKS = ("staff", "vice_section", "section", "vice_division", "division",
         "vice_bureau", "bureau", "vice_ministerial", "ministerial")
RANK_ORDER = {r: i for i, r in enumerate(RANKS)}
DETECTORS = ("post_avoidance", "region_avoidance", "recusal", "relative_business",
             "revolving_door", "post_tenure", "procurement_flags", "declaration_gap",
             "words_vs_deeds", "money_loop", "hidden_cluster")
INDUSTRIES = tuple("ABCDEFGHIJKLMNOPQR")


@dataclass
class GenConfig:
    raw: dict[str, Any]
    scale_name: str
    scale: dict[str, Any]
    rates: dict[str, Any]
    rules: dict[str, Any]
    background: dict[str, Any]
    as_of: dt.date
    years: int

    @property
    def decl_years(self) -> list[int]:
        """Declaration/evaluation years: the last `years` full years before as_of."""
        last = self.as_of.year - 1
        return list(range(last - self.years + 1, last + 1))

    @property
    def regulated(self) -> frozenset[str]:
        """Industries some organisation kind regulates."""
        out = set()
        for org in self.raw["organisations"]:
            out.update(org.get("regulates", ()))
        return frozenset(out)

    @property
    def unregulated(self) -> tuple[str, ...]:
        return tuple(i for i in INDUSTRIES if i not in self.regulated)


def load_config(scale: str, rates: dict | None = None, path: Path | None = None) -> GenConfig:
    path = path or resource_dir("config") / "generator.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if scale not in raw["scales"]:
        raise ValueError(f"unknown scale {scale!r}; known: {', '.join(raw['scales'])}")
    unknown = set(rates or {}) - set(raw["rates"])
    if unknown:
        raise ValueError(f"unknown rate keys: {', '.join(sorted(unknown))}")
    as_of = raw["as_of"]
    if isinstance(as_of, str):
        as_of = dt.date.fromisoformat(as_of)
    return GenConfig(
        raw=raw, scale_name=scale, scale=raw["scales"][scale],
        rates=deep_merge(raw["rates"], rates or {}), rules=raw["rules"],
        background=raw["background"], as_of=as_of, years=int(raw["years"]),
    )
