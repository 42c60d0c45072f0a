"""Materialized-path helpers. A path lists the ids from the root: "/1/24/305/".

A subtree is the range [path, path with its last "/" replaced by "0"): every descendant's path
starts with the ancestor's, and "/" sorts just below "0", so one B-tree range scan finds them on
SQLite and PostgreSQL alike, whatever the collation (paths hold only digits and "/").
"""

from django.db.models import Q


def child_path(parent_path: str | None, unit_id: int) -> str:
    return f"{parent_path or '/'}{unit_id}/"


def path_upper_bound(path: str) -> str:
    return path[:-1] + "0"


def subtree_q(path: str, field: str = "path") -> Q:
    """Q for the unit at `path` and all its descendants."""
    return Q(**{f"{field}__gte": path, f"{field}__lt": path_upper_bound(path)})


def is_within(path: str, ancestor_path: str) -> bool:
    return path.startswith(ancestor_path)


def ancestor_ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]
