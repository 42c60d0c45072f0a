"""Finding, layering and caching regulation data files (see builder.py for validation)."""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from .builder import _Builder
from .model import Regulation
from .reading import RegulationDataError
from .tomlmerge import merge

__all__ = [
    "RegulationDataError",
    "_Builder",
    "available_codes",
    "load_regulation",
    "regulation_for_period",
]

DATA_DIR = Path(__file__).parent / "data"
OVERLAY_DIR = DATA_DIR / "overlays"


def available_codes() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in DATA_DIR.glob("*.toml")))


def _read(path: Path, seen: tuple[str, ...] = ()) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            raw = tomllib.load(fh)
    except FileNotFoundError:
        raise RegulationDataError(
            f"no regulation data file {path.name}; known: {', '.join(available_codes())}"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise RegulationDataError(f"{path.name}: not valid TOML: {exc}") from exc
    parent = raw.pop("extends", None)
    if parent is None:
        return raw
    if parent in seen:
        raise RegulationDataError(f"{path.name}: 'extends' loops through {parent}")
    return merge(_read(DATA_DIR / f"{parent}.toml", seen + (path.stem,)), raw)


def load_regulation(
    code: str, settings: Mapping[str, Any] | None = None, overlay: str | Path | None = None
) -> Regulation:
    """The regulation ``code`` (e.g. "G366", "G132-21"), optionally with some settings changed
    and a committee's overlay (sub-weights of the score sheets) applied. Cached."""
    items = tuple(sorted((settings or {}).items()))
    return _load_cached(code, items, str(overlay) if overlay is not None else None)


@functools.lru_cache(maxsize=128)
def _load_cached(
    code: str, settings: tuple[tuple[str, Any], ...], overlay: str | None
) -> Regulation:
    raw = _read(DATA_DIR / f"{code}.toml")
    if overlay is not None:
        path = Path(overlay)
        if not path.is_absolute() and not path.exists():
            path = OVERLAY_DIR / path
        layer = _read(path)
        target = layer.pop("overlay_for", None)
        if target != code:
            raise RegulationDataError(f"{path.name}: overlay_for is {target!r}, not {code!r}")
        layer.pop("issuer", None)
        raw = merge(raw, layer)
    return _Builder(f"{code}.toml", raw, dict(settings)).build()


def all_regulations() -> tuple[Regulation, ...]:
    return tuple(load_regulation(code) for code in available_codes())


def regulation_for_period(day: date) -> Regulation:
    """The generation in force on ``day``; pass the end of the period being rated."""
    found = [r for r in all_regulations() if r.in_force_on(day)]
    if len(found) != 1:
        names = ", ".join(r.code for r in found) or "none"
        raise LookupError(f"{len(found)} regulations in force on {day.isoformat()} ({names})")
    return found[0]
