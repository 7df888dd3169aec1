"""`make bench`: the site under load, the way production serves it, at 10, 1,000 and 10,000 events.

For each size: a PostgreSQL cluster and a Redis of the benchmark's own (free ports, thrown away
afterwards), N sample events (`manage.py make_sample_events`), static files collected with the
compressed manifest storage, and two gunicorn servers with gunicorn.conf.py's settings (DEBUG
off): one with the page cache (warm: every page requested once before the load) and one without
(cold: every request rendered). wrk (Debian's package, installed when missing) loads, on
loopback, the home page, the upcoming list, a filtered list, a search for a word most events hold
(a city's name), the month view, an event page, its bilingual programme, its .ics and one static
file; then 200 connections on the cached pages. In-process,
scripts/measure_pages.py counts SQL queries and server CPU per uncached page.

Edits under load (issue 23): wrk spreads 50, then 200 connections over at least 300 distinct
pages in both languages (home, lists with pages and filters, feeds, calendars, the sitemap,
event pages, programmes, .ics), without edits and while a separate process saves one of those
events every 2 s through the admin's code path (``EventAdmin.save_model`` in
``pagecache.prerender.saving``, as the change view does), in turns: BENCH_EDIT_ROUNDS rounds of
each, one right after the other, each figure the median of its rounds (the machine's speed drifts
from one ten seconds to the next: one long run of each compared a slow minute with a fast one).

Writes docs/performance.md (and prints it). Settings from the environment:
BENCH_SIZES (default "10,1000,10000"), BENCH_SECONDS (default 8), BENCH_CONNECTIONS (8),
BENCH_EDIT_SECONDS (10, per round of the edits phase), BENCH_EDIT_ROUNDS (3 of each kind),
BENCH_ONLY=edits (that phase alone),
BENCH_THREADS (the edits phase once per gunicorn thread count, e.g. "2,4,8", each with the cached
pages at 8 and 200 connections beside it; default: gunicorn.conf.py's), BENCH_REPORT (where the
report goes, default docs/performance.md; docs/performance-edits.md with BENCH_ONLY=edits),
BENCH_ACCESS_LOG (a folder: the edits phase's server logs each request there, one file per run —
its time taken, X-Page-Cache and how long it waited for another's render — with the editor's save
times, one file per round; scripts/slow_requests.py reads them).
"""

import datetime
import json
import os
import platform
import re
import runpy
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from devtools.servers import AppServer, PostgresServer, RedisServer, production_environment  # noqa: E402

SIZES = [int(size) for size in os.environ.get("BENCH_SIZES", "10,1000,10000").split(",")]
SECONDS = int(os.environ.get("BENCH_SECONDS", "8"))
WARM_UP_SECONDS = 2
RATIO_ROUNDS = 5  # the median of five: two rounds in a stall of the shared machine change nothing
ROUND_SECONDS = max(1, SECONDS // 2)
NOT_PAGES = ("plans", "phases", "edits")  # what a size's results hold besides its pages
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
MANY_CONNECTIONS = 200
ONLY_EDITS = os.environ.get("BENCH_ONLY", "") == "edits"
# The edits phase alone writes a report of its own: docs/performance.md keeps the full run's.
REPORT = Path(
    os.environ.get("BENCH_REPORT") or BASE_DIR / "docs" / ("performance-edits.md" if ONLY_EDITS else "performance.md")
)
EDIT_SECONDS = int(os.environ.get("BENCH_EDIT_SECONDS", "10"))  # per round
EDIT_ROUNDS = int(os.environ.get("BENCH_EDIT_ROUNDS", "3"))  # of each kind, in turns
EDIT_CONNECTIONS = (50, MANY_CONNECTIONS)
EDIT_INTERVAL = 2  # seconds between two saves
LOAD_PAGES = 300  # distinct pages at least, where the site has that many
# The gunicorn thread counts the edits phase is run with (None: gunicorn.conf.py's own, which
# GUNICORN_THREADS may set); the targets are checked for the first.
THREADS = [int(n) for n in os.environ.get("BENCH_THREADS", "").split(",") if n.strip()] or [None]

# Targets of issue "Fast at any size".
TARGET_RATIO = 0.5  # cached pages ≥ 50 % of the static file's requests/s
TARGET_P99_MS = 25  # p99 from the cache at 8 connections
# The uncached event page is reported without a target: visitors get it from the page cache.
TARGET_LIST_GROWTH = 0.2  # the list at the largest size within 20 % of the smallest
# Targets of issue 23, "Announcement day": with a save every 2 s, against the same load without.
TARGET_EDIT_RPS = 0.8  # requests/s ≥ 80 %
TARGET_EDIT_P99 = 2  # p99 ≤ 2 ×
# BENCH_ACCESS_LOG: where the edits phase's requests are logged (production's log format is left as
# it is: this one is given to the bench's server alone, through gunicorn's GUNICORN_CMD_ARGS).
ACCESS_LOG = Path(os.environ["BENCH_ACCESS_LOG"]) if os.environ.get("BENCH_ACCESS_LOG") else None
ACCESS_LOG_FORMAT = 'ACCESS %(t)s %(D)s %({x-page-cache}o)s %({pagecache.waited}e)s %(s)s "%(U)s?%(q)s"'


def run(command, **kwargs):
    return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)


