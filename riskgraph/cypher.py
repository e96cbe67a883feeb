"""Cypher queries, loaded from cypher/**/*.cypher files.

Each file holds one statement and opens with a header of ``//`` comment lines::

    // name: import/merge_nodes
    // purpose: Create or update nodes of one label from a batch of import rows.
    // params: rows (list of maps: id, props), batch (string)
    // returns: written (int)
    // template: Label

Values travel only as ``$parameters``. Labels, relationship types and property names
cannot be parameters in Cypher; where a query is the same for several of them, the file
is a *template*: it names placeholders such as ``__Label__`` (valid identifiers, so the
file still parses as Cypher) in its ``template:`` line, and `render` substitutes them
only with identifiers from an allow-list (the schema's labels, types and properties).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from riskgraph.resources import resource_dir

HEADER_KEYS = ("name", "purpose", "params", "returns")
_PLACEHOLDER = re.compile(r"__([A-Za-z]+)__")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class CypherFileError(ValueError):
    pass


@dataclass(frozen=True)
class Query:
    name: str
    path: Path
    text: str
    header: dict[str, str]
    placeholders: tuple[str, ...]

    def render(self, allowed: frozenset[str] | set[str], **values: str) -> str:
        """The statement with each placeholder replaced by an allowed identifier."""
        if set(values) != set(self.placeholders):
            raise ValueError(f"{self.name}: needs placeholders {sorted(self.placeholders)}, "
                             f"got {sorted(values)}")
        for key, value in values.items():
            if value not in allowed or not _IDENTIFIER.match(value):
                raise ValueError(f"{self.name}: {key}={value!r} is not an allowed identifier")
        return _PLACEHOLDER.sub(lambda m: values[m.group(1)], self.text)


def parse(path: Path, root: Path) -> Query:
    text = path.read_text(encoding="utf-8")
    name = path.relative_to(root).with_suffix("").as_posix()
    header: dict[str, str] = {}
    for line in text.splitlines():
        if not line.startswith("//"):
            break
        key, sep, value = line[2:].partition(":")
        if sep:
            key = key.strip()
            header[key] = (header[key] + " " + value.strip()) if key in header else value.strip()
    missing = [k for k in HEADER_KEYS if k not in header]
    if missing:
        raise CypherFileError(f"{path}: header lacks {', '.join(missing)}")
    if header["name"] != name:
        raise CypherFileError(f"{path}: header name {header['name']!r} should be {name!r}")
    declared = tuple(p.strip() for p in header.get("template", "").split(",") if p.strip())
    used = tuple(sorted(set(_PLACEHOLDER.findall(text))))
    if sorted(declared) != list(used):
        raise CypherFileError(f"{path}: template line declares {sorted(declared)}, "
                              f"text uses {list(used)}")
    body = "\n".join(l for l in text.splitlines() if not l.startswith("//")).strip()
    return Query(name=name, path=path, text=body.rstrip(";").strip(), header=header,
                 placeholders=used)


@cache
def load(name: str) -> Query:
    """The query in ``cypher/<name>.cypher``."""
    root = resource_dir("cypher")
    path = root / f"{name}.cypher"
    if not path.is_file():
        raise CypherFileError(f"no query file {path}")
    return parse(path, root)


def all_queries() -> list[Query]:
    root = resource_dir("cypher")
    return [parse(p, root) for p in sorted(root.rglob("*.cypher"))]
