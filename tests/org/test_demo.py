import random

from django.core.management import call_command

from xeploai.accounts.models import User
from xeploai.org.demo import build_people, build_tree, cells_of, load_demo
from xeploai.org.models import Discipline, Member, Membership, MemberStatus, Position, StatusKind


def _generate(seed):
    rng = random.Random(seed)
    specs = build_tree(rng, 3000)
    people = build_people(rng, cells_of(specs), 3000)
    return [(s.code, s.name) for s in specs], [
        (p.full_name, p.card_number, p.cell.code) for p in people
    ]


def test_it_generates_the_same_province_for_the_same_seed():
    assert _generate(7) == _generate(7)
    assert _generate(7) != _generate(8)


def test_it_loads_a_province_with_a_realistic_mix(db):
    root = load_demo(members=3000, seed=1)
    members = Member.objects.filter(cell__path__startswith=root.path)
    total = members.count()
    assert total == 3000
    probationary = members.filter(official_on__isnull=True).count()
    assert 0.01 * total < probationary < 0.08 * total
    assert MemberStatus.objects.filter(kind=StatusKind.EXEMPT).exists()
    assert Membership.objects.filter(valid_to__isnull=False).count() > 0.02 * total  # transfers
    assert Discipline.objects.exists()
    assert Position.objects.filter(is_leadership=True).count() > 100


def test_it_sets_up_the_demo_with_a_login_per_role(db, capsys):
    call_command("demo", "--members", "1500", "--no-serve")
    out = capsys.readouterr().out
    for username in ("admin", "canbo", "capuy", "bithu", "dangvien"):
        assert username in out
        assert User.objects.get(username=username).check_password("xeploai-demo")
    assert User.objects.get(username="dangvien").member is not None