def ensure_wrk():
    if shutil.which("wrk"):
        return
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    print("Installing wrk (Debian package) …", flush=True)
    run([*sudo, "apt-get", "install", "-y", "wrk"])


def manage(env, *args):
    return run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, timeout=3600)


def wrk(url, connections, seconds=SECONDS, script=None):
    """requests/s, p50 and p99 in ms, and errors, from wrk's report (``script``: a Lua file
    choosing each request's path)."""
    options = ["-s", str(script)] if script else []
    output = run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "5s", *options, url],
        timeout=seconds + 60,
    ).stdout
    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))}
    for label, name in (("50%", "p50"), ("99%", "p99")):
        value, unit = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", output, re.M).groups()
        result[name] = float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    result["socket_errors"] = sum(int(n) for n in errors.groups()) if errors else 0
    result["timeouts"] = int(errors.group(4)) if errors else 0
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    result["non_2xx"] = int(non_2xx.group(1)) if non_2xx else 0
    return result


def fetch(url):
    with urllib.request.urlopen(url, timeout=30) as answer:
        return answer.read()


def pages(env):
    """The pages to load: an upcoming event in the middle of the list, its subpages, a static file."""
    code = (
        "from events.models import Event; from django.utils import translation; translation.activate('de'); "
        "events = Event.objects.published().upcoming(); e = events[events.count() // 2]; "
        "print(e.get_absolute_url('de')); print(e.get_programme_url('de')); print(e.get_calendar_url('de')); "
        "print(e.cities.first().code); print(e.pk); "
        "from django.urls import reverse; from django.utils import timezone; "
        "start = timezone.localtime(e.start); "
        "print(reverse('events:month', kwargs={'year': start.year, 'month': f'{start.month:02d}'}))"
    )
    event, programme, calendar, city, pk, month = manage(env, "shell", "--no-imports", "-c", code).stdout.split()
    manifest = json.loads((Path(env["DJANGO_STATIC_ROOT"]) / "staticfiles.json").read_text())["paths"]
    return {
        "home page": "/de/",
        "upcoming list": "/de/veranstaltungen/",
        "filtered list": f"/de/veranstaltungen/?city={city}",  # a city of the event below: never empty
        # A word found in many events (a city): the ranking reads every match.
        "search": f"/de/suche/?q={city}",
        "month view": month,  # the month of the event below
        "event page": event,
        "bilingual programme": programme,
        "event .ics": calendar,
        # The open data's API (api/): the list of upcoming events and the same event.
        "API list": "/api/v1/events",
        "API event": f"/api/v1/events/{pk}",
        "static file": "/static/" + manifest["css/site.css"],
    }


def bench_size(size, postgres, redis, folder):
    database = f"bench_{size}"
    postgres.create_database(database)
    env = production_environment(
        folder,
        DATABASE_URL=postgres.url(database),
        REDIS_URL=redis.url,
        # wrk sends every request from one address: the API's limit per address (still counted,
        # as in production) set beyond what it sends.
        DJANGO_API_RATE_PER_IP="1000000000/s",
    )
    print(f"— {size} events: creating them …", flush=True)
    manage(env, "migrate", "-v0")
    manage(env, "make_sample_events", str(size))  # with their search documents
    # PostgreSQL's own upkeep after the bulk insert (autovacuum's ANALYZE, the checkpoint) done
    # now, not on a core the load needs.
    postgres.tool("psql", "-q", "-d", database, "-c", "VACUUM ANALYZE", "-c", "CHECKPOINT")
    manage(env, "collectstatic", "--noinput", "-v0")
    if ONLY_EDITS:
        return {"edits": edits_phase(size, env, folder)}, env
    urls = pages(env)

    print(f"— {size} events: queries and CPU in-process …", flush=True)
    measured = json.loads(
        run([sys.executable, "scripts/measure_pages.py", *urls.values()], cwd=BASE_DIR, env=env, timeout=1800).stdout
    )
    list_pages = [
        urls["upcoming list"],
        urls["filtered list"],
        "/de/veranstaltungen/vergangene/?year=2015",
        urls["search"],
        urls["month view"],
    ]
    plans = json.loads(
        run([sys.executable, "scripts/measure_pages.py", "--explain", *list_pages], cwd=BASE_DIR, env=env).stdout
    )
    phases = json.loads(
        run(
            [sys.executable, "scripts/measure_pages.py", "--breakdown", urls["event page"]], cwd=BASE_DIR, env=env
        ).stdout
    )[urls["event page"]]

    warm = AppServer(env, workers=None)
    cold = AppServer({**env, "DJANGO_PAGE_CACHE": "false"}, workers=None)
    warm.start()
    cold.start()
    results = {}
    try:
        static = warm.base_url + urls["static file"]
        for name, path in urls.items():
            print(f"— {size} events: {name} …", flush=True)
            fetch(warm.base_url + path)  # the cache warmed by one request
            body = fetch(cold.base_url + path)
            # Every worker process has served the page before it is measured (its first request
            # loads templates and code), as in a server that has been up for a while.
            for server in (warm, cold):
                wrk(server.base_url + path, CONNECTIONS, seconds=WARM_UP_SECONDS)
            results[name] = {
                "path": path,
                "bytes": len(body),
                "cold": wrk(cold.base_url + path, CONNECTIONS),
                **warm_against_static(warm.base_url + path, static),
                **measured[path],
            }
        results["plans"] = plans
        results["phases"] = phases
        for name in ("event page", "upcoming list"):
            results[name]["many"] = wrk(warm.base_url + urls[name], MANY_CONNECTIONS)
    finally:
        warm.stop()
        cold.stop()
    results["edits"] = edits_phase(size, env, folder, urls)
    return results, env


def edits_phase(size, env, folder, urls=None):
    """Edits under load, on a server of its own with the page cache (the other two stopped), once
    per thread count of BENCH_THREADS: {threads: results}. With several, the cached event page and
    upcoming list are loaded at CONNECTIONS and 200 connections on the same server too (more
    threads must not cost the pages served from the cache)."""
    if len(THREADS) > 1:
        urls = urls or pages(env)
    measured = {}
    for threads in THREADS:
        print(f"— {size} events: edits under load ({threads or 'default'} threads) …", flush=True)
        server_env = {**env, "GUNICORN_THREADS": str(threads)} if threads else dict(env)
        if ACCESS_LOG is not None:
            server_env["GUNICORN_CMD_ARGS"] = shlex.join(["--access-logformat", ACCESS_LOG_FORMAT])
        server = AppServer(server_env, workers=None)
        server.start()
        try:
            measured[threads] = edits_under_load(env, server, folder, label=f"{size}-{threads or 'default'}")
            if len(THREADS) > 1:
                measured[threads]["cached"] = cached_pages(server, urls)
        finally:
            server.stop()
    return measured


def cached_pages(server, urls):
    """The event page and the upcoming list from the cache at CONNECTIONS and 200 connections."""
    found = {}
    for name in ("event page", "upcoming list"):
        url = server.base_url + urls[name]
        try:
            fetch(url)
        except urllib.error.HTTPError as error:
            print(f"— {url}: {error}", flush=True)
            continue
        wrk(url, CONNECTIONS, seconds=WARM_UP_SECONDS)
        found[name] = {connections: wrk(url, connections) for connections in (CONNECTIONS, MANY_CONNECTIONS)}
    return found


# --- Edits under load --------------------------------------------------------------------------

# Prints the pages to load, as JSON: [[path, event id or null], …].
LOAD_PAGES_CODE = """
import json
from django.urls import reverse
from django.utils import translation
from events.models import Category, City, Event

def named(name, language, query=""):
    with translation.override(language):
        return reverse(name) + ("?" + query if query else "")

pages = [("/sitemap.xml", None)]
for language in ("de", "fr"):
    pages += [(named(name, language), None) for name in ("home", "events:feed", "events:calendar")]
    for number in range(1, 6):
        query = f"page={number}" if number > 1 else ""
        pages += [(named("events:list", language, query), None), (named("events:past", language, query), None)]
    pages += [(named("events:list", language, "city=" + city.code), None) for city in City.objects.all()]
    pages += [(named("events:list", language, "category=" + c.code), None) for c in Category.objects.all()]
for event in Event.objects.published().upcoming().prefetch_related("slots")[:LIMIT]:
    for language in ("de", "fr"):
        pages += [(event.get_absolute_url(language), event.pk), (event.get_calendar_url(language), event.pk)]
        if event.slots.all():
            pages.append((event.get_programme_url(language), event.pk))
print(json.dumps(pages))
"""

