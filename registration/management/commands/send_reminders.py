"""``manage.py send_reminders``: e-mails the reminder two days before an event to its confirmed
registrants, once each. Idempotent; run it regularly, e.g. every hour from a systemd timer or
cron (``--every 3600`` keeps it running and repeats it, for development)."""

import time

from django.core.management.base import BaseCommand

from ...services import notifications


class Command(BaseCommand):
    help = "Queue the reminders due two days before events (safe to run again; run it hourly)."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, metavar="SECONDS", help="Repeat every SECONDS until stopped.")

    def handle(self, *args, every=None, **options):
        while True:
            count = notifications.send_due_reminders()
            self.stdout.write(f"{count} reminder(s) queued.")
            if not every:
                return
            time.sleep(every)
