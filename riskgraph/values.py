"""Values as they come off the graph driver, turned into plain Python ones."""

from __future__ import annotations

from typing import Any


def native(value: Any) -> Any:
    """A neo4j.time value (Date, DateTime, ...) as its Python counterpart; other values
    unchanged.

    >>> from datetime import date
    >>> from neo4j.time import Date
    >>> native(Date(2024, 1, 31)), native(date(2024, 1, 31)), native(None)
    (datetime.date(2024, 1, 31), datetime.date(2024, 1, 31), None)
    """
    return value.to_native() if hasattr(value, "to_native") else value
