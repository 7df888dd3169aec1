"""``manage.py load_demo``: the site's demo content, each app's part in the order of the layers —
the events' (events/demo/: the 2017 conference, the sample events, their posters), then
registration's (registration/demo.py: the sample citizens' meeting's registration form), which
needs the events, the site pages' (pages/demo.py: a complete, clearly marked example of every
legal page) and the search's equivalent place names (search/demo.py: Trier ⇄ Trèves, …).
``make demo`` and ``make run`` run it.

The one command of that name: it lives in the project package because only the project may import
every app (docs/architecture.md); events never imports registration. An app that brings demo
content keeps it in a ``demo`` module or package of its own and is called here, after the apps it
builds on. Safe to run again: each part is idempotent, and all of it is one transaction.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from events.demo.loader import DemoLoader
from materials import demo as materials_demo
from pages import demo as pages_demo
from registration import demo as registration_demo
from search import demo as search_demo
from search import index as search_index


class Command(BaseCommand):
    help = (
        "Load the demo content: the 2017 QuattroPole conference, sample events and the sample citizens' "
        "meeting's registration form (safe to run again)."
    )

    def add_arguments(self, parser):
        posters = parser.add_mutually_exclusive_group()
        posters.add_argument(
            "--redraw-posters", action="store_true", help="Draw the demo posters again even if they exist."
        )
        posters.add_argument(
            "--no-posters", action="store_true", help="Leave the posters as they are (faster, e.g. in tests)."
        )

    def handle(self, *args, redraw_posters=False, no_posters=False, **options):
        events_demo = DemoLoader(redraw_posters=redraw_posters, no_posters=no_posters)
        # The search documents of the events loaded rebuilt once each, at the end, before the
        # transaction commits, rather than at every save of an event, slot, speaker or workshop.
        with transaction.atomic(), search_index.collecting():
            events = events_demo.load()
            materials = materials_demo.load()
            form = registration_demo.load()
            site_pages = pages_demo.load()
            places = search_demo.load()
        first, *rest = events_demo.summary(events)
        self.stdout.write(self.style.SUCCESS(first))
        for line in rest:
            self.stdout.write(line)
        if form is not None:
            self.stdout.write(
                f"  Registration form: {form.event.title_de} – {form.capacity} places, "
                f"{form.quotas.count()} city quotas, {form.workshop_seats.count()} workshops with seats."
            )
        if materials:
            self.stdout.write(f"  Documentation: {len(materials)} materials of the 2017 conference.")
        self.stdout.write(f"  Site pages: {', '.join(page.title_de for page in site_pages)} (example data, marked).")
        self.stdout.write(f"  Search: {len(places)} places with their names in French, German and Luxembourgish.")
