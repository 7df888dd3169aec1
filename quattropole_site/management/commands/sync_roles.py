"""``manage.py sync_roles``: gives the Sekretariat group exactly the permissions the apps define
(quattropole_site/roles.py), e.g. after someone changed it by hand. ``migrate`` does the same."""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from quattropole_site import roles


class Command(BaseCommand):
    help = "Gives the Sekretariat group exactly the permissions the apps define (quattropole_site/roles.py)."

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default", help="The database to sync (default: default).")

    def handle(self, *args, database, **options):
        try:
            added, removed = roles.sync_roles(using=database)
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        for name in added:
            self.stdout.write(f"+ {name}")
        for name in removed:
            self.stdout.write(f"- {name}")
        self.stdout.write(
            self.style.SUCCESS(f"{roles.SECRETARIAT}: {len(added)} permission(s) added, {len(removed)} removed.")
        )
