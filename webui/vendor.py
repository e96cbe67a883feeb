"""Browser libraries installed from npm (webui/package.json, `npm ci` in scripts/setup),
served from node_modules: nothing third-party is copied into the repository and no CDN
is used. Only the files listed here are served."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, send_from_directory

bp = Blueprint("vendor", __name__, url_prefix="/vendor")
NODE_MODULES = Path(__file__).parent / "node_modules"
FILES = {"cytoscape.min.js": "cytoscape/dist",
         # the fcose layout and the two libraries it is built on (UMD builds; load in this order)
         "layout-base.js": "layout-base", "cose-base.js": "cose-base",
         "cytoscape-fcose.js": "cytoscape-fcose"}


@bp.route("/<name>")
def asset(name: str):
    folder = FILES.get(name)
    if folder is None or not (NODE_MODULES / folder / name).exists():
        abort(404)
    return send_from_directory(NODE_MODULES / folder, name, max_age=86400)
