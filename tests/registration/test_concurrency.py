"""No overbooking under concurrency: 60 registrations sent at the same moment from 60 threads,
each through the real form (its own request and database connection), for 40 places with 10
per city (15 arriving per city), and for a workshop of 20 seats.

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

from registration.models import Email, Registration

from .factories import event_with_form, member_cities

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 60
CITIES = ["luxembourg", "metz", "saarbruecken", "trier"]

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="threads on SQLite's in-memory test database share one connection cache; "
    "see test_sqlite_file_database_serialises_registrations (runs on SQLite)",
)


def post_all(url, data_for):
    """POSTs ``data_for(i)`` for i in 0‥59 from 60 threads released together; returns
    (i, status code) in the order the threads were started."""
    barrier = threading.Barrier(THREADS)

    def submit(i):
        client = Client(REMOTE_ADDR=f"198.51.100.{i + 1}")
        try:
            barrier.wait(timeout=60)
            return i, client.post(url, data_for(i)).status_code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        return list(pool.map(submit, range(THREADS)))


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
    waiting = list(Registration.objects.waiting_list().filter(event=event))
    assert len(waiting) == expected
    # Arrival order is the order in which the lock was obtained: ids are given under the lock.
    assert [r.pk for r in waiting] == sorted(r.pk for r in waiting)
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
    confirmed = registrations.filter(status="confirmed")
    assert confirmed.count() == 40
    for city in cities.values():
        from_city = list(registrations.filter(city=city).order_by("id"))
        assert len(from_city) == 15
        # The first ten to arrive from each city have its ten places.
        assert [r.status for r in from_city] == ["confirmed"] * 10 + ["waitlisted"] * 5
    assert_waiting_list_in_arrival_order(event, 20)


@postgresql_only
def test_sixty_at_once_for_a_workshop_of_twenty_seats():
    member_cities()
    event = event_with_form(workshops=["Werkstatt"], seats={"Werkstatt": 20})
    workshop = event.workshops_by_title["Werkstatt"]
    results = post_all(event.page_url("registration:register", "fr"), lambda i: person(i, workshop=str(workshop.pk)))

    assert [status for _i, status in results] == [302] * THREADS
    registrations = list(Registration.objects.filter(event=event).order_by("id"))
    assert [r.status for r in registrations] == ["confirmed"] * 20 + ["waitlisted"] * 40
    assert Registration.objects.filter(workshops=workshop, status="confirmed").count() == 20
    assert_waiting_list_in_arrival_order(event, 40)


SQLITE_SCENARIO = """
import json, threading
from concurrent.futures import ThreadPoolExecutor
import django
django.setup()
from django.core.management import call_command
from django.db import connections
call_command("migrate", verbosity=0)
from registration import services
from registration.models import Registration
from tests.registration.factories import event_with_form, member_cities
from tests.registration.conftest import answers

cities = list(member_cities().values())
event = event_with_form(capacity=40, quotas={city: 10 for city in cities}, other_places=0)
barrier = threading.Barrier(60)

def submit(i):
    try:
        barrier.wait(timeout=60)
        return services.register(event, answers(cities[i % 4]), language="de", join_waiting_list=True).status
    except Exception as error:
        return f"error: {error!r}"
    finally:
        connections.close_all()

with ThreadPoolExecutor(60) as pool:
    outcomes = list(pool.map(submit, range(60)))
per_city = {city.code: Registration.objects.filter(city=city, status="confirmed").count() for city in cities}
waiting = list(Registration.objects.waiting_list().values_list("id", flat=True))
print(json.dumps({"outcomes": outcomes, "per_city": per_city, "waiting": waiting}))
"""


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite variant of the two tests above")
def test_sqlite_file_database_serialises_registrations(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'concurrency.sqlite3'}",
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
    assert sorted(report["outcomes"]) == ["confirmed"] * 40 + ["waitlisted"] * 20, report["outcomes"]
    assert report["per_city"] == {"luxembourg": 10, "metz": 10, "saarbruecken": 10, "trier": 10}
    assert report["waiting"] == sorted(report["waiting"]) and len(report["waiting"]) == 20
