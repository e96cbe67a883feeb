"""Locate the cypher/ and config/ folders in a source checkout or an installed wheel."""

from __future__ import annotations

from functools import cache
from importlib import resources
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
    return Path(str(resources.files(f"riskgraph_{name}")))
