"""No overbooking under concurrency: 60 registrations sent at the same moment from 60 threads,
each through the real form (its own request and database connection), for 40 places with 10
per city (15 arriving per city), and for a workshop of 20 seats; then the 60 addresses confirmed
at the same moment. One client sending 20 at once holds no more than its limit.

On PostgreSQL the event's registration form row is locked (SELECT … FOR UPDATE) for each
registration. SQLite's in-memory test database cannot run this (its threads share one
connection cache that fails with "database table is locked" instead of waiting), so on SQLite
the same scenario runs in a subprocess against a database file, where BEGIN IMMEDIATE
(settings: transaction_mode) serialises the writers."""

import json
import os
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, connections
from django.test import Client

from registration import links
from registration.models import Email, Registration

from ..helpers import one_at_a_time
from .factories import event_with_form, member_cities

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.engines]

THREADS = 60
CITIES = ["luxembourg", "metz", "saarbruecken", "trier"]

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="threads on SQLite's in-memory test database share one connection cache; "
    "see test_sqlite_file_database_serialises_registrations (runs on SQLite)",
)


@pytest.fixture(autouse=True)
def _alone_in_the_run(tmp_path_factory):
    """60 threads hold 60 database connections at once: two of these tests side by side, in the two
    pytest-xdist workers of `make test`, would ask a server of 100 max_connections for 120. So one
    runs at a time in the whole run (the other worker waits), beside the other worker's tests."""
    with one_at_a_time(tmp_path_factory, "sixty-connections"):
        yield


def post_all(url, data_for, threads=THREADS, address=lambda i: f"198.51.100.{i + 1}"):
    """POSTs ``data_for(i)`` to ``url`` (or ``url(i)``) for i in 0‥threads-1 from as many threads
    released together; returns (i, status code) in the order the threads were started."""
    barrier = threading.Barrier(threads)

    def submit(i):
        client = Client(REMOTE_ADDR=address(i))
        try:
            barrier.wait(timeout=60)
            return i, client.post(url(i) if callable(url) else url, data_for(i)).status_code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(submit, range(threads)))


def confirm_all(event):
    """The 60 registrants press "Confirm" on their page at the same moment."""
    registrations = list(Registration.objects.filter(event=event).order_by("id"))
    assert len(registrations) == THREADS
    results = post_all(
        lambda i: links.manage_url(registrations[i], "de", "registration:confirm"), lambda i: {}, address=str
    )
    assert [status for _i, status in results] == [302] * THREADS


def person(i, **fields):
    return {
        "first_name": f"Person{i}",
        "last_name": "Parallel",
        "email": f"person{i}@example.org",
        "city": CITIES[i % 4],  # 15 from each city
        "language": "de",
        "bus": "none",
        "lunch": "no",
        "consent": "on",
        "waiting_list": "yes",
        **fields,
    }


def assert_waiting_list_in_arrival_order(event, expected):
    """The line is in the order of the confirmations (each under the lock), each told its place."""
    waiting = list(Registration.objects.waiting_list().filter(event=event))
    assert len(waiting) == expected
    confirmed_at = [r.history.get(action="address_confirmed").id for r in waiting]
    assert confirmed_at == sorted(confirmed_at)
    told = [Email.objects.get(registration=r, kind="waitlisted").position for r in waiting]
    assert told == list(range(1, expected + 1)), "each was told their true position"


@postgresql_only
def test_sixty_at_once_for_forty_places_ten_per_city():
    cities = member_cities()
    event = event_with_form(capacity=40, quotas=dict.fromkeys(cities.values(), 10), other_places=0)
    results = post_all(event.page_url("registration:register", "de"), person)

    assert [status for _i, status in results] == [302] * THREADS, "every submission answered, none failed"
    registrations = Registration.objects.filter(event=event)
    assert registrations.count() == THREADS
    assert registrations.filter(status="held").count() == 40
    for city in cities.values():
        from_city = list(registrations.filter(city=city).order_by("id"))
        assert len(from_city) == 15
        # The first ten to arrive from each city hold its ten places; the others asked for the list.
        assert [r.status for r in from_city] == ["held"] * 10 + ["pending"] * 5
    assert Email.objects.filter(kind="confirm_address").count() == THREADS, "one e-mail each, none lost"
    confirm_all(event)
    assert registrations.filter(status="confirmed").count() == 40
    for city in cities.values():
        assert registrations.filter(city=city, status="confirmed").count() == 10
    assert_waiting_list_in_arrival_order(event, 20)


