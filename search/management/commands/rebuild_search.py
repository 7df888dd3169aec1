"""``manage.py rebuild_search``: the search documents of every event written anew, after content
was loaded without signals (``make_sample_events``' bulk inserts, ``loaddata``). Saves keep them
in step by themselves (search/receivers.py)."""

import time

from django.core.management.base import BaseCommand

from events.models import Event
from search import index


class Command(BaseCommand):
    help = "Write the search documents of every event anew (after a bulk import)."

    def add_arguments(self, parser):
        parser.add_argument("--missing", action="store_true", help="Only the events that have no document yet.")

    def handle(self, *args, missing=False, **options):
        events = Event.objects.all()
        if missing:
            events = events.filter(search_document__isnull=True)
        started = time.monotonic()
        ids = list(events.values_list("pk", flat=True))
        index.rebuild(ids)
        self.stdout.write(f"{len(ids)} search documents written in {time.monotonic() - started:.1f} s.")
