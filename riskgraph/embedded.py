"""The embedded default graph database: an ArcadeDB server run as a separate process.

The `arcadedb-embedded` wheel bundles a JRE and ArcadeDB's jars. We start them as a
server speaking Bolt on 127.0.0.1 only, with data, logs and a generated root password
under ``<var_dir>/arcadedb``. Nothing runs inside our Python process (the in-process
JPype mode crashed at interpreter exit).

Files under the root folder:

- ``root_password``: generated once, mode 0600.
- ``jvm.args``: the JVM argument file (holds the password, so mode 0600 and passed as
  ``java @jvm.args``; the password never shows in the process list).
- ``server.json``: pid, ports and start time of the running server.
- ``server.out``: the server's console output; ``log/``: ArcadeDB's own log.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
import signal
import socket
import subprocess
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from riskgraph.settings import Settings

# Jars we leave off the class path: protocol plugins we do not use, and the MCP plugin,
# which would otherwise register itself on the HTTP port through the service loader.
_UNUSED_JARS = ("arcadedb-mcp-", "arcadedb-postgresw-", "arcadedb-redisw-", "arcadedb-graphql-",
                "arcadedb-console-", "arcadedb-python-bridge")


class EmbeddedServerError(RuntimeError):
    """The embedded server could not be started, reached or stopped."""


@dataclass(frozen=True)
class ServerInfo:
    pid: int
    bolt_port: int
    http_port: int
    database: str
    started_at: float

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"


def _package_dir() -> Path:
    try:
        import arcadedb_embedded
    except ImportError as exc:  # pragma: no cover - a broken install
        raise EmbeddedServerError("the arcadedb-embedded package is not installed") from exc
    return Path(arcadedb_embedded.__file__).resolve().parent


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.chmod(path, 0o600)


class EmbeddedServer:
    """Start, find, wait for and stop the embedded ArcadeDB server."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.root = settings.var_dir / "arcadedb"
        self.database = settings.get("embedded", "database")

    # -- files -------------------------------------------------------------------
    @property
    def info_file(self) -> Path:
        return self.root / "server.json"

    @property
    def console_file(self) -> Path:
        return self.root / "server.out"

    def password(self) -> str:
        """The root password, generated on first use and kept in a 0600 file."""
        path = self.root / "root_password"
        if not path.exists():
            self.root.mkdir(parents=True, exist_ok=True)
            _write_private(path, secrets.token_urlsafe(24))
        return path.read_text(encoding="utf-8").strip()

    def log_tail(self, lines: int = 40) -> str:
        """The last lines of the server's console output (errors are only logged there)."""
        if not self.console_file.exists():
            return ""
        with open(self.console_file, "rb") as fh:
            fh.seek(0, os.SEEK_END)
            fh.seek(max(0, fh.tell() - 64_000))
            text = fh.read().decode("utf-8", "replace")
        return "\n".join(text.splitlines()[-lines:])

    # -- state -------------------------------------------------------------------
    def _is_our_process(self, pid: int) -> bool:
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            return False
        return f"@{self.root / 'jvm.args'}".encode() in cmdline

    def status(self) -> ServerInfo | None:
        """The running server, or None. A pid file whose process is gone is removed."""
        try:
            info = ServerInfo(**json.loads(self.info_file.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            return None
        if self._is_our_process(info.pid):
            return info
        self.info_file.unlink(missing_ok=True)  # stale: the server died or was killed
        return None

    @contextmanager
    def _lock(self):
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / "server.lock", "w") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    # -- start / stop --------------------------------------------------------------
    def _ports(self) -> tuple[int, int]:
        ports = []
        for key in ("bolt_port", "http_port"):
            port = int(self.settings.get("embedded", key))
            if port and _port_in_use(port):
                raise EmbeddedServerError(
                    f"port {port} on 127.0.0.1 (embedded.{key}) is taken by another program; "
                    f"set RISKGRAPH_EMBEDDED_{key.upper()}=0 to pick a free one")
            ports.append(port or _free_port())
        return ports[0], ports[1]

    def _jvm_args(self, bolt_port: int, http_port: int) -> list[str]:
        pkg = _package_dir()
        jars = sorted(p for p in (pkg / "jars").glob("*.jar")
                      if not p.name.startswith(_UNUSED_JARS))
        heap = self.settings.get("embedded", "heap")
        db = self.database
        props = {
            "arcadedb.server.rootPath": self.root,
            "arcadedb.server.databaseDirectory": self.root / "databases",
            "arcadedb.server.rootPassword": self.password(),
            "arcadedb.server.mode": "production",
            "arcadedb.server.httpIncomingHost": "127.0.0.1",
            "arcadedb.server.httpIncomingPort": http_port,
            "arcadedb.server.plugins": "Bolt:com.arcadedb.bolt.BoltProtocolPlugin",
            "arcadedb.bolt.host": "127.0.0.1",
            "arcadedb.bolt.port": bolt_port,
            "arcadedb.bolt.defaultDatabase": db,
            "arcadedb.server.defaultDatabases": f"{db}[root]",
        }
        return ["-Xms256m", f"-Xmx{heap}", "-XX:+ExitOnOutOfMemoryError",
                *(f"-D{k}={v}" for k, v in props.items()),
                "-cp", ":".join(str(j) for j in jars), "com.arcadedb.server.ArcadeDBServer"]

    def start(self, timeout: float | None = None) -> ServerInfo:
        """Start the server unless it runs already, and wait until the database answers."""
        with self._lock():
            running = self.status()
            if running:
                return running
            bolt_port, http_port = self._ports()
            argfile = self.root / "jvm.args"
            # An argument file quotes each argument on its own line.
            _write_private(argfile, "\n".join(
                '"' + a.replace("\\", "\\\\").replace('"', '\\"') + '"'
                for a in self._jvm_args(bolt_port, http_port)) + "\n")
            java = _package_dir() / "jre" / "bin" / "java"
            with open(self.console_file, "ab") as out:
                proc = subprocess.Popen(
                    [str(java), f"@{argfile}"], cwd=self.root, stdin=subprocess.DEVNULL,
                    stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
            info = ServerInfo(proc.pid, bolt_port, http_port, self.database, time.time())
            self.info_file.write_text(json.dumps(asdict(info)), encoding="utf-8")
        try:
            self.wait_ready(info, proc, timeout)
        except BaseException:
            self.stop()
            raise
        return info

    def wait_ready(self, info: ServerInfo, proc: subprocess.Popen | None = None,
                   timeout: float | None = None) -> None:
        """Wait until ``RETURN 1`` succeeds on the database (Bolt opens before it exists)."""
        from neo4j import GraphDatabase
        from neo4j.exceptions import AuthError, DriverError, Neo4jError

        timeout = timeout or float(self.settings.get("embedded", "start_timeout"))
        deadline = time.monotonic() + timeout
        last_error: Exception | None = None
        while time.monotonic() < deadline:
            if proc is not None and proc.poll() is not None:
                raise EmbeddedServerError(
                    f"the embedded database exited with code {proc.returncode} during start-up; "
                    f"last lines of {self.console_file}:\n{self.log_tail()}")
            try:
                # A plain session, not a managed transaction: no retry chatter on stderr.
                with GraphDatabase.driver(info.uri, auth=("root", self.password())) as driver:
                    with driver.session(database=self.database) as session:
                        session.run("RETURN 1 AS ok").consume()
                return
            except AuthError as exc:
                raise EmbeddedServerError(
                    f"the embedded database rejected the root password in {self.root}/root_password "
                    f"(was the file replaced?): {exc}") from exc
            except (DriverError, Neo4jError, OSError) as exc:
                last_error = exc
                time.sleep(0.25)
        raise EmbeddedServerError(
            f"the embedded database did not answer within {timeout:.0f} s "
            f"(last error: {last_error}); raise embedded.start_timeout or see "
            f"{self.console_file}:\n{self.log_tail()}")

    def stop(self, timeout: float | None = None) -> bool:
        """Stop the server with SIGTERM (ArcadeDB closes its databases cleanly), then
        SIGKILL if it has not exited within ``timeout``. Returns False if none ran."""
        timeout = timeout or float(self.settings.get("embedded", "stop_timeout"))
        with self._lock():
            info = self.status()
            if info is None:
                return False
            os.kill(info.pid, signal.SIGTERM)
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline and self._is_our_process(info.pid):
                _reap(info.pid)
                time.sleep(0.1)
            if self._is_our_process(info.pid):
                os.kill(info.pid, signal.SIGKILL)
                while self._is_our_process(info.pid):
                    _reap(info.pid)
                    time.sleep(0.05)
            self.info_file.unlink(missing_ok=True)
            return True


def _reap(pid: int) -> None:
    """Collect the exit status when the server is our own child (else it stays a zombie)."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass
