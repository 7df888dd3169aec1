"""Where a save's cost goes, in-process, with the page cache on (the real Redis of REDIS_URL).

Run with the benchmark's environment (DATABASE_URL naming a sample database, REDIS_URL, DEBUG
off). Takes the pages of the bench's edits phase (scripts/bench.py, ``LOAD_PAGES_CODE``), renders
each once (the cache is warm), then saves one of their events the way the bench's editor does
(``EventAdmin.save_model`` in a transaction, a new German teaser) and requests every page once:
the pages answered without the cache are the ones the save made fresh, with the queries, CPU and
wall time of their render. Repeated for ``--saves`` events; prints a table per kind of page (the
median of its renders) and the number of pages each save made fresh. With ``--prerender``, the
save runs in ``pagecache.prerender.saving`` (as the admin's and the bench's saves do): the pages it
renders before its commit are counted with the save's time, and the table shows the pages left to
the visitors.

    DATABASE_URL=… REDIS_URL=… .venv/bin/python scripts/measure_saves.py [--saves 5] [--prerender]
"""

import argparse
import contextlib
import io
import json
import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quattropole_site.settings")

import django  # noqa: E402

django.setup()

from django.contrib import admin  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client, RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from events.models import Event  # noqa: E402

LIMIT = 75  # the events the bench loads: LOAD_PAGES // 4


def load_pages():
    """[(path, event pk or None)] as the bench's edits phase chooses them."""
    from scripts.bench import LOAD_PAGES_CODE

    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(LOAD_PAGES_CODE.replace("LIMIT", str(LIMIT)), {})  # noqa: S102 - the bench's own code
    return json.loads(printed.getvalue())


def kind(path, event):
    """The kind of a page, for the table: one event's page, a list, a feed, a calendar, …"""
    if event is not None:
        return "event: " + ("programme" if "programm" in path else ".ics" if path.endswith(".ics") else "page")
    for word, name in (("sitemap", "sitemap"), ("feed", "feed"), (".ics", "calendar of all events")):
        if word in path:
            return name
    if path.count("/") <= 2:
        return "home"
    return "list (past)" if ("vergangene" in path or "passes" in path) else "list (upcoming)"


def request(client, path):
    with CaptureQueriesContext(connection) as captured:
        started, started_wall = time.process_time(), time.perf_counter()
        response = client.get(path)
        cpu, wall = time.process_time() - started, time.perf_counter() - started_wall
    return response, len(captured.captured_queries), cpu * 1000, wall * 1000


def save(event_pk, number, ahead=False):
    """What the bench's editor does (scripts/bench.py, ``EDITOR_CODE``); with ``ahead``, in
    ``prerender.saving`` (the pages of the client's host, 127.0.0.1)."""
    from pagecache import prerender

    model_admin = admin.site.get_model_admin(Event)
    http_request = RequestFactory().post("/admin/events/event/", HTTP_HOST="127.0.0.1")
    http_request.user, _created = get_user_model().objects.get_or_create(
        username="bench-editor", defaults={"is_staff": True, "is_superuser": True}
    )
    event = Event.objects.get(pk=event_pk)
    event.teaser_de = f"Geändert, zum {number}. Mal (measure_saves {os.getpid()})."  # new in each run
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        with prerender.saving(http_request) if ahead else transaction.atomic():
            model_admin.save_model(http_request, event, None, True)
        wall = (time.perf_counter() - started) * 1000
    if ahead:
        done = prerender.LAST
        print(
            f"save {number}: {wall:.0f} ms, of which {done.milliseconds:.0f} ms rendering {done.pages} pages"
            f" ahead (published: {done.published})"
        )
    return len(captured.captured_queries), wall


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--saves", type=int, default=5)
    parser.add_argument("--prerender", action="store_true", help="save in pagecache.prerender.saving")
    arguments = parser.parse_args()
    pages = load_pages()
    client = Client(HTTP_HOST="127.0.0.1")
    found = []
    for path, event in pages:
        response = client.get(path)
        if response.status_code == 200:
            found.append((path, event))
    events = list(dict.fromkeys(event for _path, event in found if event is not None))
    for path, _event in found:  # every page current: the steady state
        client.get(path)
    renders, fresh, saves = defaultdict(list), [], []
    for number in range(arguments.saves):
        saves.append(save(events[(number * 7) % len(events)], number + 1, ahead=arguments.prerender))
        count = 0
        for path, event in found:
            response, queries, cpu, wall = request(client, path)
            if response["X-Page-Cache"] != "hit":
                count += 1
                renders[kind(path, event)].append((queries, cpu, wall, path))
        fresh.append(count)
    print(f"{len(found)} pages, {len(events)} events; {arguments.saves} saves")
    queries, wall = statistics.median(q for q, _w in saves), statistics.median(w for _q, w in saves)
    print(f"the save itself: {queries} queries, {wall:.0f} ms")
    print(f"pages made fresh per save: {fresh}")
    print("| page | renders per save | queries | CPU ms (median) | wall ms (median) | example |")
    print("|---|---:|---:|---:|---:|---|")
    for name, found_renders in sorted(renders.items(), key=lambda item: -sum(r[1] for r in item[1])):
        print(
            f"| {name} | {len(found_renders) / arguments.saves:.1f} "
            f"| {statistics.median(r[0] for r in found_renders):.0f} "
            f"| {statistics.median(r[1] for r in found_renders):.0f} "
            f"| {statistics.median(r[2] for r in found_renders):.0f} | `{found_renders[0][3]}` |"
        )
    total = sum(r[1] for found_renders in renders.values() for r in found_renders) / arguments.saves
    print(f"CPU of the renders one save causes: {total:.0f} ms")


if __name__ == "__main__":
    main()
