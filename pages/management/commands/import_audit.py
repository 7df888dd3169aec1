"""``manage.py import_audit [results.json]``: stores the results of ``make audit``
(test-artifacts/audit/results.json by default) for the accessibility statement, whose status is
then computed from them (pages/accessibility.py)."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_datetime

from ...accessibility import AuditFileError, import_results


class Command(BaseCommand):
    help = "Imports make audit's results (test-artifacts/audit/results.json) for the accessibility statement."

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", default=str(settings.BASE_DIR / "test-artifacts" / "audit" / "results.json")
        )
        parser.add_argument("--date", help="When the audit ran (ISO 8601); default: the file's modification time.")

    def handle(self, *args, path, date=None, **options):
        performed_at = None
        if date:
            performed_at = parse_datetime(date)
            if performed_at is None:
                raise CommandError(f"--date {date!r} is not a date and time (e.g. 2026-12-06T18:00:00+01:00).")
            if performed_at.tzinfo is None:
                performed_at = performed_at.replace(tzinfo=datetime.UTC)
        try:
            run = import_results(path, performed_at=performed_at)
        except AuditFileError as error:
            raise CommandError(str(error)) from error
        findings = run.findings.filter(accessibility=True).count()
        self.stdout.write(
            f"Imported the audit of {run.performed_at:%Y-%m-%d %H:%M}: {run.pages.count()} pages, "
            f"{findings} accessibility findings."
        )
