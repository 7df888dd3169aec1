"""``manage.py anonymise_registrations``: empties the personal data of the registrations of
events that ended more than N months ago (settings.REGISTRATION_RETENTION_MONTHS, default 6;
``--months`` overrides it). What remains still counts in the statistics. Idempotent: run it
daily, e.g. from a systemd timer or cron. ``--dry-run`` only says how many it would anonymise."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ...models import Registration
from ...services import retention


class Command(BaseCommand):
    help = "Anonymise the registrations of events that ended more than N months ago (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--months",
            type=int,
            default=None,
            help=f"Months after the end of an event (default: REGISTRATION_RETENTION_MONTHS, "
            f"{settings.REGISTRATION_RETENTION_MONTHS}).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Only count what would be anonymised.")

    def handle(self, *args, months=None, dry_run=False, **options):
        months = settings.REGISTRATION_RETENTION_MONTHS if months is None else months
        if months < 0:
            raise CommandError("--months cannot be negative.")
        before = retention.months_ago(timezone.now(), months)
        if dry_run:
            count = Registration.objects.filter(event__end__lt=before, anonymised_at__isnull=True).count()
            self.stdout.write(
                f"{count} registration(s) of events that ended before {before:%Y-%m-%d} would be anonymised."
            )
            return
        count = retention.anonymise(months=months)
        self.stdout.write(f"{count} registration(s) of events that ended before {before:%Y-%m-%d} anonymised.")
