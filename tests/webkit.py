"""Fixtures for the web tests: generated tiny data in the session's embedded graph, a
store with findings from a real sweep, users of every role, and signed-in clients.

The graph is (re)loaded per test module, because other modules' ``graph`` fixture wipes
it between tests.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from riskgraph.store.vocab import Role

PASSWORD = "correct-horse-9"
SCREENSHOTS = Path(__file__).parent / ".screenshots"


@dataclass
class WebEnv:
    app: object
    graph: object
    sessions: object
    as_of: date
    finding_ids: list[int]
    in_scope_finding: int          # visible to the "narrow" user
    out_scope_finding: int         # not visible to the "narrow" user
    in_scope_cadre: str
    out_scope_cadre: str
    company_key: str
    link_cadre: str                # a cadre with a path to link_company
    link_company: str
    users: dict[str, int] = field(default_factory=dict)
    investigations: dict[str, int] = field(default_factory=dict)   # one per user

    def role_of(self, username: str) -> str:
        from riskgraph.store import User

        with self.sessions() as s:
            return s.get(User, self.users[username]).role

    def client(self, username: str | None = None):
        c = self.app.test_client()
        if username:
            login(c, username)
        return c


def csrf_from(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, "no CSRF token in the page"
    return m.group(1)


def login(client, username: str, password: str = PASSWORD):
    token = csrf_from(client.get("/login").get_data(as_text=True))
    r = client.post("/login", data={"username": username, "password": password, "csrf_token": token})
    assert r.status_code == 302, r.get_data(as_text=True)[:500]
    return r


def token(client) -> str:
    with client.session_transaction() as s:
        return s["csrf"]


def import_data(graph, sessions, tmp_dir: Path) -> Path:
    """Generate tiny data (once) and import it into the wiped graph."""
    from riskgraph.generate import generate
    from riskgraph.graph_schema import wipe_graph
    from riskgraph.ingest.ledger import StoreLedger
    from riskgraph.ingest.runner import Importer

    data = tmp_dir / "data"
    if not (data / "manifest.json").exists():
        generate(data, "tiny", seed=1)
    wipe_graph(graph)
    Importer(graph, StoreLedger(sessions), graph.schema, tmp_dir / "reports",
             show_progress=False, force=True).import_paths([data])
    return data


def load_data(settings, graph, tmp_dir: Path) -> tuple[object, str, date]:
    """Import tiny data into the graph and sweep it into a new store."""
    from riskgraph.cli_run import manifest_as_of
    from riskgraph.store import make_engine, session_factory
    from riskgraph.store.migrate import upgrade
    from riskgraph.sweep import run_sweep

    url = f"sqlite:///{tmp_dir / 'store.sqlite3'}"
    upgrade(url)
    sessions = session_factory(make_engine(url))
    data = import_data(graph, sessions, tmp_dir)
    as_of = manifest_as_of(data)
    run_sweep(graph, sessions, settings, as_of=as_of)
    return sessions, url, as_of


def build_env(settings, graph, tmp_dir: Path) -> WebEnv:
    from riskgraph.access import resolve_scope
    from riskgraph.services.users import add_user
    from riskgraph.store import (
        Finding,
        LevelUpdate,
        PostRanking,
        PostScore,
        WarningLevel,
        session_scope,
    )
    from webui import create_app

    sessions, url, as_of = load_data(settings, graph, tmp_dir)
    with session_scope(sessions) as s:
        findings = s.query(Finding).order_by(Finding.id).all()
        assert findings, "the sweep should find planted cases"
        first = findings[0]
        narrow_root = first.org_ids[0]
        scope = resolve_scope(graph, [narrow_root])
        findings.append(_other_finding(s, graph, scope, first))
        out = next(f for f in findings if not (set(f.org_ids) & scope.org_ids)
                   and not (set(f.subject_ids) & scope.cadre_ids))
        users = {}
        for name, role, orgs in (("insp", Role.INSPECTOR, ["*"]), ("narrow", Role.INSPECTOR, [narrow_root]),
                                 ("officer", Role.ORG_OFFICER, ["*"]),
                                 ("secretary", Role.MEETING_SECRETARY, ["*"]),
                                 ("admin", Role.ADMIN, ["*"]), ("auditor", Role.AUDITOR, []),
                                 ("insp2", Role.INSPECTOR, ["*"])):
            users[name] = add_user(s, name, PASSWORD, role, f"{name}用户", orgs).id
        # Warning levels and post scores come from other services; a few rows here let
        # the dashboard show non-zero numbers.
        now = datetime.now(UTC)
        s.add(WarningLevel(person_id=out.subject_ids[0], sweep_id="S0", level="yellow",
                           computed_at=now - timedelta(days=30)))
        s.add(LevelUpdate(sweep_id="S0", computed_at=now - timedelta(days=30), watched=1,
                          written=1))
        reds = {pid: f.id for f in findings for pid in f.subject_ids}
        for pid, fid in reds.items():
            s.add(WarningLevel(person_id=pid, sweep_id="S1", level="red", computed_at=now,
                               reasons=[{"finding_id": fid}], current=True,
                               previous="yellow" if pid == out.subject_ids[0] else "green"))
        s.add(LevelUpdate(sweep_id="S1", computed_at=now, watched=len(reds), written=len(reds)))
        stored = PostRanking(sweep_id="S1", as_of=as_of, posts=1, written=1)
        s.add(stored)
        s.flush()
        s.add(PostScore(ranking_id=stored.id, post_id="P-demo", post_name="局长",
                        org_id=first.org_ids[0], org_name="测试单位",
                        holder_id=first.subject_ids[0], holder_name="测试", score=87.5, level="high",
                        factors=[{"factor": "tenure", "label": "任职年限", "value": 6.2, "points": 30.0}],
                        tenure={"started": "2019-03-01", "years": 6.8, "limit_years": 5, "overdue": True}))
        from riskgraph.store import Investigation

        invs = {name: Investigation(title=f"{name}的研判", owner_id=uid, graph={"nodes": [], "edges": []})
                for name, uid in users.items()}
        s.add_all(invs.values())
        s.flush()
        investigations = {name: inv.id for name, inv in invs.items()}
        env_ids = [f.id for f in findings]
        in_cadre = sorted(scope.cadre_ids)[0]
        out_cadre = next(c for c in out.subject_ids if c not in scope.cadre_ids)
    from riskgraph.services.entity_index import EntityIndex

    company = next(e.id for e in EntityIndex(graph).by_name("建设") if "Company" in e.labels)
    from conftest import make_settings

    app_settings = make_settings(Path(settings.var_dir), RISKGRAPH_DATABASE_URL=url,
                                 RISKGRAPH_DETECTORS_AS_OF=as_of.isoformat())
    app = create_app(app_settings, {"TESTING": True}, graph=graph)
    # Every test signs in from 127.0.0.1: lift the per-address limit (tested on its own).
    from webui.ratelimit import Limiter

    app.extensions["riskgraph"]["login_limiter"] = Limiter(10_000, 60)
    link_cadre, link_company = _linked_pair(graph, sessions, as_of)
    return WebEnv(app, graph, sessions, as_of, env_ids, first.id, out.id, in_cadre, out_cadre,
                  f"Company:{company}", link_cadre, link_company, users, investigations)


def _linked_pair(graph, sessions, as_of):
    """A cadre and a company a relative of theirs holds (so a path exists)."""
    from riskgraph.access import resolve_scope
    from riskgraph.services.cadre_file import cadre_file

    everyone = resolve_scope(graph, ["*"])
    with sessions() as s:
        for pid in sorted(everyone.cadre_ids):
            f = cadre_file(graph, s, everyone, pid, as_of)
            held = [c for c in f.companies if c["person_id"] != pid]
            if held:
                return pid, f"Company:{held[0]['company_id']}"
    raise AssertionError("no cadre with a relative's company in the data")


def _other_finding(s, graph, scope, like):
    """A finding (as another detector would record it) about a cadre outside ``scope``."""
    from riskgraph.access import resolve_scope
    from riskgraph.store import Finding, FindingEvent

    everyone = resolve_scope(graph, ["*"])
    other = sorted(everyone.cadre_ids - scope.cadre_ids)[0]
    org = next(o for o in sorted(everyone.org_ids - scope.org_ids)
               if other in resolve_scope(graph, [o]).cadre_ids)
    f = Finding(key=f"relative_business:1:{other}", detector="relative_business", rule_version="1",
                severity="medium", title="亲属经商：测试线索", explanation="配偶经营企业与本人分管领域存在业务往来。",
                citation="《中国共产党纪律处分条例》第一百零七条", entities=[{"label": "Person", "id": other, "name": other}],
                evidence={"nodes": [{"id": other, "label": "Person", "name": other}], "edges": [], "notes": []},
                first_seen_run_id=like.first_seen_run_id, last_seen_run_id=like.last_seen_run_id)
    f.subject_ids = [other]
    f.org_ids = [org]
    f.events.append(FindingEvent(action="detected"))
    s.add(f)
    s.flush()
    return f


def audit_rows(env: WebEnv, **where) -> list:
    from riskgraph.store import AuditEntry

    with env.sessions() as s:
        q = s.query(AuditEntry)
        for k, v in where.items():
            q = q.filter(getattr(AuditEntry, k) == v)
        return q.all()


def page_graph(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', html, re.S)
    return json.loads(m.group(1)) if m else {}


_ENV: dict = {}


def _cadres(graph) -> int:
    return graph.read("graph/count_label", Label="Cadre")[0]["count"]


def _loaded(graph, env: WebEnv) -> bool:
    """Whether the graph still holds the web data (other modules' tests wipe it and
    leave small graphs of their own, which may have cadres too)."""
    return (_cadres(graph) == _ENV["cadres"]
            and bool(graph.read("ui/search_id", {"q": env.in_scope_cadre}, Label="Person")))


@pytest.fixture(scope="module")
def web(settings, session_graph, tmp_path_factory):
    """The web environment, built once per session; the graph is re-imported when
    another module's ``graph`` fixture wiped or replaced it meanwhile."""
    if "env" not in _ENV:
        _ENV["dir"] = tmp_path_factory.mktemp("web")
        _ENV["env"] = build_env(settings, session_graph, _ENV["dir"])
        _ENV["cadres"] = _cadres(session_graph)
    env = _ENV["env"]
    if not _loaded(session_graph, env):
        import_data(session_graph, env.sessions, _ENV["dir"])
        _ENV["cadres"] = _cadres(session_graph)
    env.app.extensions["riskgraph"]["scopes"].clear()
    env.app.extensions["riskgraph"]["links"].clear()
    return env
