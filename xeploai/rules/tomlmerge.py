"""Layering of regulation data: a variant ``extends`` its parent, an overlay refines a generation.

Tables merge key by key. Arrays of tables whose entries carry an identity key (``code``,
else ``reason``) merge entry by entry, so a variant restates only what changes; any
other array is replaced whole. ``remove = ["code", ...]`` inside a layer drops entries.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_IDENTITY_KEYS = ("code", "reason")


def _identity(items: list[Any]) -> str | None:
    if not items or not all(isinstance(i, dict) for i in items):
        return None
    for key in _IDENTITY_KEYS:
        if all(key in i for i in items):
            return key
    return None


def merge(base: Mapping[str, Any], layer: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = dict(base)
    removed = set(layer.get("remove", ()))
    for key, value in layer.items():
        if key == "remove":
            continue
        old = out.get(key)
        if isinstance(old, dict) and isinstance(value, dict):
            out[key] = merge(old, value)
        elif isinstance(old, list) and isinstance(value, list):
            out[key] = _merge_list(old, value, removed)
        else:
            out[key] = value
    for key, value in list(out.items()):
        if isinstance(value, list) and removed:
            ident = _identity(value)
            if ident is not None:
                out[key] = [v for v in value if v[ident] not in removed]
    return out


def _merge_list(old: list[Any], new: list[Any], removed: set[str]) -> list[Any]:
    ident = _identity(old + new)
    if ident is None:
        return list(new)
    merged: dict[str, Any] = {item[ident]: item for item in old}
    for item in new:
        key = item[ident]
        merged[key] = merge(merged[key], item) if key in merged else item
    return [v for k, v in merged.items() if k not in removed]