@postgresql_only
def test_sixty_at_once_for_a_workshop_of_twenty_seats():
    member_cities()
    event = event_with_form(workshops=["Werkstatt"], seats={"Werkstatt": 20})
    workshop = event.workshops_by_title["Werkstatt"]
    results = post_all(event.page_url("registration:register", "fr"), lambda i: person(i, workshop=str(workshop.pk)))

    assert [status for _i, status in results] == [302] * THREADS
    registrations = list(Registration.objects.filter(event=event).order_by("id"))
    assert [r.status for r in registrations] == ["held"] * 20 + ["pending"] * 40
    confirm_all(event)
    assert Registration.objects.filter(workshops=workshop, status="confirmed").count() == 20
    assert_waiting_list_in_arrival_order(event, 40)


@postgresql_only
def test_one_client_sending_twenty_at_once_holds_three_and_everyone_else_still_registers(settings):
    settings.REGISTRATION_HOLDS_PER_CLIENT = 3
    member_cities()
    event = event_with_form(capacity=40)
    url = event.page_url("registration:register", "de")
    results = post_all(
        url, lambda i: person(i, email=f"bot{i}@example.org"), threads=20, address=lambda i: "192.0.2.66"
    )
    assert sorted(status for _i, status in results) == [302] * 3 + [429] * 17
    assert Registration.objects.filter(status="held").count() == 3
    others = post_all(url, person, threads=10)
    assert [status for _i, status in others] == [302] * 10
    assert Registration.objects.filter(status="held").count() == 13


SQLITE_SCENARIO = """
import json, threading
from concurrent.futures import ThreadPoolExecutor
import django
django.setup()
from django.db import connections
from registration.services import booking
from registration.models import Email, Registration
from tests.registration.factories import event_with_form, member_cities
from tests.registration.conftest import answers

cities = list(member_cities().values())
event = event_with_form(capacity=40, quotas={city: 10 for city in cities}, other_places=0)

def at_once(work, count=60):
    barrier = threading.Barrier(count)

    def run(i):
        try:
            barrier.wait(timeout=60)
            return work(i)
        except Exception as error:
            return f"error: {error!r}"
        finally:
            connections.close_all()

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))

requested = at_once(lambda i: booking.request_place(
    event, answers(cities[i % 4]), language="de", join_waiting_list=True, client=f"client{i}"
))
outcomes = [r if isinstance(r, str) else r.status for r in requested]
held = Registration.objects.filter(status="held").count()
confirmed = at_once(lambda i: booking.confirm_address(requested[i]).status)
per_city = {city.code: Registration.objects.filter(city=city, status="confirmed").count() for city in cities}
waiting = list(Registration.objects.waiting_list().values_list("id", flat=True))
line = [Email.objects.get(registration_id=pk, kind="waitlisted").position for pk in waiting]
one_client = event_with_form(capacity=40)
bots = at_once(lambda i: booking.request_place(one_client, answers(cities[0]), language="de", client="bot").status, 20)
print(json.dumps({"outcomes": outcomes, "held": held, "confirmed": confirmed, "per_city": per_city,
                  "line": line, "bots": bots}))
"""


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite variant of the two tests above")
def test_sqlite_file_database_serialises_registrations(tmp_path, production_build):
    env = {
        **os.environ,
        "DATABASE_URL": production_build.sqlite(tmp_path, demo=False),  # migrated, no content
        "DJANGO_SETTINGS_MODULE": "quattropole_site.settings",
        "PYTHONPATH": str(Path(settings.BASE_DIR)),
    }
    result = subprocess.run(
        [sys.executable, "-c", SQLITE_SCENARIO],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert sorted(report["outcomes"]) == ["held"] * 40 + ["pending"] * 20, report["outcomes"]
    assert report["held"] == 40
    assert sorted(report["confirmed"]) == ["confirmed"] * 40 + ["waitlisted"] * 20, report["confirmed"]
    assert report["per_city"] == {"luxembourg": 10, "metz": 10, "saarbruecken": 10, "trier": 10}
    assert report["line"] == list(range(1, 21))
    assert sorted(report["bots"]) == ["error: TooManyUnconfirmed()"] * 17 + ["held"] * 3, report["bots"]
