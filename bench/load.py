"""The season's peak: members submitting, secretaries recording meetings, committees deciding,
all at once, through gunicorn on PostgreSQL on loopback.

    python bench/load.py [--members 3000] [--workers 5] [--clients 24] [--submissions 1500]
                         [--seconds 120]

A generated province is loaded into a fresh PostgreSQL database (`xeploai_bench_load`), a G366
cycle is opened, and every member of it gets an account and a session. The app then runs under
gunicorn with several workers, and client threads (one process, HTTP/1.1 over loopback) play:

- members: open their own page, one in four saves a draft first, then submits (points on every
  item of the annex, a proposed level), exactly as the form posts them;
- cell secretaries: for each submitted member of their cell, open the page and record the
  meeting (present, votes per level, proposed level);
- committees: every few seconds, open the board of a grassroots unit and decide what is ready.

The run stops after `--submissions` submissions or `--seconds`, whichever comes first. Then it
checks that every submission the app accepted is in the database exactly once (one submitted
self-assessment, one `assessment.submit` event) and nothing it did not accept is, and runs
`xeploai audit verify`.

The floor: the same submissions, by the same number of client threads, each one transaction of
the plainest SQL that records the same facts (the subject's step and version, the
self-assessment row, the chain head moved, one audit row), on a copy of the database taken
before the run; it is checked to have recorded the same number of submissions.

Prints `BENCH load_submit_per_s`, `load_submit_p95_ms`, `load_lost`, `load_duplicated`,
`load_appraise_per_s`, `load_decided`, `load_audit_breaks`, and `load_submit_floor_per_s` with
`load_submit_to_floor_ratio` (the floor's rate over the app's: how many times slower the app is
than bare SQL). Targets: ≥ 200 submissions/s, p95 ≤ 200 ms, 0 lost, 0 duplicated.
"""

import argparse
import http.client
import itertools
import json
import os
import queue
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

import psycopg

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SERVER = "postgres://postgres@127.0.0.1:5432/"
DB = "xeploai_bench_load"
FLOOR_DB = DB + "_floor"
CSRF = "loadbenchloadbenchloadbenchload1"  # 32 characters: an unmasked CSRF secret

SETUP = r"""
import datetime, json, sys
import django
django.setup()
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.test import Client
from xeploai.accounts.models import Role, RoleGrant, User
from xeploai.cycles.models import Step, Subject
from xeploai.cycles.services.enrolment import cycle_open
from xeploai.org.demo import load_demo
from xeploai.org.models import Member, Unit, UnitKind

call_command("migrate", verbosity=0)
root = load_demo(members=int(sys.argv[1]), seed=11, code_prefix="LD")
cycle = cycle_open(actor=None, unit=root, name="Năm 2026", period_kind="year",
                   period_start=datetime.date(2026, 1, 1), period_end=datetime.date(2026, 12, 31))
subjects = list(Subject.objects.filter(cycle=cycle, position=None, member__isnull=False)
                .exclude(step=Step.EXCLUDED).values_list("id", "member_id", "unit_id"))
password = make_password("load-bench-password")
since = datetime.date(2020, 1, 1)
User.objects.bulk_create([User(username=f"m{member}", member_id=member, password=password)
                          for _, member, _ in subjects])
users = dict(User.objects.filter(member__isnull=False).values_list("member_id", "id"))
cells = sorted({unit for _, _, unit in subjects})
secretaries = User.objects.bulk_create(
    [User(username=f"s{cell}", password=password) for cell in cells])
RoleGrant.objects.bulk_create([RoleGrant(user=u, role=Role.CELL_SECRETARY, unit_id=cell,
                                         valid_from=since) for u, cell in zip(secretaries, cells)])
deciding = sorted(set(Subject.objects.filter(cycle=cycle, id__in=[s for s, _, _ in subjects])
                      .exclude(deciding_unit=None).values_list("deciding_unit_id", flat=True)))
committees = User.objects.bulk_create(
    [User(username=f"c{unit}", password=password) for unit in deciding])
RoleGrant.objects.bulk_create([RoleGrant(user=u, role=Role.COMMITTEE, unit_id=unit,
                                         valid_from=since)
                               for u, unit in zip(committees, deciding)])

def session(user_id):
    client = Client()
    client.force_login(User.objects.get(pk=user_id))
    return client.cookies["sessionid"].value

out = {
    "cycle": cycle.pk,
    "members": [[s, unit, session(users[m])] for s, m, unit in subjects],
    "secretaries": {str(cell): session(u.pk) for u, cell in zip(secretaries, cells)},
    "committees": [[unit, session(u.pk)] for u, unit in zip(committees, deciding)],
}
json.dump(out, open(sys.argv[2], "w"))
"""