# Saves one of the loaded events every EDIT_INTERVAL seconds, as the admin's change view does:
# EventAdmin.save_model in the transaction of pagecache.prerender.saving (what the admin's
# PrerenderMiddleware opens: the pages the save makes fresh rendered before it commits), by a
# superuser, on the server's host (the pages rendered are its addresses). Prints "ready"; then, for
# each line it reads (a round), saves for BENCH_EDIT_SECONDS and prints per save "saved <pk> <began>
# <ended> <pages pre-rendered> <their ms> <published>", then "round <saves in it>". One process for
# every round, as the admin's are long-lived (what a process keeps, its first render's cost).
EDITOR_CODE = """
import os, sys, time
from urllib.parse import urlsplit
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from events.models import Event
from pagecache import prerender

events = [int(pk) for pk in os.environ["BENCH_EDIT_EVENTS"].split(",")]
model_admin = admin.site.get_model_admin(Event)
server = urlsplit(os.environ["BENCH_BASE_URL"])
request = RequestFactory().post(
    "/admin/events/event/", HTTP_HOST=server.netloc, SERVER_PORT=str(server.port), secure=server.scheme == "https"
)
request.user, _created = get_user_model().objects.get_or_create(
    username="bench-editor", defaults={"is_staff": True, "is_superuser": True}
)
print("ready", flush=True)
saves = 0
for _round in sys.stdin:
    started, in_round = time.monotonic(), 0
    while time.monotonic() < started + float(os.environ["BENCH_EDIT_SECONDS"]):
        event = Event.objects.get(pk=events[saves % len(events)])
        event.teaser_de = f"Geändert, zum {saves + 1}. Mal ({os.getpid()})."  # a change in each run
        began = time.time()
        with prerender.saving(request):
            model_admin.save_model(request, event, None, True)
        done = prerender.LAST
        print("saved", event.pk, began, time.time(), done.pages, f"{done.milliseconds:.0f}", done.published, flush=True)
        saves, in_round = saves + 1, in_round + 1
        time.sleep(max(0.0, started + in_round * float(os.environ["BENCH_EDIT_INTERVAL"]) - time.monotonic()))
    print("round", in_round, flush=True)
"""


def load_pages(env, server):
    """At least LOAD_PAGES distinct pages that answer 200 (each requested once: the cache is
    warm), and the events among them."""
    limit = LOAD_PAGES // 4
    code = LOAD_PAGES_CODE.replace("LIMIT", str(limit))
    pages = json.loads(manage(env, "shell", "--no-imports", "-c", code).stdout)
    found, events = [], []
    for path, event in pages:
        try:
            fetch(server.base_url + path)
        except urllib.error.HTTPError:
            continue  # a page of the lists past the last: not one to load
        found.append(path)
        if event is not None and event not in events:
            events.append(event)
    return found, events


def lua_script(paths, folder):
    """wrk's script: each request goes to the next of ``paths``, from a random start per thread."""
    quoted = ",\n".join(json.dumps(path) for path in paths)
    script = Path(folder) / "pages.lua"
    script.write_text(
        f"local paths = {{\n{quoted}\n}}\n"
        "local i = 0\n"
        "function init(args) math.randomseed(os.time() + math.random(1000)); i = math.random(#paths) end\n"
        "function request()\n  i = i % #paths + 1\n  return wrk.format('GET', paths[i])\nend\n"
    )
    return script


