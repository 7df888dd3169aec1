"""In-process measurements for `make bench`: SQL queries and server CPU per page, uncached.

Run with the benchmark's environment (DATABASE_URL naming the sample database, DEBUG off, the page
cache off); prints one JSON object: {path: {"queries": n, "cpu_ms": median, "status": code}}.
CPU is process time (not wall time), so a busy machine changes it little.

    DATABASE_URL=… .venv/bin/python scripts/measure_pages.py /de/ /de/veranstaltungen/ …
    DATABASE_URL=… .venv/bin/python scripts/measure_pages.py --explain /de/veranstaltungen/ …

With --explain (PostgreSQL only), prints each page's queries with their plans instead; with
--breakdown, for an event page, the CPU of its phases: finding the event with its programme (the
database layer), the context, and the template; and the whole request with an empty template.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quattropole_site.settings")
os.environ["DJANGO_PAGE_CACHE"] = "false"

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_CPU_ROUNDS", "200"))


def measure(client, path):
    for _warm_up in range(20):
        response = client.get(path)
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    queries = len(captured.captured_queries)  # read now: the next request clears the log
    cpu, wall = [], []
    for _round in range(ROUNDS):
        started, started_wall = time.process_time(), time.perf_counter()
        client.get(path)
        cpu.append(time.process_time() - started)
        wall.append(time.perf_counter() - started_wall)
    return {
        "status": response.status_code,
        "queries": queries,
        "cpu_ms": round(statistics.median(cpu) * 1000, 2),
        "wall_ms": round(statistics.median(wall) * 1000, 2),
    }


def cpu_median(function):
    for _warm_up in range(20):
        function()
    times = []
    for _round in range(ROUNDS):
        started = time.process_time()
        function()
        times.append(time.process_time() - started)
    return round(statistics.median(times) * 1000, 2)


def breakdown(path):
    """CPU of an event page's phases, each measured alone (their sum is a little less than the
    whole request, which adds the middleware and the response)."""
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory
    from django.urls import resolve
    from django.utils import translation

    match = resolve(path)
    translation.activate(translation.get_language_from_path(path))
    request = RequestFactory(HTTP_HOST="127.0.0.1").get(path)
    request.user = AnonymousUser()

    def view():
        instance = match.func.view_class(**match.func.view_initkwargs)
        instance.setup(request, *match.args, **match.kwargs)
        return instance

    page = view()
    page.object = page.get_object()
    context = page.get_context_data(object=page.object)
    phases = {
        "database": cpu_median(lambda: view().get_object()),
        "context": cpu_median(lambda: page.get_context_data(object=page.object)),
        "template": cpu_median(lambda: page.render_to_response(context).render()),
    }
    # The whole request with an empty template: what the page would cost with a free template
    # (the request handling, the middleware, the database layer and the context).
    view_class = match.func.view_class
    original = view_class.render_to_response
    view_class.render_to_response = lambda self, context, **kwargs: HttpResponse()
    client = Client(HTTP_HOST="127.0.0.1")
    try:
        phases["without_template"] = cpu_median(lambda: client.get(path))
    finally:
        view_class.render_to_response = original
    return phases


def explain(client, path):
    """PostgreSQL's plans (EXPLAIN ANALYZE) of the queries one uncached request of ``path`` runs."""
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    plans = []
    for query in list(captured.captured_queries):
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING ON, SUMMARY ON) " + query["sql"])
            plans.append({"sql": query["sql"], "plan": "\n".join(row[0] for row in cursor.fetchall())})
    return plans


def main(arguments):
    client = Client(HTTP_HOST="127.0.0.1")
    if arguments[:1] == ["--explain"]:
        print(json.dumps({path: explain(client, path) for path in arguments[1:]}))
    elif arguments[:1] == ["--breakdown"]:
        print(json.dumps({path: breakdown(path) for path in arguments[1:]}))
    else:
        print(json.dumps({path: measure(client, path) for path in arguments}))


if __name__ == "__main__":
    main(sys.argv[1:])
