"""The embedded ArcadeDB server: start, stop, restart, crash recovery, and the
external-Neo4j switch."""

from __future__ import annotations

import json
import os
import signal
import socket
import stat
import subprocess
import sys
import time

import pytest

from conftest import make_settings
from riskgraph.embedded import EmbeddedServer, EmbeddedServerError
from riskgraph.graph import connection_target, open_graph

pytestmark = pytest.mark.integration


@pytest.fixture
def server(tmp_path):
    srv = EmbeddedServer(make_settings(tmp_path / "var"))
    yield srv
    srv.stop()


def count_regions(settings) -> int:
    with open_graph(settings, start=False) as g:
        return g.read("graph/count_label", Label="Region")[0]["count"]


def test_start_stop_restart_keeps_data(server):
    info = server.start()
    assert server.status() == info
    with open_graph(server.settings, start=False) as g:
        g.write("import/merge_nodes", {"rows": [{"id": "330122", "props": {"name": "桐庐县"}}]},
                Label="Region")
    assert server.stop() is True
    assert server.status() is None and not server.info_file.exists()
    assert server.stop() is False
    server.start()
    assert count_regions(server.settings) == 1


def test_password_is_private_and_not_on_the_command_line(server):
    info = server.start()
    pw_file = server.root / "root_password"
    assert stat.S_IMODE(pw_file.stat().st_mode) == 0o600
    assert stat.S_IMODE((server.root / "jvm.args").stat().st_mode) == 0o600
    cmdline = open(f"/proc/{info.pid}/cmdline", "rb").read().decode()
    assert server.password() not in cmdline
    # Bolt listens on loopback only.
    with socket.create_connection(("127.0.0.1", info.bolt_port), timeout=5):
        pass
    local = [addr for port, addr in _listening() if port == info.bolt_port]
    assert local and all(addr in ("0100007F", "0000000000000000FFFF00000100007F",
                                  "00000000000000000000000001000000") for addr in local), local


def _listening():
    """(port, hex address) of every listening TCP socket, IPv4 and IPv6."""
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in open(table).read().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A":  # LISTEN
                addr, port = fields[1].split(":")
                yield int(port, 16), addr


def test_stale_pid_file_is_recovered(server):
    server.root.mkdir(parents=True, exist_ok=True)
    server.info_file.write_text(json.dumps(
        {"pid": 999999, "bolt_port": 1, "http_port": 2, "database": "graph", "started_at": 0}))
    assert server.status() is None and not server.info_file.exists()
    info = server.start()
    assert info.pid != 999999


def test_restart_after_kill_keeps_committed_data(server):
    info = server.start()
    with open_graph(server.settings, start=False) as g:
        for i in range(5):
            g.write("import/merge_nodes", {"rows": [{"id": f"{330100 + i}", "props": {}}]},
                    Label="Region")
    os.kill(info.pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while server.status() is not None and time.monotonic() < deadline:
        try:
            os.waitpid(info.pid, os.WNOHANG)
        except ChildProcessError:
            pass
        time.sleep(0.05)
    assert server.status() is None
    server.start()
    assert count_regions(server.settings) == 5


def test_configured_port_in_use_is_a_clear_error(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        srv = EmbeddedServer(make_settings(tmp_path / "var", RISKGRAPH_EMBEDDED_BOLT_PORT=str(port)))
        with pytest.raises(EmbeddedServerError, match=f"port {port}"):
            srv.start()


def test_startup_failure_shows_the_log(tmp_path):
    srv = EmbeddedServer(make_settings(tmp_path / "var", RISKGRAPH_EMBEDDED_HEAP="not-a-size"))
    with pytest.raises(EmbeddedServerError, match="exited with code") as info:
        srv.start(timeout=60)
    assert "Invalid maximum heap size" in str(info.value)
    assert srv.status() is None


def test_external_neo4j_switch_needs_no_embedded_server(tmp_path):
    settings = make_settings(tmp_path / "var", RISKGRAPH_NEO4J_URI="neo4j://graph.example:7687",
                             RISKGRAPH_NEO4J_USER="riskgraph", RISKGRAPH_NEO4J_DATABASE="cadres",
                             RISKGRAPH_NEO4J_PASSWORD="s3cret")
    uri, auth, server = connection_target(settings)
    assert (uri, auth, server) == ("neo4j://graph.example:7687", ("riskgraph", "s3cret"), None)
    assert settings.graph_database == "cadres" and not settings.embedded
    assert not (tmp_path / "var" / "arcadedb").exists()


def test_cli_db_commands(tmp_path):
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("RISKGRAPH_")},
           "RISKGRAPH_VAR_DIR": str(tmp_path / "var"), "RISKGRAPH_EMBEDDED_HEAP": "512m"}
    cli = [sys.executable, "-m", "riskgraph", "db"]
    run = lambda *a: subprocess.run([*cli, *a], env=env, capture_output=True, text=True, timeout=120)
    assert run("status").returncode == 1
    started = run("start")
    assert started.returncode == 0 and "Bolt bolt://127.0.0.1:" in started.stdout
    assert run("status").returncode == 0
    assert run("stop").stdout.strip() == "嵌入式图数据库已停止"
    assert run("status").returncode == 1
