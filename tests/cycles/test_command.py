import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.cycles.helpers import appraise, self_rate, ward
from xeploai.cycles.models import Cycle, Subject


def test_it_runs_a_cycle_from_the_command_line(db, capsys):
    t = ward()
    call_command(
        "cycle",
        "open",
        "--unit",
        "P",
        "--name",
        "Năm 2026",
        "--start",
        "01/01/2026",
        "--end",
        "31/12/2026",
        "--deadline",
        "self_submitted:subordinate_cell:30/11/2026",
    )
    out = capsys.readouterr().out
    cycle = Cycle.objects.get()
    assert f"cycle {cycle.pk} Năm 2026 (G366): 17 subjects, 2 not reviewed" in out
    call_command("cycle", "status", str(cycle.pk), "--unit", "W")
    assert "Chi bộ Tổ 2" in capsys.readouterr().out
    s = Subject.objects.get(cycle=cycle, member=t["c2"][0])
    self_rate(t["sam"], s, "good", "25", "58")
    appraise(t["sam"], s, "good")
    call_command(
        "cycle",
        "decide",
        str(cycle.pk),
        "--unit",
        "W",
        "--paper",
        "12-QĐ/ĐU,20/12/2026,Nguyễn Văn A",
    )
    assert "decided 1, blocked 0" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("cycle", "close", str(cycle.pk))  # must be locked first
    call_command("cycle", "lock", str(cycle.pk))
    with pytest.raises(CommandError):
        call_command("cycle", "close", str(cycle.pk))  # 16 subjects not decided yet
