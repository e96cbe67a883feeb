"""Apply the schema's constraints and indexes to the graph database (idempotent)."""

from __future__ import annotations

from riskgraph.graph import GraphClient


def apply_graph_schema(client: GraphClient) -> list[str]:
    """Create the key constraint of every label and the declared property indexes
    (of labels and of relationship types, see ``Schema.indexes``/``edge_indexes``).

    Constraints come before any bulk load: MERGE without an index is quadratic.
    Returns a line per statement, for the command's output.
    """
    done = []
    for label in sorted(client.schema.labels):
        client.write("schema/key_constraint", Label=label)
        done.append(f"唯一约束 {label}.id")
    for label, prop in client.schema.indexes():
        client.write("schema/property_index", Label=label, prop=prop)
        done.append(f"索引 {label}.{prop}")
    for rel_type, prop in client.schema.edge_indexes():
        client.write("schema/relationship_index", TYPE=rel_type, prop=prop)
        done.append(f"索引 [{rel_type}].{prop}")
    return done


def wipe_graph(client: GraphClient, chunk: int = 5000) -> int:
    """Delete every node and relationship, in bounded transactions. Returns the count."""
    total = 0
    while True:
        deleted = client.write("admin/delete_some", {"limit": chunk})[0]["deleted"]
        total += deleted
        if deleted == 0:
            return total
