"""The package list in pyproject.toml, and a non-editable install finding cypher/ and
config/ inside the wheel."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_every_package_is_listed():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts)
             for top in ("riskgraph", "webui") for p in (ROOT / top).rglob("__init__.py")
             if "migrations" not in p.parts}
    assert found | {"riskgraph_cypher", "riskgraph_config"} == listed


@pytest.mark.slow
def test_wheel_install_carries_cypher_and_config(tmp_path):
    # Build from the tracked files only: a stale build/ folder of the checkout must not
    # leak into what we test.
    src = tmp_path / "src"
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                             check=True).stdout.decode().split("\0")
    for name in filter(None, tracked):
        if (ROOT / name).is_file():
            (src / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, src / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                    "-w", str(tmp_path / "dist"), str(src)], check=True, capture_output=True)
    (wheel,) = (tmp_path / "dist").glob("riskgraph-*.whl")
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site),
                    str(wheel)], check=True, capture_output=True)
    probe = ("import riskgraph, riskgraph.cypher as c, riskgraph.schema as s, riskgraph.resources as r;"
             "print(riskgraph.__file__); print(r.resource_dir('cypher'));"
             "print(len(c.all_queries()), len(s.default_schema().types));"
             "import riskgraph.store.migrate as m; print(m.head_revision())")
    out = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True,
                         env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"}, check=True).stdout.split("\n")
    assert out[0].startswith(str(site)) and out[1].startswith(str(site))
    queries, types = map(int, out[2].split())
    assert queries == len(list((ROOT / "cypher").rglob("*.cypher")))
    assert types == len(list((ROOT / "config" / "schema").glob("*.yaml"))) - 1
    assert out[3]
