"""The review web UI (Flask): findings, cadre files, link investigation, audit.

`create_app(settings)` builds the application: one blueprint per area, templates per
blueprint on a shared ``base.html``. Views only parse input, call a
``riskgraph.services`` function and render; the authorisation helper
(`webui.security.require`) and scope checks (`obj_or_404`) guard every route.
"""

from __future__ import annotations

import atexit
import logging
import secrets
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from flask import Flask

log = logging.getLogger(__name__)


def create_app(settings=None, test_config: Mapping[str, Any] | None = None, graph=None) -> Flask:
    """The application for ``settings`` (default: `riskgraph.settings.load_settings`).

    ``graph``: an open `riskgraph.graph.GraphClient` to use (tests); otherwise the app
    opens the one driver of the process and closes it at exit.
    """
    from riskgraph.access import ScopeCache
    from riskgraph.services.graph_cache import import_stamp
    from riskgraph.services.links import Links
    from riskgraph.settings import load_settings
    from riskgraph.store import make_engine, session_factory

    settings = settings or load_settings()
    app = Flask(__name__)
    web = settings.values["web"]
    secret = settings.secret_key
    if not secret:
        log.warning("RISKGRAPH_SECRET_KEY is not set: using a random session key")
        secret = secrets.token_hex(32)
    app.config.update(
        SECRET_KEY=secret,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=bool(web["session_cookie_secure"]),
        SESSION_COOKIE_NAME="riskgraph_session",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=int(web["session_hours"])),
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
        RISKGRAPH=web,
        JSON_AS_ASCII=False,
    )
    if test_config:
        app.config.update(test_config)
    app.json.ensure_ascii = False

    if graph is None:
        from riskgraph.graph import open_graph

        graph = open_graph(settings)
        atexit.register(graph.close)
    engine = make_engine(settings.store_url)
    sessions = session_factory(engine)
    app.extensions["riskgraph"] = {
        "settings": settings, "graph": graph, "sessions": sessions,
        "engine": engine, "scopes": ScopeCache(graph, float(web["scope_cache_seconds"])),
        "links": Links(graph, lambda: import_stamp(sessions), float(web["link_cache_seconds"]),
                       int(web["link_scope_hops"])),
        "timezone": settings.timezone,
    }

    from webui import security, views_util
    from webui.accounts import bp as accounts_bp
    from webui.api import bp as api_bp
    from webui.audit import bp as audit_bp
    from webui.auth import bp as auth_bp
    from webui.cadres import bp as cadres_bp
    from webui.dashboard import bp as dashboard_bp
    from webui.findings import bp as findings_bp
    from webui.integrity import bp as integrity_bp
    from webui.links import bp as links_bp
    from webui.meetings import bp as meetings_bp
    from webui.posts import bp as posts_bp
    from webui.runs import bp as runs_bp
    from webui.vendor import bp as vendor_bp

    security.init_app(app)
    views_util.init_app(app)
    for bp in (auth_bp, dashboard_bp, findings_bp, cadres_bp, links_bp, posts_bp, audit_bp,
               api_bp, vendor_bp, integrity_bp, meetings_bp, accounts_bp, runs_bp):
        app.register_blueprint(bp)
    return app
