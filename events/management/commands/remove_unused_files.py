"""Removes the uploaded files that no record and no stored version of the history names any more
(posters, people's photos, the materials' documents, with their renditions).

A file is removed when its record is deleted or its file replaced, unless a version in the
history still names it (restoring that version brings it back: events/images.py,
``image_in_use`` and ``in_history``). Once the history is purged (a superuser's
``manage.py deleterevisions``), those files are used by no one: this command removes them. Safe
to run again; run nightly by deploy/quattropole-anonymise.service, after the retention job."""

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand

from events.images import RENDITIONS_DIR, UPLOAD_FOLDERS, remove_unused_files, unused_files


class Command(BaseCommand):
    help = "Remove the uploaded files that no record and no version in the history names any more."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List the files, remove nothing.")

    def handle(self, *args, dry_run=False, verbosity=1, **options):
        count = 0
        for folder, (in_use, then) in sorted(UPLOAD_FOLDERS.items()):
            if folder == RENDITIONS_DIR:
                continue
            for name in list(unused_files(default_storage, folder, in_use)):
                count += 1
                if verbosity > 1 or dry_run:
                    self.stdout.write(name)
                if not dry_run:
                    # Asked again when removed (on commit: at once, outside a transaction).
                    remove_unused_files(default_storage, name, in_use=in_use, then=then)
        verb = "unused (dry run, kept)" if dry_run else "removed"
        self.stdout.write(f"{count} file(s) {verb}.")