INPUT = re.compile(r"<(input|select|textarea)\b([^>]*)>", re.I)
ATTR = re.compile(r'(\w[\w-]*)="([^"]*)"')


def fields(html: str) -> dict[str, dict]:
    """Every named form control of a page: its attributes."""
    found = {}
    for _tag, attrs in INPUT.findall(html):
        a = dict(ATTR.findall(attrs))
        if "name" in a:
            found.setdefault(a["name"], a)
    return found


class Browser:
    """One keep-alive HTTP connection carrying one user's session cookie."""

    sent = itertools.count()  # every request of every browser (next() is atomic in CPython)

    def __init__(self, port: int, session: str):
        self.port = port
        self.cookie = f"sessionid={session}; csrftoken={CSRF}"
        self.conn = None

    def request(self, method: str, path: str, data: dict | None = None):
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": CSRF}) if data else None
        headers = {"Cookie": self.cookie, "Host": "127.0.0.1"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        next(Browser.sent)
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                text = response.read().decode("utf-8", "replace")
                if response.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                return response.status, response.getheader("Location", ""), text
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = None
                if attempt:
                    raise
        raise AssertionError("unreachable")


def member_form(html: str, submit: bool) -> dict:
    """What a member types: every item's points (three quarters of its maximum), a level."""
    data = {}
    for group in re.split(r"<fieldset\b", html)[1:]:
        # "(tối đa 30 điểm)": the group's maximum, shared among its items.
        top = re.search(r"\((?:tối đa|at most) (\d+)", group)
        names = [n for n in fields(group.split("</fieldset>")[0]) if n.startswith("score_")]
        for name in names:
            data[name] = str(int(int(top[1]) * 3 // 4 // len(names)) if top else 5)
    for name, attrs in fields(html).items():
        if name.startswith("item_"):
            data[name] = "fixed"
        elif name == "version":
            data[name] = attrs["value"]
    for name in ("tasks_total", "tasks_completed", "tasks_on_time"):
        data[name] = "10"
    data["proposed_level"] = "good"
    if submit:
        data["submit"] = "1"
    return data


class Run:
    def __init__(self, port: int, plan: dict, target: int, seconds: float):
        self.port = port
        self.plan = plan
        self.target = target
        self.deadline = time.monotonic() + seconds
        self.lock = threading.Lock()
        self.accepted: list[int] = []  # subjects whose submission the app accepted
        self.refused: list[tuple[int, int]] = []
        self.latencies: list[float] = []
        self.appraised = 0
        self.appraise_errors = 0
        self.decided = 0
        self.decide_attempts = 0
        self.errors: list[str] = []
        self.members: queue.Queue = queue.Queue()
        for row in plan["members"]:
            self.members.put(row)
        self.to_appraise: queue.Queue = queue.Queue()
        self.done = threading.Event()

    def over(self) -> bool:
        return self.done.is_set() or time.monotonic() > self.deadline

    def member(self):
        while not self.over():
            try:
                subject, unit, session = self.members.get_nowait()
            except queue.Empty:
                return
            browser = Browser(self.port, session)
            status, _, html = browser.request("GET", f"/subjects/{subject}/")
            if status != 200:
                self.errors.append(f"member page {subject}: {status}")
                continue
            if subject % 4 == 0:
                status, _, _ = browser.request(
                    "POST", f"/subjects/{subject}/self/", member_form(html, submit=False)
                )
                _, _, html = browser.request("GET", f"/subjects/{subject}/")
            data = member_form(html, submit=True)
            started = time.perf_counter()
            status, location, _ = browser.request("POST", f"/subjects/{subject}/self/", data)
            took = time.perf_counter() - started
            with self.lock:
                if status == 302 and location.rstrip("/").endswith(f"/subjects/{subject}"):
                    self.accepted.append(subject)
                    self.latencies.append(took)
                    if len(self.accepted) >= self.target:
                        self.done.set()
                else:
                    self.refused.append((subject, status))
            if status == 302:
                self.to_appraise.put((subject, unit))

    def secretary(self):
        while not (self.over() and self.to_appraise.empty()) or not self.done.is_set():
            try:
                subject, unit = self.to_appraise.get(timeout=0.5)
            except queue.Empty:
                if self.over():
                    return
                continue
            browser = Browser(self.port, self.plan["secretaries"][str(unit)])
            status, _, html = browser.request("GET", f"/subjects/{subject}/")
            version = fields(html).get("version", {}).get("value", "")
            status, _, _ = browser.request(
                "POST",
                f"/subjects/{subject}/appraise/",
                {"version": version, "attendees": "9", "votes_excellent": "0", "votes_good": "7",
                 "votes_complete": "2", "votes_not_complete": "0", "proposed_level": "good",
                 "reason": ""},
            )
            with self.lock:
                if status == 302:
                    self.appraised += 1
                else:
                    self.appraise_errors += 1
            if self.over() and self.to_appraise.empty():
                return

    def committee(self):
        cycle = self.plan["cycle"]
        boards = list(self.plan["committees"])
        while not self.over():
            for unit, session in boards:
                if self.over():
                    return
                browser = Browser(self.port, session)
                status, _, html = browser.request("GET", f"/cycles/{cycle}/board/{unit}/")
                picks = [n for n in fields(html) if n.startswith("pick_")][:20]
                if status != 200 or not picks:
                    continue
                status, _, page = browser.request(
                    "POST", f"/cycles/{cycle}/board/{unit}/",
                    {**{p: "on" for p in picks},
                     **{"level_" + p[5:]: "good" for p in picks}, "decide": "1"},
                )
                with self.lock:
                    self.decide_attempts += 1
                    if status == 302:
                        self.decided += len(picks)
                time.sleep(1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(port: int, seconds: float = 60) -> None:
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def recreate(name: str, template: str | None = None) -> None:
    with psycopg.connect(SERVER + "postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        suffix = f' TEMPLATE "{template}"' if template else ""
        conn.execute(f'CREATE DATABASE "{name}"{suffix}')


FLOOR_SQL = {
    "subject": "UPDATE cycles_subject SET version = version + 1, step = 'self_submitted', "
    "self_level = 'good', self_score = 75 WHERE id = %s",
    "assessment": "INSERT INTO cycles_selfassessment (subject_id, scores, tasks_total, "
    "tasks_completed, tasks_on_time, tasks_late, tasks_exceeding, strengths, shortcomings, "
    "causes, prompt_answers, direction, proposed_level, entered_by_id, on_behalf, submitted_at) "
    "VALUES (%s, %s, 0, 0, 0, 0, 0, '', '', '', '', '', 'good', NULL, false, now()) "
    "ON CONFLICT (subject_id) DO UPDATE SET scores = excluded.scores, "
    "submitted_at = excluded.submitted_at",
    "head": "UPDATE audit_chainhead SET count = count + 1, hash = md5(hash || %s) "
    "WHERE id = 1 RETURNING hash",
    "event": "INSERT INTO audit_event (at, actor_id, action, target_type, target_id, before, "
    "after, prev_hash, hash) VALUES (now(), NULL, 'assessment.submit', 'subject', %s, NULL, "
    "%s, %s, md5(%s || random()::text))",
}


def floor(subjects: list[int], clients: int) -> tuple[float, int]:
    """The same submissions as single plain-SQL transactions from `clients` threads."""
    work: queue.Queue = queue.Queue()
    for s in subjects:
        work.put(s)
    scores = json.dumps({"1.1": "7"})

    def client():
        with psycopg.connect(SERVER + FLOOR_DB) as conn:
            while True:
                try:
                    subject = work.get_nowait()
                except queue.Empty:
                    return
                with conn.transaction():
                    conn.execute(FLOOR_SQL["subject"], (subject,))
                    conn.execute(FLOOR_SQL["assessment"], (subject, scores))
                    (prev,) = conn.execute(FLOOR_SQL["head"], (str(subject),)).fetchone()
                    conn.execute(FLOOR_SQL["event"], (subject, scores, prev, prev))

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.perf_counter() - started
    with psycopg.connect(SERVER + FLOOR_DB) as conn:
        (recorded,) = conn.execute(
            "SELECT count(DISTINCT target_id) FROM audit_event "
            "WHERE action = 'assessment.submit' AND target_id = ANY(%s)",
            (subjects,),
        ).fetchone()
    return took, recorded


def check(subjects: list[int]) -> dict:
    """Every accepted submission exactly once; nothing the app refused is recorded as one."""
    with psycopg.connect(SERVER + DB) as conn:
        rows = dict(
            conn.execute(
                "SELECT target_id, count(*) FROM audit_event WHERE action = 'assessment.submit' "
                "GROUP BY target_id"
            ).fetchall()
        )
        submitted = {
            s
            for (s,) in conn.execute(
                "SELECT a.subject_id FROM cycles_selfassessment a JOIN cycles_subject s "
                "ON s.id = a.subject_id WHERE a.submitted_at IS NOT NULL "
                "AND s.step IN ('self_submitted', 'appraised', 'decided')"
            ).fetchall()
        }
    accepted = set(subjects)
    return {
        "lost": len([s for s in accepted if s not in submitted or rows.get(s, 0) == 0]),
        "duplicated": len([s for s, n in rows.items() if n > 1]) + len(subjects) - len(accepted),
        "phantom": len([s for s in rows if s not in accepted]),
    }


def framework_floor(env: dict, workers: int, threads: int, sessions: list[str],
                    clients: int, seconds: float = 10.0) -> float:
    """Requests per second that gunicorn and Django serve on this machine when the view does
    nothing but look the signed-in user up (bench/framework_floor.py), from the same number of
    client threads: the bound any page of the app meets."""
    port = free_port()
    server = subprocess.Popen(
        [gunicorn_path(), "xeploai.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--threads", str(threads), "--worker-class", "gthread",
         "--log-level", "warning"],
        env={**env, "DJANGO_SETTINGS_MODULE": "framework_floor",
             "PYTHONPATH": ROOT + os.pathsep + os.path.join(ROOT, "bench")},
        cwd=ROOT,
    )
    served = itertools.count()
    try:
        wait_up(port)
        warm = Browser(port, sessions[0])
        for _ in range(workers * threads * 2):
            assert warm.request("GET", "/")[2] == "yes"
        until = time.monotonic() + seconds

        def client(session: str) -> None:
            browser = Browser(port, session)
            while time.monotonic() < until:
                browser.request("GET", "/")
                next(served)

        pool = [threading.Thread(target=client, args=(sessions[i % len(sessions)],))
                for i in range(clients)]
        started = time.perf_counter()
        for t in pool:
            t.start()
        for t in pool:
            t.join()
        took = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(30)
    return next(served) / took


def gunicorn_path() -> str:
    return shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or "gunicorn"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=3000)
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2, help="gunicorn threads per worker")
    parser.add_argument("--clients", type=int, default=24)
    parser.add_argument("--submissions", type=int, default=1500)
    parser.add_argument("--seconds", type=float, default=120)
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="xeploai-load-")
    env = {
        **os.environ,
        "DATABASE_URL": SERVER + DB,
        "XEPLOAI_ENV": "production",
        "XEPLOAI_SECRET_KEY": "load-bench-" + "k" * 50,
        "XEPLOAI_SECURE_COOKIES": "0",
        "XEPLOAI_SSL_REDIRECT": "0",
        "XEPLOAI_HSTS_SECONDS": "0",
        "XEPLOAI_ALLOWED_HOSTS": "127.0.0.1",
        "XEPLOAI_DATA_DIR": data_dir,
        "DJANGO_SETTINGS_MODULE": "xeploai.settings",
        "PYTHONPATH": ROOT,
    }
    recreate(DB)
    plan_file = os.path.join(data_dir, "plan.json")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", SETUP, str(args.members), plan_file], env=env,
                   check=True, cwd=ROOT)
    print(f"# setup {time.perf_counter() - started:.0f} s", file=sys.stderr)
    plan = json.load(open(plan_file))
    recreate(FLOOR_DB, template=DB)

    port = free_port()
    server = subprocess.Popen(
        [gunicorn_path(), "xeploai.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(args.workers), "--threads", str(args.threads),
         "--worker-class", "gthread", "--log-level", "warning"],
        env=env, cwd=ROOT,
    )
    try:
        wait_up(port)
        # One request per worker first, so the run measures serving, not importing.
        warm = Browser(port, plan["members"][-1][2])
        for _ in range(args.workers * args.threads * 2):
            warm.request("GET", "/")
        run = Run(port, plan, args.submissions, args.seconds)
        secretaries = max(2, args.clients // 6)
        threads = [threading.Thread(target=run.member) for _ in range(args.clients)]
        threads += [threading.Thread(target=run.secretary) for _ in range(secretaries)]
        threads += [threading.Thread(target=run.committee)]
        sent_before = next(Browser.sent)
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads[: args.clients]:
            t.join()
        submit_window = time.perf_counter() - started
        run.done.set()
        for t in threads:
            t.join()
        window = time.perf_counter() - started
        requests = next(Browser.sent) - sent_before - 1
    finally:
        server.terminate()
        server.wait(30)

    result = check(run.accepted)
    verify = subprocess.run([sys.executable, "-m", "xeploai", "audit", "verify"], env=env,
                            cwd=ROOT, capture_output=True, text=True)
    breaks = 0 if verify.returncode == 0 else max(1, verify.stdout.count("\n"))
    if verify.returncode:
        print(verify.stdout[-2000:], verify.stderr[-2000:], file=sys.stderr)

    rate = len(run.accepted) / submit_window
    p95 = statistics.quantiles(run.latencies, n=20)[-1] * 1000 if len(run.latencies) > 1 else 0
    floor_took, floor_recorded = floor(run.accepted, args.clients)
    floor_rate = len(run.accepted) / floor_took
    assert floor_recorded == len(set(run.accepted)), (floor_recorded, len(run.accepted))
    print(f"# {len(run.accepted)} submissions accepted, {len(run.refused)} refused "
          f"({run.refused[:5]}), {len(run.errors)} errors {run.errors[:3]}; "
          f"{run.appraised} appraised ({run.appraise_errors} refused), {run.decided} decided in "
          f"{run.decide_attempts} board posts; {window:.1f} s in all", file=sys.stderr)
    print(f"BENCH load_submit_per_s {rate:.1f} submissions/s")
    print(f"BENCH load_submit_p95_ms {p95:.0f} ms")
    print(f"BENCH load_lost {result['lost']} submissions")
    print(f"BENCH load_duplicated {result['duplicated']} submissions")
    print(f"BENCH load_phantom {result['phantom']} submissions")
    print(f"BENCH load_appraise_per_s {run.appraised / window:.1f} meetings/s")
    print(f"BENCH load_decided {run.decided} subjects")
    print(f"BENCH load_audit_breaks {breaks} breaks")
    print(f"BENCH load_submit_floor_per_s {floor_rate:.1f} submissions/s")
    print(f"BENCH load_submit_to_floor_ratio {floor_rate / rate:.2f} x")
    # The framework's own bound: requests per accepted submission in the mix above (the
    # member's pages, the secretary's, the committee's) over what a do-nothing signed-in view
    # serves per second.
    per_submission = requests / max(1, len(run.accepted))
    framework_rps = framework_floor(env, args.workers, args.threads,
                                    [row[2] for row in plan["members"][:64]], args.clients)
    print(f"BENCH load_requests_per_submission {per_submission:.2f} requests")
    print(f"BENCH load_framework_floor_requests_per_s {framework_rps:.0f} requests/s")
    print(f"BENCH load_submit_framework_bound_per_s {framework_rps / per_submission:.1f} "
          "submissions/s")
    print(f"BENCH load_submit_to_framework_bound_ratio "
          f"{framework_rps / per_submission / rate:.2f} x")
    shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
