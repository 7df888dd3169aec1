"""A site kept in a second database finds its events: ``migrate --database other`` gives the
events of that database their search documents there (search.receivers.index_missing honours the
alias it is given), and a save in that database keeps its documents in step there, not in the
default database (search.receivers.changed honours the signal's ``using``), on both engines."""

import json
import os
import subprocess
import sys

import pytest

from devtools.servers import BASE_DIR

pytestmark = pytest.mark.processes

SCRIPT = """
import json

import django

django.setup()
from django.core.management import call_command

from events.models import Category
from search.models import SearchDocument
from tests.factories import EventFactory

for alias in ("default", "other"):
    call_command("migrate", database=alias, verbosity=0)
# An event of the second database without a document, as one from before the search.
category = Category.objects.using("other").create(code="quattropole", name_de="QuattroPole", name_fr="QuattroPole")
event = EventFactory.build(title_de="Nur in der zweiten Datenbank", category=category, venue=None)
event.save(using="other")
SearchDocument.objects.using("other").delete()
before = list(SearchDocument.objects.using("other").values_list("title_de", flat=True))
call_command("migrate", database="other", verbosity=0)
after = list(SearchDocument.objects.using("other").values_list("title_de", flat=True))
print(json.dumps({"before": before, "after": after, "default": SearchDocument.objects.count()}))
"""


def sqlite_files(tmp_path, production_build):
    """Two SQLite files, each a copy of the run's migrated database without content (migrating
    them again in the scripts applies nothing: one `migrate` per run, not two per test)."""
    return {
        alias: production_build.sqlite(tmp_path, demo=False, name=f"{alias}.sqlite3") for alias in ("default", "other")
    }


def run(code, databases):
    """Runs ``code`` with the settings of two_databases.py; ``databases``: {alias: URL}. Returns
    what its last line printed, as JSON."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.search.two_databases",
        **{f"TEST_DATABASE_{alias.upper()}": url for alias, url in databases.items()},
    }
    answer = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=environment, capture_output=True, text=True, timeout=300
    )
    assert answer.returncode == 0, answer.stderr
    return json.loads(answer.stdout.splitlines()[-1])


def test_migrating_a_second_database_builds_the_documents_of_its_events_there(tmp_path, production_build):
    documents = run(SCRIPT, sqlite_files(tmp_path, production_build))
    assert documents == {"before": [], "after": ["Nur in der zweiten Datenbank"], "default": 0}


SAVES = """
import json

import django

django.setup()
from django.core.management import call_command
from django.db import transaction

from events.models import Category
from search import index
from search.models import SearchDocument
from tests.factories import CityFactory, EventFactory, PersonFactory, ProgrammeSlotFactory

for alias in ("default", "other"):
    call_command("migrate", database=alias, verbosity=0)


def event_in(alias, title):
    category = Category.objects.using(alias).create(code="quattropole", name_de="QuattroPole", name_fr="QuattroPole")
    event = EventFactory.build(title_de=title, category=category, venue=None)
    event.save(using=alias)
    return event


event_in("default", "Grenzgänger in der ersten Datenbank")
event = event_in("other", "Grenzgänger in der zweiten Datenbank")  # the same id, in its own database
ProgrammeSlotFactory.build(event=event, title_de="Podium der Bürgermeister").save(using="other")
city = CityFactory.build(code="metz", name_de="Metz", name_fr="Metz")
city.save(using="other")
event.cities.add(city)
person = PersonFactory.build(name="Erika Muster")
person.save(using="other")
event.moderator = person
event.save(using="other")
person.name = "Erika Mustermann"
person.save(using="other")
with transaction.atomic(using="other"), index.collecting():  # as the admin saves
    event.title_de = "Grenzgänger: die zweite Datenbank"
    event.save(using="other")
print(json.dumps({
    alias: [[d.title_de, d.text_de.splitlines()] for d in SearchDocument.objects.using(alias).order_by("pk")]
    for alias in ("default", "other")
}))
"""


@pytest.fixture(params=["sqlite", "postgresql"])
def two_databases(request, tmp_path):
    """{alias: URL} of two migrated databases of the engine, without content (copies of the run's
    migrated database: tests/conftest.py's ``production_build``, ``postgres_demo``)."""
    if request.param == "sqlite":
        return sqlite_files(tmp_path, request.getfixturevalue("production_build"))
    server, migrated = request.getfixturevalue("postgres_server"), request.getfixturevalue("postgres_demo").migrated_sql
    for alias in ("default", "other"):
        server.create_database(alias)
        server.load(alias, migrated)
    return {alias: server.url(alias) for alias in ("default", "other")}


def test_saves_in_a_second_database_keep_its_documents_in_step_there(tmp_path, two_databases):
    documents = run(SAVES, two_databases)
    assert [title for title, _ in documents["default"]] == ["Grenzgänger in der ersten Datenbank"]
    ((title, lines),) = documents["other"]
    assert title == "Grenzgänger: die zweite Datenbank"
    # The programme, the city and the moderator's new name, each saved in that database.
    assert {"Podium der Bürgermeister", "Metz", "Erika Mustermann, Forscherin, Universität des Saarlandes"} <= set(
        lines
    )
