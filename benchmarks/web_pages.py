"""Page times of the review UI under concurrent users, on a loaded graph.

Starts `riskgraph serve` (waitress) as its own process on loopback against an existing
graph (default: the county graph under /work/main/var, only read) and a private store,
signs in N virtual users and has each request pages in random order for a while:
dashboard, findings queue (filtered and paged), a finding, a cadre file, high-risk
posts, an entity search, a 6-hop path search between linked entities, a 6-hop path
search between random entities (the worst case: nothing within 6 hops), a neighbourhood
expansion and the findings API. Reports p50/p95/max per page.

Two runs with the same users, one after the other: a stress run where each user asks for
the next page as soon as the last one arrived (no think time), and a realistic run where
each user reads a page for a random 1-3 s (``--think``) before the next. The p95 targets
are judged on the realistic run; the stress run shows the throughput ceiling. The report
also gives the load average of the machine and the CPU seconds the web server and the
graph server used during each run.

Usage: python benchmarks/web_pages.py [--users 20] [--seconds 60] [--think 1-3]
       [--think-seconds 120] [--var-dir /work/main/var]
Writes benchmarks/reports/web_pages.md.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psutil

from riskgraph.access import resolve_scope
from riskgraph.embedded import EmbeddedServer
from riskgraph.graph import open_graph
from riskgraph.services.cadre_file import cadre_file
from riskgraph.services.users import add_user, by_name
from riskgraph.settings import load_settings
from riskgraph.store import Finding, Run, make_engine, session_factory, session_scope
from riskgraph.store.migrate import upgrade
from riskgraph.sweep import run_sweep

USER, PASSWORD = "bench", "bench-password-1"


def prepare(env: dict, as_of: date, pairs_wanted: int = 20) -> dict:
    settings = load_settings(env)
    upgrade(settings.store_url)
    sessions = session_factory(make_engine(settings.store_url))
    graph = open_graph(settings, start=False)
    with session_scope(sessions) as s:
        if not s.query(Run).count():
            print("running the detectors once into the private store …", flush=True)
        if by_name(s, USER) is None:
            add_user(s, USER, PASSWORD, "inspector", "压测用户", ["*"])
    with sessions() as s:
        if not s.query(Run).count():
            run_sweep(graph, sessions, settings, as_of=as_of)
    with sessions() as s:
        findings = [f.id for f in s.query(Finding.id)]
    scope = resolve_scope(graph, ["*"])
    cadres = sorted(scope.cadre_ids)
    rnd = random.Random(7)
    pairs = []
    with sessions() as s:
        for pid in rnd.sample(cadres, min(len(cadres), 400)):
            held = [c for c in cadre_file(graph, s, scope, pid, as_of).companies if c["person_id"] != pid]
            if held:
                pairs.append((f"Person:{pid}", f"Company:{held[0]['company_id']}"))
            if len(pairs) >= pairs_wanted:
                break
    companies = [c for a, c in pairs]
    graph.close()
    return {"findings": findings, "cadres": cadres, "pairs": pairs, "companies": companies,
            "names": ["建设", "王", "局", "科技", "李明"]}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> tuple[int, str]:
        try:
            with self.opener.open(self.base + path, timeout=60) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, ""
        except OSError:          # timed out or refused: counted as an error
            return 0, ""

    def login(self) -> None:
        _, html = self.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
        data = urllib.parse.urlencode({"username": USER, "password": PASSWORD, "csrf_token": token}).encode()
        with self.opener.open(self.base + "/login", data=data, timeout=60) as r:
            assert "/login" not in r.url, "sign-in failed"


def pages(sample: dict, rnd: random.Random) -> dict:
    q = urllib.parse.quote
    a, b = rnd.choice(sample["pairs"])
    ra, rb = f"Person:{rnd.choice(sample['cadres'])}", rnd.choice(sample["companies"])
    return {
        "dashboard": "/",
        "findings queue": f"/findings/?status=open&sort={rnd.choice(['newest', 'severity'])}",
        "finding": f"/findings/{rnd.choice(sample['findings'])}" if sample["findings"] else "/findings/",
        "cadre file": f"/cadres/{rnd.choice(sample['cadres'])}",
        "high-risk posts": "/posts/",
        "entity search": f"/links/?q={q(rnd.choice(sample['names']))}",
        "path 6 hops (linked)": f"/api/paths?a={q(a)}&b={q(b)}&hops=6",
        "path 6 hops (random)": f"/api/paths?a={q(ra)}&b={q(rb)}&hops=6",
        "neighbours": f"/api/entities/{q(a)}/neighbours",
        "findings API": "/api/findings?per_page=50",
    }


@dataclass
class Phase:
    name: str
    think: tuple[float, float]
    seconds: float
    times: dict = field(default_factory=lambda: defaultdict(list))
    errors: dict = field(default_factory=lambda: defaultdict(int))
    load: list = field(default_factory=list)         # 1-minute load averages sampled
    cpu: dict = field(default_factory=dict)           # process -> CPU seconds used


def cpu_seconds(proc: psutil.Process | None, children: bool = False) -> float:
    if proc is None:
        return 0.0
    procs = [proc] + (proc.children(recursive=True) if children else [])
    total = 0.0
    for p in procs:
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.Error:
            pass
    return total


def run_load(clients: list[Client], sample: dict, phase: Phase, web: psutil.Process,
             jvm: psutil.Process | None) -> None:
    lock = threading.Lock()
    stop = time.monotonic() + phase.seconds
    before = {"web": cpu_seconds(web, children=True), "graph": cpu_seconds(jvm)}

    def user(n: int) -> None:
        rnd = random.Random(f"{phase.name}{n}")
        c = clients[n]
        time.sleep(rnd.uniform(*phase.think))       # users do not all start at once
        while time.monotonic() < stop:
            name, path = rnd.choice(list(pages(sample, rnd).items()))
            t = time.perf_counter()
            status, _ = c.get(path)
            dt = time.perf_counter() - t
            with lock:
                if status == 200:
                    phase.times[name].append(dt)
                else:
                    phase.errors[f"{name} {status}"] += 1
            if phase.think[1]:
                time.sleep(rnd.uniform(*phase.think))

    threads = [threading.Thread(target=user, args=(i,)) for i in range(len(clients))]
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):
        phase.load.append(os.getloadavg()[0])
        time.sleep(5)
    for t in threads:
        t.join()
    phase.cpu = {"web": cpu_seconds(web, children=True) - before["web"],
                 "graph": cpu_seconds(jvm) - before["graph"]}


def pct(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100)[int(p) - 1] if len(values) >= 2 else values[0]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60, help="length of the stress run")
    ap.add_argument("--think", default="1-3", help="think time range in seconds (realistic run)")
    ap.add_argument("--think-seconds", type=float, default=120, help="length of the realistic run")
    ap.add_argument("--only", choices=["stress", "realistic"], default=None)
    ap.add_argument("--var-dir", default="/work/main/var")
    ap.add_argument("--as-of", default="2025-12-31")
    ap.add_argument("--threads", type=int, default=16, help="waitress worker threads")
    ap.add_argument("--report", default="web_pages.md", help="file name under benchmarks/reports")
    args = ap.parse_args()
    lo, hi = (float(x) for x in args.think.split("-"))
    phases = [Phase("stress", (0.0, 0.0), args.seconds),
              Phase("realistic", (lo, hi), args.think_seconds)]
    phases = [p for p in phases if args.only in (None, p.name)]
    data = ROOT / "benchmarks" / ".data"
    data.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("RISKGRAPH_")}
    env.update(RISKGRAPH_VAR_DIR=args.var_dir,
               RISKGRAPH_DATABASE_URL=f"sqlite:///{data / 'web_store.sqlite3'}",
               RISKGRAPH_DETECTORS_AS_OF=args.as_of, RISKGRAPH_WEB_THREADS=str(args.threads),
               RISKGRAPH_SECRET_KEY="benchmark-only", PYTHONPATH=str(ROOT))
    sample = prepare(env, date.fromisoformat(args.as_of))
    print(f"{len(sample['cadres'])} cadres, {len(sample['findings'])} findings, "
          f"{len(sample['pairs'])} linked pairs", flush=True)
    info = EmbeddedServer(load_settings(env)).status()
    jvm = psutil.Process(info.pid) if info else None
    port = free_port()
    log = open(data / "web_serve.log", "w")
    server = subprocess.Popen([sys.executable, "-m", "riskgraph", "serve", "--port", str(port)],
                              env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            if Client(base).get("/login")[0] == 200:
                break
            time.sleep(0.5)
        warm = Client(base)
        warm.login()
        for path in pages(sample, random.Random(0)).values():   # first-use caches
            warm.get(path)
        clients = [Client(base) for _ in range(args.users)]    # signed in once (login is rate-limited)
        for c in clients:
            c.login()
        for phase in phases:
            print(f"{phase.name} run: {args.users} users, {phase.seconds:g} s …", flush=True)
            run_load(clients, sample, phase, psutil.Process(server.pid), jvm)
    finally:
        server.terminate()
        server.wait(30)
        log.close()
    write_report(args, sample, phases)


def write_report(args, sample, phases: list[Phase]) -> None:
    lines = [
        "# Web page times under concurrent users",
        "",
        f"`python benchmarks/web_pages.py --users {args.users} --seconds {args.seconds:g} "
        f"--think {args.think} --think-seconds {args.think_seconds:g}` on "
        f"{time.strftime('%Y-%m-%d %H:%M')}: `riskgraph serve` (waitress, {args.threads} threads, "
        f"one process) on loopback, graph `{args.var_dir}` (county data: "
        f"{len(sample['cadres'])} cadres in scope), a private SQLite store with "
        f"{len(sample['findings'])} findings, one user with an unrestricted scope; "
        f"{args.users} virtual users, each requesting pages in random order. Machine: "
        f"{os.cpu_count()} cores shared with other work.",
        "",
    ]
    for phase in phases:
        total = sum(len(v) for v in phase.times.values())
        think = ("no think time (each user asks for the next page as soon as the last arrived)"
                 if not phase.think[1] else
                 f"think time {phase.think[0]:g}-{phase.think[1]:g} s (uniform random) between pages")
        load = phase.load or [0.0]
        lines += [
            f"## {phase.name.capitalize()}: {args.users} users, {think}",
            "",
            f"{phase.seconds:g} s, {total} requests, {total / phase.seconds:.1f} per second. "
            f"Load average (1 min) during the run: {min(load):.1f}-{max(load):.1f} "
            f"(mean {statistics.mean(load):.1f}). CPU used: web server "
            f"{phase.cpu.get('web', 0):.0f} s, graph server {phase.cpu.get('graph', 0):.0f} s "
            f"({(phase.cpu.get('web', 0) + phase.cpu.get('graph', 0)) / phase.seconds:.2f} cores).",
            "",
            "| page | requests | p50 ms | p95 ms | max ms |",
            "|---|---:|---:|---:|---:|",
        ]
        for name in sorted(phase.times):
            v = phase.times[name]
            lines.append(f"| {name} | {len(v)} | {pct(v, 50) * 1000:.0f} | {pct(v, 95) * 1000:.0f} | "
                         f"{max(v) * 1000:.0f} |")
        if phase.errors:
            lines += ["", "Non-200 answers: " + ", ".join(f"{k}: {n}" for k, n in sorted(phase.errors.items()))]
        lines.append("")
    out = ROOT / "benchmarks" / "reports" / args.report
    out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
