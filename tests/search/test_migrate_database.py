"""``migrate --database other`` gives the events of that database their search documents there
(search.receivers.index_missing honours the alias it is given): a site kept in a second database
finds its events after its migration."""

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
# An event of the second database without a document, as one from before the search (its save
# builds documents in the default database only).
category = Category.objects.using("other").create(code="quattropole", name_de="QuattroPole", name_fr="QuattroPole")
event = EventFactory.build(title_de="Nur in der zweiten Datenbank", category=category, venue=None)
event.save(using="other")
before = list(SearchDocument.objects.using("other").values_list("title_de", flat=True))
call_command("migrate", database="other", verbosity=0)
after = list(SearchDocument.objects.using("other").values_list("title_de", flat=True))
print(json.dumps({"before": before, "after": after, "default": SearchDocument.objects.count()}))
"""


def run(tmp_path, code):
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.search.two_databases",
        "TEST_DATABASE_DEFAULT": str(tmp_path / "default.sqlite3"),
        "TEST_DATABASE_OTHER": str(tmp_path / "other.sqlite3"),
    }
    answer = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=environment, capture_output=True, text=True, timeout=300
    )
    assert answer.returncode == 0, answer.stderr
    return json.loads(answer.stdout.splitlines()[-1])


def test_migrating_a_second_database_builds_the_documents_of_its_events_there(tmp_path):
    documents = run(tmp_path, SCRIPT)
    assert documents == {"before": [], "after": ["Nur in der zweiten Datenbank"], "default": 0}
