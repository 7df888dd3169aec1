"""``manage.py sweep_registrations``: what must happen even when nobody acts on an event —
unconfirmed registrations past their window expire and their places go to the waiting list,
an e-mail whose task was lost is queued again, and registrations never confirmed are
anonymised a day after their window (``registration.services.retention.sweep``).

Counting never waits for it (a passed window is free at once); the task worker also finalises
each window as it ends. Idempotent: run it every few minutes from a systemd timer or cron
(``--every 300`` keeps it running and repeats it, for development)."""

import time

from django.core.management.base import BaseCommand

from ...services import retention


class Command(BaseCommand):
    help = (
        "Expire unconfirmed registrations past their window, queue e-mails whose task was lost, "
        "anonymise registrations never confirmed (safe to run again; run it every few minutes)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, metavar="SECONDS", help="Repeat every SECONDS until stopped.")

    def handle(self, *args, every=None, **options):
        while True:
            expired, emails, forgotten = retention.sweep()
            self.stdout.write(
                f"{expired} unconfirmed registration(s) expired, {emails} e-mail(s) queued again, "
                f"{forgotten} unconfirmed registration(s) anonymised."
            )
            if not every:
                return
            time.sleep(every)
