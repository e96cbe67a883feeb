"""The graph schema, declared once as data in config/schema/*.yaml.

Each YAML file declares one node type (a label with a key and typed fields, some of them
references that become relationships) or one edge type (a relationship type between
two node types, with typed fields). The loader validates the declaration at start-up;
code uses the `Schema` object and the constants derived from it, never literal labels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from riskgraph.resources import resource_dir

FIELD_TYPES = {
    "string", "code", "int", "float", "money", "percent", "date", "bool", "enum", "list",
    "resident_id", "credit_code", "region_code", "phone", "ref",
}
IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
REL_TYPE = re.compile(r"^[A-Z][A-Z0-9_]*$")
# The property holding a node's duplicate key (e.g. name|birth date), indexed for the
# likely-duplicate check of imports.
DUPLICATE_KEY_PROPERTY = "_dupkey"
# The property naming the import batch that last wrote a node or relationship (besides
# ``_source``, the file and row). Indexed on every label and relationship type, so an
# incremental re-check finds what a batch wrote without scanning the graph.
BATCH_PROPERTY = "_batch"


class SchemaError(ValueError):
    """The schema declaration itself is wrong (a bug in config/schema, not in data)."""


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    zh: str
    required: bool = False
    values: str | None = None          # enum name, for enum and list
    to: tuple[str, ...] = ()           # target labels, for ref
    edge: str | None = None            # relationship type, for ref
    min: float | None = None
    max: float | None = None

    @property
    def headers(self) -> tuple[str, str]:
        """Accepted column headers: the English field name and the Chinese label."""
        return (self.name, self.zh)


@dataclass(frozen=True)
class EntityType:
    """A node type or an edge type, with its import template."""

    name: str
    zh: str
    kind: str                          # "node" or "edge"
    template: str                      # file stem of its import template
    order: int                         # import order (references point to lower orders)
    description: str
    fields: tuple[Field, ...]
    label: str | None = None           # node: the label MERGE uses
    extra_labels: tuple[str, ...] = ()
    key: str | None = None             # node: the key property
    rel_type: str | None = None        # edge: relationship type
    source: Field | None = None        # edge: the from-endpoint column
    target: Field | None = None        # edge: the to-endpoint column
    edge_key: tuple[str, ...] = ()     # edge: properties that tell parallel edges apart
    indexes: tuple[str, ...] = ()
    duplicate_key: tuple[str, ...] = ()  # node: fields that make two keys "likely the same"

    @property
    def columns(self) -> tuple[Field, ...]:
        """Every column of the import template, in template order."""
        if self.kind == "edge":
            return (self.source, self.target, *self.fields)
        return self.fields

    def field(self, name: str) -> Field:
        for f in self.columns:
            if f.name == name:
                return f
        raise KeyError(name)

    @property
    def refs(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.type == "ref")

    @property
    def self_referencing(self) -> bool:
        return any(self.label in f.to for f in self.refs)


@dataclass(frozen=True)
class Schema:
    types: tuple[EntityType, ...]
    enums: dict[str, dict[str, str]] = field(default_factory=dict)

    def by_template(self, template: str) -> EntityType:
        for t in self.types:
            if t.template == template:
                return t
        raise KeyError(template)

    def by_name(self, name: str) -> EntityType:
        for t in self.types:
            if t.name == name:
                return t
        raise KeyError(name)

    @property
    def node_types(self) -> tuple[EntityType, ...]:
        return tuple(t for t in self.types if t.kind == "node")

    @property
    def edge_types(self) -> tuple[EntityType, ...]:
        return tuple(t for t in self.types if t.kind == "edge")

    @property
    def labels(self) -> frozenset[str]:
        out = set()
        for t in self.node_types:
            out.add(t.label)
            out.update(t.extra_labels)
        return frozenset(out)

    @property
    def keyed_labels(self) -> tuple[str, ...]:
        """Labels with a unique key constraint, one per node template label."""
        return tuple(sorted({t.label for t in self.node_types}))

    @property
    def rel_types(self) -> frozenset[str]:
        out = {t.rel_type for t in self.edge_types}
        for t in self.node_types:
            out.update(f.edge for f in t.refs)
        return frozenset(out)

    @property
    def identifiers(self) -> frozenset[str]:
        """Every identifier a Cypher template may be filled with: labels, relationship
        types and property names (the allow-list of `riskgraph.cypher.Query.render`)."""
        props = {f.name for t in self.types for f in t.columns}
        return frozenset(self.labels | self.rel_types | props
                         | {DUPLICATE_KEY_PROPERTY, BATCH_PROPERTY})

    def indexes(self) -> list[tuple[str, str]]:
        """(label, property) pairs to index besides the keys: the declared ``indexes``,
        the duplicate key, and the import batch of every label."""
        pairs = set()
        for t in self.node_types:
            pairs.add((t.label, BATCH_PROPERTY))
            for prop in t.indexes:
                pairs.add((t.label, prop))
            if t.duplicate_key:
                pairs.add((t.label, DUPLICATE_KEY_PROPERTY))
        return sorted(pairs)

    def edge_indexes(self) -> list[tuple[str, str]]:
        """(relationship type, property) pairs to index: the ``indexes`` an edge type
        declares, and the import batch of every relationship type (also those a node's
        reference field makes)."""
        pairs = {(rel, BATCH_PROPERTY) for rel in self.rel_types}
        for t in self.edge_types:
            pairs.update((t.rel_type, prop) for prop in t.indexes)
        return sorted(pairs)


def _field(name: str, spec: dict, where: str, enums: dict) -> Field:
    if not IDENTIFIER.match(name):
        raise SchemaError(f"{where}: bad field name {name!r}")
    ftype = spec.get("type")
    if ftype not in FIELD_TYPES:
        raise SchemaError(f"{where}.{name}: unknown type {ftype!r}")
    if "zh" not in spec:
        raise SchemaError(f"{where}.{name}: missing Chinese header 'zh'")
    values = spec.get("values")
    if ftype in ("enum", "list") and values not in enums:
        raise SchemaError(f"{where}.{name}: unknown enumeration {values!r}")
    to = tuple(spec.get("to", ()))
    edge = spec.get("edge")
    if ftype == "ref":
        if not to:
            raise SchemaError(f"{where}.{name}: a ref needs 'to'")
        if edge is not None and not REL_TYPE.match(edge):
            raise SchemaError(f"{where}.{name}: bad relationship type {edge!r}")
    return Field(
        name=name, type=ftype, zh=spec["zh"], required=bool(spec.get("required", False)),
        values=values, to=to, edge=edge, min=spec.get("min"), max=spec.get("max"),
    )


def _entity(doc: dict, path: Path, enums: dict, raw: dict[str, dict]) -> EntityType:
    where = path.name
    kind = doc.get("kind")
    fields_doc = dict(doc.get("fields") or {})
    duplicate_key = doc.get("duplicate_key", ())
    if doc.get("extends"):
        parent = raw.get(doc["extends"])
        if parent is None:
            raise SchemaError(f"{where}: extends unknown type {doc['extends']!r}")
        fields_doc = {**parent.get("fields", {}), **fields_doc}
        duplicate_key = duplicate_key or parent.get("duplicate_key", ())
    fields = tuple(_field(n, s or {}, where, enums) for n, s in fields_doc.items())
    common = dict(
        name=doc["name"], zh=doc["zh"], kind=kind, template=doc["template"],
        order=int(doc["order"]), description=" ".join(str(doc.get("description", "")).split()),
        fields=fields, indexes=tuple(doc.get("indexes", ())),
    )
    if kind == "node":
        key = doc.get("key")
        if key not in {f.name for f in fields}:
            raise SchemaError(f"{where}: key {key!r} is not a field")
        for f in fields:
            if f.type == "ref" and f.edge is None:
                raise SchemaError(f"{where}.{f.name}: a node's ref needs 'edge'")
        for name in duplicate_key:
            if name not in {f.name for f in fields}:
                raise SchemaError(f"{where}: duplicate_key field {name!r} is not a field")
        return EntityType(**common, label=doc.get("label", doc["name"]),
                          extra_labels=tuple(doc.get("extra_labels", ())), key=key,
                          duplicate_key=tuple(duplicate_key))
    if kind == "edge":
        if not REL_TYPE.match(doc.get("type", "")):
            raise SchemaError(f"{where}: bad relationship type {doc.get('type')!r}")
        ends = []
        for end in ("from", "to"):
            spec = doc.get(end) or {}
            ends.append(_field(spec.get("field", end), {**spec, "type": "ref", "required": True},
                               where, enums))
        edge_key = tuple(doc.get("key", ()))
        names = {f.name for f in fields}
        for k in edge_key:
            if k not in names:
                raise SchemaError(f"{where}: edge key {k!r} is not a field")
            if not fields_doc[k].get("required"):
                raise SchemaError(f"{where}: edge key {k!r} must be required")
        return EntityType(**common, rel_type=doc["type"], source=ends[0], target=ends[1],
                          edge_key=edge_key)
    raise SchemaError(f"{where}: kind must be node or edge, not {kind!r}")


def load_schema(folder: Path | None = None) -> Schema:
    """Read and validate every schema file in ``folder`` (default config/schema)."""
    folder = folder or resource_dir("config") / "schema"
    enums = yaml.safe_load((folder / "enums.yaml").read_text(encoding="utf-8"))
    enums = {name: {str(k): str(v) for k, v in values.items()} for name, values in enums.items()}
    raw: dict[str, tuple[Path, dict]] = {}
    for path in sorted(folder.glob("*.yaml")):
        if path.name == "enums.yaml":
            continue
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for required in ("name", "zh", "kind", "template", "order"):
            if required not in doc:
                raise SchemaError(f"{path.name}: missing {required!r}")
        raw[doc["name"]] = (path, doc)
    types = [_entity(doc, path, enums, {n: d for n, (_, d) in raw.items()})
             for path, doc in raw.values()]
    types.sort(key=lambda t: (t.order, t.name))
    schema = Schema(types=tuple(types), enums=enums)
    _check_references(schema)
    return schema


def _check_references(schema: Schema) -> None:
    labels = schema.labels
    templates = set()
    for t in schema.types:
        if t.template in templates:
            raise SchemaError(f"{t.name}: template {t.template!r} declared twice")
        templates.add(t.template)
        for f in t.columns:
            for target in f.to:
                if target not in labels:
                    raise SchemaError(f"{t.name}.{f.name}: reference to unknown label {target!r}")
                if target != t.label:
                    provider = min(x.order for x in schema.node_types if x.label == target)
                    if provider > t.order:
                        raise SchemaError(
                            f"{t.name}.{f.name}: {target} is imported after {t.name} (order)")


@cache
def default_schema() -> Schema:
    return load_schema()
