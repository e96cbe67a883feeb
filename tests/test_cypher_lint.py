"""Neo4j's own Cypher parser (tools/cypher-lint) over our .cypher files.

ArcadeDB, the embedded engine, accepts a few queries Neo4j 5 rejects; this lint is the
check that keeps cypher/ valid Neo4j 5 Cypher. It needs Node and the npm package, which
CI installs with `npm ci --prefix tools/cypher-lint`; without them these tests fail
(never skip), so a missing install cannot pass unnoticed.
"""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
LINT = REPO / "tools" / "cypher-lint" / "lint.mjs"
PACKAGE = REPO / "tools" / "cypher-lint" / "node_modules" / "@neo4j-cypher" / "language-support"
FIXTURES = REPO / "tests" / "fixtures"
VALID = FIXTURES / "cypher_valid"
INVALID = FIXTURES / "cypher_invalid"
CYPHER = REPO / "cypher"
INSTALL_HINT = "install it with: npm ci --prefix tools/cypher-lint  (needs Node >= 20 and npm)"

# Each invalid fixture states what it must produce: `// expect: LINE:COL: message part`.
EXPECT = re.compile(r"^// expect: (\d+):(\d+): (.+)$", re.MULTILINE)


@pytest.fixture(scope="session")
def node():
    path = shutil.which("node")
    if path is None:
        pytest.fail(f"`node` is not on PATH; the Cypher lint needs Node.js. {INSTALL_HINT}")
    if not PACKAGE.is_dir():
        pytest.fail(f"{PACKAGE.relative_to(REPO)} is missing; {INSTALL_HINT}")
    return path


def run_lint(node, *args):
    return subprocess.run(
        [node, str(LINT), *map(str, args)],
        cwd=REPO, capture_output=True, text=True, timeout=120, check=False,
    )


def rel(path):
    return path.relative_to(REPO).as_posix()


def invalid_fixtures():
    return sorted(INVALID.glob("*.cypher"))


@pytest.mark.parametrize("fixture", invalid_fixtures(), ids=lambda p: p.stem)
def test_invalid_fixture_is_an_error_at_the_stated_place(node, fixture):
    expect = EXPECT.search(fixture.read_text(encoding="utf-8"))
    assert expect, f"{fixture.name} lacks an `// expect: LINE:COL: message` line"
    line, col, message = expect.groups()

    result = run_lint(node, rel(fixture))

    assert result.returncode == 1, result.stdout + result.stderr
    prefix = f"{rel(fixture)}:{line}:{col}: error: "
    hits = [out for out in result.stdout.splitlines() if out.startswith(prefix)]
    assert any(message in hit for hit in hits), (
        f"expected `{prefix}...{message}...` in:\n{result.stdout}{result.stderr}")


def test_the_three_queries_arcadedb_wrongly_accepts_have_fixtures():
    names = {p.stem for p in invalid_fixtures()}
    assert {"with_not_aliased", "ends_in_match", "exists_property"} <= names


def test_valid_fixtures_pass_and_warnings_do_not_fail(node):
    result = run_lint(node, rel(VALID))

    assert result.returncode == 0, result.stdout + result.stderr
    assert ": error: " not in result.stdout
    deprecated = rel(VALID / "deprecated_but_valid.cypher")
    assert f"{deprecated}:7:1: warning: CALL subquery without a variable scope" in result.stdout


def test_json_output_lists_every_diagnostic(node):
    result = run_lint(node, "--json", rel(INVALID))

    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["files"] == [rel(p) for p in invalid_fixtures()]
    assert report["errors"] == sum(d["severity"] == "error" for d in report["diagnostics"])
    assert {d["path"] for d in report["diagnostics"]} == set(report["files"])
    first = report["diagnostics"][0]
    assert set(first) == {"path", "line", "column", "severity", "message"}


def test_a_run_that_finds_no_cypher_file_fails(node, tmp_path):
    result = run_lint(node, tmp_path)

    assert result.returncode == 2
    assert "no .cypher files" in result.stderr


def test_every_cypher_file_of_the_repository_is_valid_neo4j_cypher(node):
    assert CYPHER.is_dir(), "cypher/ is missing"
    assert list(CYPHER.rglob("*.cypher")), "cypher/ holds no .cypher file"

    result = run_lint(node, rel(CYPHER))

    assert result.returncode == 0, result.stdout + result.stderr
