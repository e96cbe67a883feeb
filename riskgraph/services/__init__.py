"""Application services: what the web UI, the API and the CLI call.

Each module is one area (users, audit, findings, review, dashboard, cadre files, link
investigation, posts). Services take a store session and/or the graph client and an
``access.Scope``; they hold every query, so views only parse input and render.
"""
