"""docs/api.md's worked season, run literally: each ```sh block as a command, each ```http
block as a request, checked against the `→ status` line after it, keeping what it says."""

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from tests.cycles.helpers import ward
from xeploai.cycles.models import Subject

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"
BLOCK = re.compile(r"```(sh|http)\n(.*?)```\n(→ [^\n]*)?", re.S)
NAME = re.compile(r"\{([A-Za-z_][\w:]*)\}")


def fill(text: str, known: dict) -> str:
    return NAME.sub(lambda m: str(known[m[1]]) if m[1] in known else m[0], text)


def pick(data, path: str):
    for part in path.split("."):
        data = data[int(part)] if isinstance(data, list) else data[part]
    return data


@pytest.mark.django_db
def test_it_runs_the_documented_season():
    w = ward()
    known = {"W": w["W"].pk, "C1": w["C1"].pk}
    for name in ("m2", "carol", "wendy"):
        out = io.StringIO()
        call_command("token", "create", user=name, name="doc", stdout=out)
        known[f"token:{name}"] = out.getvalue().split()[-1]
    client = Client()
    blocks = BLOCK.findall(DOC.read_text())
    assert len(blocks) >= 9
    for kind, body, expect in blocks:
        if kind == "sh":
            args = [a.strip('"') for a in re.findall(r'"[^"]*"|\S+', body.strip())][1:]
            out = io.StringIO()
            call_command(*args[:2], user=args[3], name=args[5], stdout=out)
            known[f"token:{args[3]}"] = out.getvalue().split()[-1]
            continue
        head, _, payload = fill(body, known).partition("\n\n")
        request_line, *headers = head.strip().splitlines()
        method, path = request_line.split()
        extra = {
            "HTTP_" + k.upper().replace("-", "_"): v.strip()
            for k, v in (h.split(":", 1) for h in headers)
        }
        response = client.generic(
            method, path, payload.strip().encode(), content_type="application/json", **extra
        )
        status, *keeps = (part.strip() for part in expect[2:].split("·"))
        assert response.status_code == int(status), (request_line, response.content.decode())
        data = response.json()
        for keep in keeps:
            name, field = (s.strip() for s in keep.removeprefix("keep ").split("="))
            known[name] = pick(data, field)
    subject = Subject.objects.get(pk=known["subject"])
    assert subject.decided_level == "good"
    assert known["ready"] is True
    assert data[0]["members"] == [{"level": {"code": "good", "label": "Good (HTT)"}, "count": 1}]
