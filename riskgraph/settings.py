"""Settings: defaults in config/riskgraph.toml, overrides from the environment.

Environment variables (all optional):

- ``RISKGRAPH_CONFIG``: a TOML file whose values override the defaults.
- ``RISKGRAPH_<SECTION>_<KEY>``: one value, e.g. ``RISKGRAPH_EMBEDDED_HEAP=4g``.
- ``RISKGRAPH_VAR_DIR``: shorthand for ``RISKGRAPH_PATHS_VAR_DIR``.
- ``RISKGRAPH_NEO4J_URI`` / ``_USER`` / ``_PASSWORD`` / ``_DATABASE``: an external
  Neo4j 5; setting the URI switches off the embedded database.
- ``RISKGRAPH_DATABASE_URL``: SQLAlchemy URL of the application-state store.
- ``RISKGRAPH_SECRET_KEY``: the web session key (secret: environment only).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from riskgraph.resources import resource_dir

SECRET_VARIABLES = ("RISKGRAPH_NEO4J_PASSWORD", "RISKGRAPH_SECRET_KEY")
SHORTHANDS = {
    "RISKGRAPH_VAR_DIR": ("paths", "var_dir"),
    "RISKGRAPH_NEO4J_URI": ("graph", "neo4j_uri"),
    "RISKGRAPH_NEO4J_USER": ("graph", "neo4j_user"),
    "RISKGRAPH_NEO4J_DATABASE": ("graph", "neo4j_database"),
    "RISKGRAPH_DATABASE_URL": ("store", "url"),
}


class SettingsError(ValueError):
    pass


def _coerce(value: str, default: Any, name: str) -> Any:
    if isinstance(default, bool):
        if value.lower() in ("1", "true", "yes", "on"):
            return True
        if value.lower() in ("0", "false", "no", "off"):
            return False
        raise SettingsError(f"{name}: expected true/false, got {value!r}")
    if isinstance(default, int):
        try:
            return int(value)
        except ValueError:
            raise SettingsError(f"{name}: expected a whole number, got {value!r}") from None
    if isinstance(default, float):
        try:
            return float(value)
        except ValueError:
            raise SettingsError(f"{name}: expected a number, got {value!r}") from None
    return value


def _merge(base: dict, extra: Mapping, where: str) -> None:
    for section, values in extra.items():
        if section not in base or not isinstance(values, Mapping):
            raise SettingsError(f"{where}: unknown section [{section}]")
        for key, value in values.items():
            if key not in base[section]:
                raise SettingsError(f"{where}: unknown setting {section}.{key}")
            base[section][key] = value


@dataclass(frozen=True)
class Settings:
    values: dict = field(repr=False)
    neo4j_password: str = field(default="", repr=False)
    secret_key: str = field(default="", repr=False)

    def get(self, section: str, key: str) -> Any:
        return self.values[section][key]

    @property
    def var_dir(self) -> Path:
        return Path(self.values["paths"]["var_dir"]).expanduser().resolve()

    @property
    def embedded(self) -> bool:
        """True when the embedded ArcadeDB server is the graph database."""
        return not self.values["graph"]["neo4j_uri"]

    @property
    def graph_database(self) -> str:
        if self.embedded:
            return self.values["embedded"]["database"]
        return self.values["graph"]["neo4j_database"]

    @property
    def timezone(self) -> ZoneInfo:
        """The local time zone (setting ``locale.timezone``).

        >>> load_settings({}).timezone
        zoneinfo.ZoneInfo(key='Asia/Shanghai')
        """
        name = self.values["locale"]["timezone"]
        try:
            return ZoneInfo(name)
        except (ValueError, ZoneInfoNotFoundError):
            raise SettingsError(f"locale.timezone: unknown time zone {name!r}") from None

    @property
    def store_url(self) -> str:
        url = self.values["store"]["url"]
        return url or f"sqlite:///{self.var_dir / 'riskgraph.sqlite3'}"

    def with_overrides(self, **sections: Mapping) -> "Settings":
        values = {s: dict(v) for s, v in self.values.items()}
        _merge(values, sections, "override")
        return Settings(values, self.neo4j_password, self.secret_key)


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Build the settings from the defaults, RISKGRAPH_CONFIG and the environment."""
    env = os.environ if environ is None else environ
    with open(resource_dir("config") / "riskgraph.toml", "rb") as fh:
        values = tomllib.load(fh)
    if env.get("RISKGRAPH_CONFIG"):
        path = Path(env["RISKGRAPH_CONFIG"])
        try:
            with open(path, "rb") as fh:
                _merge(values, tomllib.load(fh), str(path))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise SettingsError(f"RISKGRAPH_CONFIG={path}: {exc}") from None
    for name, value in env.items():
        if not name.startswith("RISKGRAPH_") or name in SECRET_VARIABLES or name == "RISKGRAPH_CONFIG":
            continue
        if name in SHORTHANDS:
            section, key = SHORTHANDS[name]
        else:
            rest = name[len("RISKGRAPH_"):].lower()
            section, _, key = rest.partition("_")
            if section not in values or key not in values[section]:
                continue  # variables of other tools in the RISKGRAPH_ namespace
        values[section][key] = _coerce(value, values[section][key], name)
    return Settings(values, env.get("RISKGRAPH_NEO4J_PASSWORD", ""), env.get("RISKGRAPH_SECRET_KEY", ""))
