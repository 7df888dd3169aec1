"""``manage.py load_demo``: registration's (which runs the events' first), then the site pages'
example (pages/demo.py). Takes their place because pages comes first in INSTALLED_APPS; when the
demo commands are merged into one, ``pages.demo.load()`` is the one line to call."""

from registration.management.commands.load_demo import Command as RegistrationDemoCommand

from ... import demo


class Command(RegistrationDemoCommand):
    help = RegistrationDemoCommand.help + " Adds the example legal pages and accessibility statement."

    def handle(self, *args, **options):
        super().handle(*args, **options)
        pages = demo.load()
        self.stdout.write(f"  Site pages: {', '.join(page.title_de for page in pages)} (example data, marked).")
