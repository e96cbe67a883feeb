"""Page times of the review UI under concurrent users, on a loaded graph.

Starts `riskgraph serve` (waitress) as its own process on loopback against an existing
graph (default: the county graph under /work/main/var, only read) and a private store,
signs in N virtual users and has each request pages in random order for a while:
dashboard, findings queue (filtered and paged), a finding, a cadre file, high-risk
posts, an entity search, a 6-hop path search between linked entities, a 6-hop path
search between random entities (the worst case: nothing within 6 hops), a neighbourhood
expansion and the findings API. Reports p50/p95/max per page.

Usage: python benchmarks/web_pages.py [--users 20] [--seconds 60] [--var-dir /work/main/var]
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
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from riskgraph.access import resolve_scope
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


def run_load(base: str, sample: dict, users: int, seconds: float) -> dict[str, list[float]]:
    times: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def user(n: int) -> None:
        rnd = random.Random(n)
        c = Client(base)
        c.login()
        while time.monotonic() < stop:
            name, path = rnd.choice(list(pages(sample, rnd).items()))
            t = time.perf_counter()
            status, _ = c.get(path)
            dt = time.perf_counter() - t
            with lock:
                if status == 200:
                    times[name].append(dt)
                else:
                    errors[f"{name} {status}"] += 1

    threads = [threading.Thread(target=user, args=(i,)) for i in range(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return times, errors


def pct(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100)[int(p) - 1] if len(values) >= 2 else values[0]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--var-dir", default="/work/main/var")
    ap.add_argument("--as-of", default="2025-12-31")
    ap.add_argument("--threads", type=int, default=16, help="waitress worker threads")
    ap.add_argument("--report", default="web_pages.md", help="file name under benchmarks/reports")
    args = ap.parse_args()
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
        times, errors = run_load(base, sample, args.users, args.seconds)
    finally:
        server.terminate()
        server.wait(30)
        log.close()
    write_report(args, sample, times, errors)


def write_report(args, sample, times, errors) -> None:
    total = sum(len(v) for v in times.values())
    lines = [
        "# Web page times under concurrent users",
        "",
        f"`python benchmarks/web_pages.py --users {args.users} --seconds {args.seconds:g}` on "
        f"{time.strftime('%Y-%m-%d')}: `riskgraph serve` (waitress, {args.threads} threads) on "
        f"loopback, graph `{args.var_dir}` (county data: {len(sample['cadres'])} cadres in scope), "
        f"a private SQLite store with {len(sample['findings'])} findings, one user with "
        f"an unrestricted scope; {args.users} virtual users, each requesting pages in random "
        f"order back to back (no think time) for {args.seconds:g} s. Machine: "
        f"{os.cpu_count()} cores shared with other work.",
        "",
        f"{total} requests, {total / args.seconds:.1f} per second.",
        "",
        "| page | requests | p50 ms | p95 ms | max ms |",
        "|---|---:|---:|---:|---:|",
    ]
    for name in sorted(times):
        v = times[name]
        lines.append(f"| {name} | {len(v)} | {pct(v, 50) * 1000:.0f} | {pct(v, 95) * 1000:.0f} | "
                     f"{max(v) * 1000:.0f} |")
    if errors:
        lines += ["", "Non-200 answers: " + ", ".join(f"{k}: {n}" for k, n in sorted(errors.items()))]
    out = ROOT / "benchmarks" / "reports" / args.report
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
