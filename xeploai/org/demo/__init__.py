"""A realistic synthetic province: the tree, the roster and its history, deterministic per seed.

The shape follows the 2025 structure: a provincial committee; commune and ward committees with
residential cells and a few grassroots cells (schools, clinics); bloc committees of provincial
agencies with grassroots committees, one with a partial committee; the army and the police.
Everything is drawn from one `random.Random(seed)` against a fixed reference date, so the same
flags always give the same province.
"""

import datetime
import random

from django.db import transaction

from xeploai.org.demo.people import (
    REFERENCE_DATE,
    PersonSpec,
    build_people,
    create_people,
    create_positions,
)
from xeploai.org.demo.units import UnitSpec, build_tree, cells_of, create_units
from xeploai.org.models import Unit

__all__ = [
    "REFERENCE_DATE",
    "PersonSpec",
    "UnitSpec",
    "build_people",
    "build_tree",
    "cells_of",
    "create_people",
    "create_positions",
    "create_units",
    "load_demo",
]


@transaction.atomic
def load_demo(
    *,
    members: int = 10000,
    seed: int = 2026,
    code_prefix: str = "BS",
    today: datetime.date = REFERENCE_DATE,
    progress=None,
    commune_size: int = 700,
) -> Unit:
    """Write a whole demo province straight to the database and return its root."""
    rng = random.Random(seed)
    specs = build_tree(rng, members, code_prefix, commune_size)
    create_units(specs, datetime.date(2025, 7, 1))
    people = build_people(rng, cells_of(specs), members, today)
    create_people(people, today, progress)
    create_positions(specs, rng, datetime.date(2025, 10, 1))
    return Unit.objects.get(pk=specs[0].id)
