"""``manage.py load_demo``: the events' demo content (events/demo/loader.py)
and the built-in registration form of the sample citizens' meeting (registration/demo.py).

This command takes the place of the events app's one of the same name because the registration
app comes first in INSTALLED_APPS; it runs that one, then adds what registration brings, so
that the events app never has to know about registration. Idempotent, like the events' part.
"""

from events.demo.loader import Command as EventsDemoCommand

from ... import demo


class Command(EventsDemoCommand):
    help = EventsDemoCommand.help + " Adds the built-in registration form of the sample citizens' meeting."

    def handle(self, *args, **options):
        super().handle(*args, **options)
        form = demo.load()
        if form is not None:
            self.stdout.write(
                f"  Registration form: {form.event.title_de} – {form.capacity} places, "
                f"{form.quotas.count()} city quotas, {form.workshop_seats.count()} workshops with seats."
            )
