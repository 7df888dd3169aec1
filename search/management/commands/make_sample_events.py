"""``manage.py make_sample_events N``: the events app's sample events (events/management/commands/
make_sample_events.py), with their search documents. Written in bulk, the events send no signals:
this command, which takes the events app's place (Django runs the command of the app listed first
in INSTALLED_APPS, and search comes before events), writes their documents afterwards, so that the
benchmark's searches find them without ``manage.py rebuild_search``."""

import time

from events.management.commands.make_sample_events import Command as SampleEventsCommand
from events.models import Event
from search import index


class Command(SampleEventsCommand):
    help = SampleEventsCommand.help + " Their search documents are written too."

    def handle(self, *args, **options):
        super().handle(*args, **options)
        started = time.monotonic()
        ids = list(Event.objects.filter(search_document__isnull=True).values_list("pk", flat=True))
        index.rebuild(ids)
        self.stdout.write(f"{len(ids)} search documents written in {time.monotonic() - started:.1f} s.")
