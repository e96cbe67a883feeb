"""Locate the cypher/ and config/ folders in a source checkout or an installed wheel."""

from __future__ import annotations

from functools import cache
import importlib.util
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parent.parent


@cache
def resource_dir(name: str) -> Path:
    """Return the folder ``cypher`` or ``config``.

    A source checkout (or an editable install) uses the top-level folder; a wheel ships
    them as the packages ``riskgraph_cypher`` and ``riskgraph_config``.
    """
    if name not in ("cypher", "config"):
        raise ValueError(f"unknown resource folder {name!r}")
    local = _CHECKOUT / name
    if local.is_dir():
        return local
    spec = importlib.util.find_spec(f"riskgraph_{name}")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"riskgraph is installed without its {name}/ folder")
    # A data-only folder is a namespace package: take its one location.
    return Path(list(spec.submodule_search_locations)[0])