def edits_under_load(env, server, folder, label=""):
    """The load over LOAD_PAGES pages at 50 and 200 connections, without edits and with a save
    every EDIT_INTERVAL seconds, in turns: EDIT_ROUNDS rounds of EDIT_SECONDS of each (with
    BENCH_ACCESS_LOG, each round's requests logged there under ``label``)."""
    paths, events = load_pages(env, server)
    script = lua_script(paths, folder)
    wrk(server.base_url, EDIT_CONNECTIONS[0], seconds=WARM_UP_SECONDS * 2, script=script)
    results = {"pages": len(paths), "languages": sorted({path.split("/")[1] for path in paths if path[3:4] == "/"})}
    for connections in EDIT_CONNECTIONS:
        editor = subprocess.Popen(
            [sys.executable, "manage.py", "shell", "--no-imports", "-c", EDITOR_CODE],
            cwd=BASE_DIR,
            env={
                **env,
                "BENCH_EDIT_EVENTS": ",".join(map(str, events)),
                "BENCH_EDIT_SECONDS": str(EDIT_SECONDS),
                "BENCH_EDIT_INTERVAL": str(EDIT_INTERVAL),
                "BENCH_BASE_URL": server.base_url,
            },
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert editor.stdout.readline().strip() == "ready", "the editor did not start"
            rounds = []
            for number in range(1, EDIT_ROUNDS + 1):
                # Every page current again after the previous round's saves: "without edits" is
                # the steady state.
                for path in paths:
                    fetch(server.base_url + path)
                logged = server.log.stat().st_size
                quiet = wrk(server.base_url, connections, seconds=EDIT_SECONDS, script=script)
                logged = keep_access_log(server, logged, f"{label}-{connections}-{number}-quiet")
                editor.stdin.write("round\n")
                editor.stdin.flush()
                edited = wrk(server.base_url, connections, seconds=EDIT_SECONDS, script=script)
                said = []
                for line in iter(editor.stdout.readline, ""):
                    said.append(line)
                    if line.startswith("round "):
                        break
                keep_access_log(server, logged, f"{label}-{connections}-{number}-edited", saved="".join(said))
                rounds.append((quiet, {**edited, "said": said}))
        finally:
            editor.stdin.close()
            editor.wait(timeout=60)
        results[connections] = in_turns(rounds)
    return results


def in_turns(rounds):
    """The rounds of one connection count, [(without edits, with edits)], as one result of each
    kind: requests/s, p50 and p99 the median of the rounds (the worst round's p99 beside them),
    timeouts and errors summed; the ratio of requests/s the median of each round's with edits over
    the round's without right before it."""

    def combined(results):
        return {
            **medians(results),
            **{name: sum(result[name] for result in results) for name in ("socket_errors", "timeouts", "non_2xx")},
        }

    said = "".join(line for _quiet, edited in rounds for line in edited["said"])
    saves = sum(int(line.split()[1]) for line in said.splitlines() if line.startswith("round "))
    return {
        "quiet": combined([quiet for quiet, _edited in rounds]),
        "edited": {**combined([edited for _quiet, edited in rounds]), "saves": saves, **prerendered(said)},
        "ratio": statistics.median(edited["rps"] / quiet["rps"] for quiet, edited in rounds),
        "pairs": [(quiet["rps"], edited["rps"], quiet["p99"], edited["p99"]) for quiet, edited in rounds],
    }


def prerendered(said):
    """What the editor's saves pre-rendered (its "saved" lines): pages per save, the median and
    the longest time it added to a save, and how many saves published their pages."""
    rows = [line.split() for line in said.splitlines() if line.startswith("saved ")]
    if not rows:
        return {}
    times = sorted(float(row[5]) for row in rows)
    return {
        "prerender_pages": sum(int(row[4]) for row in rows) / len(rows),
        "prerender_ms_median": times[len(times) // 2],
        "prerender_ms_max": times[-1],
        "published": sum(row[6] == "True" for row in rows),
    }


def keep_access_log(server, offset, name, saved=None):
    """With BENCH_ACCESS_LOG, the requests the server logged since ``offset`` (its log's size
    then), in ``name``.log there, and what the editor said (``saved``: its save times) in
    ``name``.saves; returns the log's size now."""
    size = server.log.stat().st_size
    if ACCESS_LOG is None:
        return size
    ACCESS_LOG.mkdir(parents=True, exist_ok=True)
    with server.log.open("rb") as log:
        log.seek(offset)
        (ACCESS_LOG / f"{name}.log").write_bytes(log.read(size - offset))
    if saved is not None:
        (ACCESS_LOG / f"{name}.saves").write_text(saved)
    return size


def edits_report(size, measured):
    """The lines of the edits phase for one size (``measured``: {threads: results}), and its
    checks: the targets for the first thread count of BENCH_THREADS, the others for comparison."""
    first = next(iter(measured.values()))
    lines = [
        f"Edits under load: wrk over {first['pages']} distinct pages ({', '.join(first['languages'])}: home, lists "
        "with pages and filters, feeds, calendars, the sitemap, event pages, programmes, .ics), "
        f"without edits and with one of those events saved every {EDIT_INTERVAL} s through the admin's code path "
        "(`EventAdmin.save_model` in `pagecache.prerender.saving`: the pages a save makes fresh rendered before it "
        f"commits), in turns: {len(first[EDIT_CONNECTIONS[0]]['pairs'])} rounds of {EDIT_SECONDS} s of each, one right "
        "after the other; each figure the median of its rounds (the worst round's p99 beside it), the ratio the "
        "median of each round's with edits over the round's without right before it, timeouts and errors summed.",
        "",
        "| threads | connections | edits | req/s | p50 | p99 (worst round) | timeouts | errors |",
        "|---:|---:|---|---:|---:|---:|---:|---:|",
    ]
    checks = []
    prerender_lines = [
        "",
        "What the saves pre-rendered (the time each added to its save, in the editor's process):",
        "",
        "| connections | saves | published | pages per save | median | longest |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for threads, edits in measured.items():
        label_threads = threads or gunicorn_settings()["threads"]
        for connections in EDIT_CONNECTIONS:
            quiet, edited = edits[connections]["quiet"], edits[connections]["edited"]
            for label, result in (("none", quiet), (f"{edited['saves']} saves", edited)):
                errors = result["socket_errors"] + result["non_2xx"]
                lines.append(
                    f"| {label_threads} | {connections} | {label} | {result['rps']:.0f} | {result['p50']:.1f} ms "
                    f"| {result['p99']:.1f} ms ({result['worst_p99']:.0f}) | {result['timeouts']} | {errors} |"
                )
            if threads != THREADS[0]:
                continue
            if "prerender_pages" in edited:
                prerender_lines.append(
                    f"| {connections} | {edited['saves']} | {edited['published']} | {edited['prerender_pages']:.1f} "
                    f"| {edited['prerender_ms_median']:.0f} ms | {edited['prerender_ms_max']:.0f} ms |"
                )
            share = edits[connections]["ratio"]
            checks.append(
                (
                    f"{size} events, {connections} connections: with edits {share:.0%} of the requests/s without",
                    share >= TARGET_EDIT_RPS,
                )
            )
            checks.append(
                (
                    f"{size} events, {connections} connections: p99 with edits {edited['p99']:.0f} ms ≤ 2 × "
                    f"{quiet['p99']:.0f} ms without",
                    edited["p99"] <= TARGET_EDIT_P99 * quiet["p99"],
                )
            )
            if connections == MANY_CONNECTIONS:
                errors = sum(r["socket_errors"] + r["non_2xx"] for r in (quiet, edited))
                checks.append(
                    (f"{size} events, edits under load: no error or timeout at {connections} connections", errors == 0)
                )
    lines += ["", "Each round, without / with edits:", ""]
    for connections in EDIT_CONNECTIONS:
        rounds = "; ".join(
            f"{quiet:.0f} / {edited:.0f} req/s ({edited / quiet:.0%}), p99 {quiet_p99:.0f} / {edited_p99:.0f} ms"
            for quiet, edited, quiet_p99, edited_p99 in first[connections]["pairs"]
        )
        lines.append(f"- {connections} connections: {rounds}")
    if len(prerender_lines) > 5:
        lines += prerender_lines
    cached = {threads: edits["cached"] for threads, edits in measured.items() if "cached" in edits}
    if cached:
        lines += [
            "",
            "The cached pages on the same servers, without edits:",
            "",
            "| threads | page | connections | req/s | p50 | p99 | timeouts | errors |",
            "|---:|---|---:|---:|---:|---:|---:|---:|",
        ]
        for threads, found in cached.items():
            for name, runs in found.items():
                for connections, result in runs.items():
                    errors = result["socket_errors"] + result["non_2xx"]
                    lines.append(
                        f"| {threads} | {name} | {connections} | {result['rps']:.0f} | {result['p50']:.1f} ms "
                        f"| {result['p99']:.1f} ms | {result['timeouts']} | {errors} |"
                    )
    return lines + [""], checks


def list_growth(all_results, envs):
    """The upcoming list's time at the largest size over its time at the smallest, in-process,
    with the database's own work (wall time). The two are measured in turns, five times, and the
    median ratio kept: measured minutes apart on this shared machine, they would differ by its
    drift rather than by the site."""
    sizes = (min(all_results), max(all_results))
    path = all_results[sizes[0]]["upcoming list"]["path"]
    ratios = []
    for _round in range(5):
        times = [
            json.loads(
                run(
                    [sys.executable, "scripts/measure_pages.py", path],
                    cwd=BASE_DIR,
                    env={**envs[size], "BENCH_CPU_ROUNDS": "60"},
                ).stdout
            )[path]["wall_ms"]
            for size in sizes
        ]
        ratios.append(times[1] / times[0])
    return statistics.median(ratios) - 1


def medians(rounds):
    """wrk's figures over rounds of the same load: requests/s, p50 and p99 the median of the
    rounds, and the worst round's p99 beside them."""
    found = {name: statistics.median(measured[name] for measured in rounds) for name in ("rps", "p50", "p99")}
    return {**found, "worst_p99": max(measured["p99"] for measured in rounds)}


def warm_against_static(url, static):
    """The page from the cache, and its ratio to the static file. The machine is shared: its
    speed drifts from one second to the next and it stalls now and then for a few hundred ms
    (other machines' work), which one short run cannot tell from the site's own slowness. So the
    static file and the page are loaded in turns, each right after the other, five times; each
    figure is the median of the five rounds, and the worst round's p99 is kept beside it."""
    rounds = []
    for _round in range(RATIO_ROUNDS):
        static_rps = wrk(static, CONNECTIONS, seconds=ROUND_SECONDS)["rps"]
        page = wrk(url, CONNECTIONS, seconds=ROUND_SECONDS)
        rounds.append({**page, "ratio": page["rps"] / static_rps})
    return {"warm": medians(rounds), "ratio": statistics.median(measured["ratio"] for measured in rounds)}


def machine():
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    memory = next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if "MemTotal" in line)
    wrk_version = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.split()[1]
    versions = {
        "PostgreSQL": run(["psql", "--version"]).stdout.split()[-1],
        "Redis": run(["redis-server", "--version"]).stdout.split()[2].removeprefix("v="),
        "wrk": wrk_version,
    }
    return {
        "cpu": f"{os.cpu_count()} × {cpu}",
        "memory": f"{int(memory) // 1024 // 1024} GiB",
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        **versions,
    }


def header(workers, started, info):
    """The report's first lines: when, the command, the machine and the server."""
    settings = [f"BENCH_SIZES={','.join(map(str, SIZES))}"] if SIZES != [10, 1000, 10000] else []
    settings += ["BENCH_ONLY=edits"] if ONLY_EDITS else []
    settings += [f"BENCH_THREADS={','.join(map(str, THREADS))}"] if THREADS != [None] else []
    return [
        "# Performance",
        "",
        f"Measured by `make bench` on {started:%Y-%m-%d %H:%M} (UTC), {SECONDS} s per wrk run, "
        f"{CONNECTIONS} connections unless said otherwise.",
        "",
        "    make bench" + (f"    # {' '.join(settings)}" if settings else ""),
        "",
        "Machine: " + ", ".join(f"{key} {value}" for key, value in info.items()) + ".",
        f"Server: gunicorn with gunicorn.conf.py ({workers}), DEBUG off, PostgreSQL and Redis on the"
        " same machine (loopback), static files compressed with hashed names (WhiteNoise). "
        "wrk runs on the same machine, so it takes a core from the server: the numbers are a floor.",
        "",
    ]


def edits_only_report(all_results, workers, started, info):
    """The report of ``BENCH_ONLY=edits``."""
    lines, checks = header(workers, started, info), []
    for size, results in all_results.items():
        section, size_checks = edits_report(size, results["edits"])
        lines += [f"## {size:,} events".replace(",", " "), "", *section]
        checks += size_checks
    lines += ["## Targets", ""] + [f"- {'✓' if ok else '✗'} {text}" for text, ok in checks] + [""]
    return "\n".join(lines), all(ok for _text, ok in checks)


def report(all_results, envs, workers, started, info):
    if ONLY_EDITS:
        return edits_only_report(all_results, workers, started, info)
    sizes = list(all_results)
    lines = [
        *header(workers, started, info),
        "**warm**: the page cache on, the page requested once before the load. **cold**: the page cache off, "
        "every request rendered. **ratio**: the page's requests/s over the static file's, both warm, loaded in "
        f"turns ({RATIO_ROUNDS} rounds of {ROUND_SECONDS} s each); the warm figures are the medians of the "
        "rounds, with the worst round's p99 in brackets: the machine is shared, its speed drifts and it "
        "stalls now and then (the static file's own ratio shows by how much). Every page is "
        f"loaded for {WARM_UP_SECONDS} s before it is measured, so that each worker process has served it once. "
        "**CPU**: median server CPU of one uncached request, in-process (scripts/measure_pages.py; the "
        "database server's own work is not in it, the list's growth check below uses the time with it). "
        "**SQL**: queries of one uncached request.",
        "",
    ]
    checks = []
    for size in sizes:
        results = all_results[size]
        lines += [
            f"## {size:,} events".replace(",", " "),
            "",
            "| page | warm req/s | warm p50 | warm p99 (worst round) | ratio "
            "| cold req/s | cold p50 | cold p99 | bytes | SQL | CPU |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for name, result in results.items():
            if name in NOT_PAGES:
                continue
            warm, cold = result["warm"], result["cold"]
            ratio = result["ratio"]
            lines.append(
                f"| {name} | {warm['rps']:.0f} | {warm['p50']:.1f} ms | {warm['p99']:.1f} ms ({warm['worst_p99']:.0f}) "
                f"| {ratio:.0%} "
                f"| {cold['rps']:.0f} | {cold['p50']:.1f} ms | {cold['p99']:.1f} ms | {result['bytes']:,} "
                f"| {result['queries']} | {result['cpu_ms']:.2f} ms |".replace(",", " ")
            )
            if name in ("event page", "upcoming list", "filtered list", "home page"):
                checks.append((f"{size} events, {name}: cached ≥ 50 % of the static file", ratio >= TARGET_RATIO))
                checks.append((f"{size} events, {name}: p99 < 25 ms from the cache", warm["p99"] < TARGET_P99_MS))
        lines.append("")
        for name in ("event page", "upcoming list"):
            many = results[name]["many"]
            errors = many["socket_errors"] + many["non_2xx"]
            lines.append(
                f"{MANY_CONNECTIONS} connections, {name} (warm): {many['rps']:.0f} req/s, p99 {many['p99']:.1f} ms, "
                f"{many['timeouts']} timeouts, {errors} errors."
            )
            checks.append((f"{size} events, {name}: no error or timeout at 200 connections", errors == 0))
        section, edit_checks = edits_report(size, results["edits"])
        lines += ["", *section]
        checks += edit_checks
        phases = results["phases"]
        lines += [
            "",
            f"Where the uncached event page's {results['event page']['cpu_ms']:.2f} ms of CPU go: finding the event "
            f"with its programme (database layer) {phases['database']:.2f} ms, its context {phases['context']:.2f} ms, "
            f"the template {phases['template']:.2f} ms; the rest is the middleware and the response. "
            f"The whole request with an empty template costs {phases['without_template']:.2f} ms: what the page "
            "would cost with a template that took no time.",
            "",
        ]
    smallest, largest = all_results[sizes[0]], all_results[sizes[-1]]
    for name in smallest:
        if name not in ("static file", *NOT_PAGES):
            checks.append(
                (
                    f"{name}: the same SQL queries at every size",
                    len({all_results[size][name]["queries"] for size in sizes}) == 1,
                )
            )
    growth = list_growth(all_results, envs)
    checks.append(
        (
            f"upcoming list at {sizes[-1]} events within 20 % of {sizes[0]} ({growth:+.0%} time with the database,"
            " in-process, the two sizes measured in turns)",
            growth <= TARGET_LIST_GROWTH,
        )
    )
    lines += ["## Targets", ""] + [f"- {'✓' if ok else '✗'} {text}" for text, ok in checks] + [""]
    lines += [
        f"## Query plans of the lists, the search and the month view at {sizes[-1]:,} events (PostgreSQL)".replace(
            ",", " "
        ),
        "",
        "EXPLAIN ANALYZE of every query one uncached request of the page runs, as the page ran it.",
        "",
    ]
    for path, queries in largest["plans"].items():
        lines += [f"### `{path}`", ""]
        for query in queries:
            lines += ["```sql", query["sql"], "```", "", "```", query["plan"], "```", ""]
    return "\n".join(lines), all(ok for _text, ok in checks)


def gunicorn_settings():
    """workers and threads as gunicorn.conf.py decides them here (with this environment)."""
    return runpy.run_path(str(BASE_DIR / "gunicorn.conf.py"))


def main():
    ensure_wrk()
    started = datetime.datetime.now(datetime.UTC)
    folder = Path(tempfile.mkdtemp(prefix="qp-bench-"))
    postgres, redis = PostgresServer(), RedisServer()
    postgres.start()
    redis.start()
    all_results, envs = {}, {}
    # As gunicorn.conf.py decides them.
    workers = f"{gunicorn_settings()['workers']} workers"
    threads = ", ".join(map(str, THREADS)) if THREADS != [None] else gunicorn_settings()["threads"]
    workers += f" × {threads} threads (gthread)"
    try:
        for size in SIZES:
            all_results[size], envs[size] = bench_size(size, postgres, redis, folder / str(size))
            run(["redis-cli", "-p", str(redis.port), "flushall"])
        text, ok = report(all_results, envs, workers, started, machine())
    finally:
        redis.stop()
        postgres.destroy()
        shutil.rmtree(folder, ignore_errors=True)
    REPORT.write_text(text)
    print(text)
    print(f"Written to {REPORT}.")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
