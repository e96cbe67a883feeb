"""The schema declaration and the settings."""

from __future__ import annotations

import shutil

import pytest

from riskgraph.resources import resource_dir
from riskgraph.schema import SchemaError, default_schema, load_schema
from riskgraph.settings import SettingsError, load_settings


def test_schema_covers_the_domain():
    s = default_schema()
    assert {"Person", "Cadre", "Organization", "Post", "Company", "Project", "Payment",
            "Declaration", "DeclarationItem", "Petition", "Evaluation", "Region"} <= s.labels
    assert {"HOLDS", "SPOUSE_OF", "PARENT_OF", "SIBLING_OF", "OWNS", "DIRECTOR_OF"} <= s.rel_types
    # Every reference points to a type imported earlier (or to its own type).
    for t in s.types:
        for f in t.columns:
            for label in f.to:
                providers = [x.order for x in s.node_types if x.label == label]
                assert min(providers) <= t.order, (t.name, f.name)
    assert s.by_template("cadres").duplicate_key == ("name", "birth_date")


@pytest.fixture
def schema_copy(tmp_path):
    folder = tmp_path / "schema"
    shutil.copytree(resource_dir("config") / "schema", folder)
    return folder


@pytest.mark.parametrize("file, old, new, message", [
    ("post.yaml", "type: ref, to: [Organization]", "type: ref, to: [Nowhere]", "unknown label 'Nowhere'"),
    ("post.yaml", "type: enum, values: rank", "type: enum, values: ranks", "unknown enumeration"),
    ("post.yaml", "type: bool, required: true, zh: 是否正职", "type: boolean, zh: 是否正职", "unknown type"),
    ("occupancy.yaml", "start_date: {type: date, required: true", "start_date: {type: date", "must be required"),
    ("region.yaml", "key: id", "key: code", "key 'code' is not a field"),
    ("organization.yaml", "template: organizations", "template: regions", "declared twice"),
])
def test_schema_errors_are_caught_at_load(schema_copy, file, old, new, message):
    path = schema_copy / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(SchemaError, match=message):
        load_schema(schema_copy)


def test_settings_defaults_and_overrides(tmp_path):
    s = load_settings({})
    assert s.embedded and s.get("embedded", "heap") == "2g" and s.graph_database == "graph"
    assert s.store_url.startswith("sqlite:///") and s.store_url.endswith("var/riskgraph.sqlite3")
    cfg = tmp_path / "site.toml"
    cfg.write_text('[embedded]\nheap = "8g"\n[import]\nbatch_size = 5000\n')
    s = load_settings({"RISKGRAPH_CONFIG": str(cfg), "RISKGRAPH_IMPORT_BATCH_SIZE": "300",
                       "RISKGRAPH_DATABASE_URL": "postgresql+psycopg://rg@db/rg"})
    assert s.get("embedded", "heap") == "8g"          # from the file
    assert s.get("import", "batch_size") == 300        # the environment wins, typed
    assert s.store_url == "postgresql+psycopg://rg@db/rg"


@pytest.mark.parametrize("env, message", [
    ({"RISKGRAPH_IMPORT_BATCH_SIZE": "many"}, "expected a whole number"),
])
def test_bad_settings_are_named(env, message):
    with pytest.raises(SettingsError, match=message):
        load_settings(env)


def test_bad_config_file_is_named(tmp_path):
    cfg = tmp_path / "site.toml"
    cfg.write_text("[embedded]\nheapsize = 1\n")
    with pytest.raises(SettingsError, match="unknown setting embedded.heapsize"):
        load_settings({"RISKGRAPH_CONFIG": str(cfg)})


def test_secrets_come_only_from_the_environment(tmp_path):
    cfg = tmp_path / "site.toml"
    cfg.write_text('[graph]\nneo4j_password = "x"\n')
    with pytest.raises(SettingsError, match="unknown setting graph.neo4j_password"):
        load_settings({"RISKGRAPH_CONFIG": str(cfg)})
    s = load_settings({"RISKGRAPH_NEO4J_PASSWORD": "pw", "RISKGRAPH_SECRET_KEY": "k"})
    assert s.neo4j_password == "pw" and "pw" not in repr(s)
