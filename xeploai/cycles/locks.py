"""Row locks that make a check-then-write safe when two requests run at once.

A cap is counted over the subjects of a deciding unit (every pool the rule core names is
within one deciding unit, see `pools.pools_of`). Whoever decides or re-rates first locks the
deciding units of the subjects concerned, in a fixed order (the cycle's row for subjects the
cycle's own top decides, then units by id), so a second batch in the same pool waits and then
counts the first one's decisions. See docs/adr/0005-checks-under-concurrency.md.
"""

from django.db.models import Q

from xeploai.cycles.models import Cycle, Subject
from xeploai.org.bulk import id_in
from xeploai.org.models import Unit


def deciding_units_lock(cycle: Cycle, subject_ids: list[int]) -> None:
    """Lock the deciding units of `subject_ids` until the transaction ends. On SQLite every
    write transaction is already exclusive (settings: transaction_mode IMMEDIATE)."""
    deciding = set(
        Subject.objects.filter(Q(cycle=cycle), pk__in=id_in(subject_ids)).values_list(
            "deciding_unit_id", flat=True
        )
    )
    if None in deciding:
        list(Cycle.objects.select_for_update().filter(pk=cycle.pk).values_list("pk"))
    units = sorted(pk for pk in deciding if pk is not None)
    if units:
        list(
            Unit.objects.select_for_update()
            .filter(pk__in=id_in(units))
            .order_by("pk")
            .values_list("pk")
        )
