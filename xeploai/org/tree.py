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


def child_under(path: str, unit_path: str, unit_id: int) -> int:
    """The id of the child of the unit at `unit_path` whose subtree holds `path`, or the unit's
    own id for the unit itself: "/1/24/305/400/" under "/1/24/" is 305."""
    segment = path.split("/")[unit_path.count("/")]
    return int(segment) if segment else unit_id
