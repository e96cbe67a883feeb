"""Every cypher/ file: a complete header, parameters only, and it compiles on ArcadeDB.
(Neo4j's own parser checks the same files in test_cypher_lint.py.)"""

from __future__ import annotations

import re

import pytest

from riskgraph import cypher

QUERIES = cypher.all_queries()
SAMPLE = {"Label": "Person", "Extra": "Cadre", "From": "Person", "To": "Company",
          "TYPE": "OWNS", "prop": "name"}


def test_there_are_queries():
    assert len(QUERIES) >= 10


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_header_and_parameters(query):
    for key in cypher.HEADER_KEYS:
        assert query.header[key], f"{query.name}: empty {key}"
    # No string literals built from input: every value in a WHERE/MERGE/SET is a
    # $parameter or a literal written in the file; no Python format fields.
    assert "{}" not in query.text and "%s" not in query.text and "{0}" not in query.text
    used = set(re.findall(r"\$([A-Za-z_]+)", query.text))
    declared = query.header["params"]
    for name in used:
        assert name in declared, f"{query.name}: ${name} not named in the params header"


def test_render_refuses_identifiers_outside_the_allow_list():
    q = cypher.load("import/merge_nodes")
    with pytest.raises(ValueError, match="not an allowed identifier"):
        q.render({"Person"}, Label="Person {id: 1}) DETACH DELETE n //")
    with pytest.raises(ValueError, match="not an allowed identifier"):
        q.render({"Person"}, Label="Company")
    with pytest.raises(ValueError, match="needs placeholders"):
        q.render({"Person"})


@pytest.mark.integration
@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_compiles_on_arcadedb(query, session_graph):
    text = query.render(session_graph.schema.identifiers, **{k: SAMPLE[k] for k in query.placeholders}) \
        if query.placeholders else query.text
    if text.lstrip().upper().startswith(("CREATE CONSTRAINT", "CREATE INDEX")):
        pytest.skip("schema statements are run for real by the session fixture")
    session_graph.read_tx(lambda tx: tx.run("EXPLAIN " + text, {}).consume())


@pytest.mark.integration
def test_arcadedb_explain_rejects_a_broken_query(session_graph):
    """The control for test_compiles_on_arcadedb: EXPLAIN really parses."""
    from neo4j.exceptions import Neo4jError

    with pytest.raises(Neo4jError):
        session_graph.driver.execute_query("EXPLAIN MATCH (n RETURN n",
                                           database_=session_graph.database)
