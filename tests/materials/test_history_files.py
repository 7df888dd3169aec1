"""Restoring a deleted material from the event's history brings its file back: a file stays
while a material or a stored version names it, and goes once neither does (materials/files.py,
``manage.py remove_unused_files``). Event posters behave the same."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from reversion import create_revision
from reversion.models import Revision, Version

from events.models import Event
from materials import files
from materials.models import Material
from materials.pdf import tagged_pdf
from tests.factories import conference_2017

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def saved_in_history(event):
    with create_revision():
        Event.objects.get(pk=event.pk).save()


def download(material_or_name):
    """What a visitor downloading the file gets: its content, or None when it is gone (read from
    the storage, which the web server serves from in production)."""
    name = getattr(getattr(material_or_name, "file", None), "name", material_or_name)
    if not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as file:
        return file.read()


def sweep(capture):
    with capture(execute=True):  # the command removes on commit: at once outside a test's transaction
        call_command("remove_unused_files", verbosity=0)


def test_a_deleted_material_restored_from_the_history_downloads_again(django_capture_on_commit_callbacks):
    event = conference_2017()
    pdf = tagged_pdf("Protokoll", ["Seite 1"], "de")
    with django_capture_on_commit_callbacks(execute=True):
        made = Material(event=event, kind="minutes", title_de="Protokoll")
        files.attach(made, ContentFile(pdf, name="protokoll.pdf"))
        made.save()
    name = made.file.name
    saved_in_history(event)
    with django_capture_on_commit_callbacks(execute=True):
        made.delete()
    assert download(name) == pdf  # a version names it: kept

    [version] = Version.objects.get_for_object(event)
    with django_capture_on_commit_callbacks(execute=True):
        version.revision.revert(delete=True)
    restored = Material.objects.get(event=event)
    assert restored.file.name == name
    assert download(restored) == pdf
    assert f'href="{restored.file.url}"' in Client().get(event.get_absolute_url("de")).content.decode()


def test_a_file_no_record_and_no_version_names_is_removed_by_the_nightly_sweep(django_capture_on_commit_callbacks):
    event = conference_2017()
    with django_capture_on_commit_callbacks(execute=True):
        kept = Material(event=event, title_de="Bleibt")
        files.attach(kept, ContentFile(tagged_pdf("Bleibt", ["1"], "de"), name="bleibt.pdf"))
        kept.save()
        gone = Material(event=event, title_de="Geht")
        files.attach(gone, ContentFile(tagged_pdf("Geht", ["1"], "de"), name="geht.pdf"))
        gone.save()
    saved_in_history(event)
    storage, name = gone.file.storage, gone.file.name
    with django_capture_on_commit_callbacks(execute=True):
        gone.delete()
    sweep(django_capture_on_commit_callbacks)
    assert storage.exists(name)  # still in the history

    Revision.objects.all().delete()  # a superuser purges the history (deleterevisions)
    sweep(django_capture_on_commit_callbacks)
    assert not storage.exists(name)
    assert storage.listdir("materials") == ([kept.file.name.split("/")[1]], [])  # its folder gone too
    assert download(kept) is not None


def test_a_material_replaced_in_a_later_save_keeps_the_file_an_older_version_names(django_capture_on_commit_callbacks):
    event = conference_2017()
    first_pdf = tagged_pdf("Entwurf", ["1"], "de")
    with django_capture_on_commit_callbacks(execute=True):
        made = Material(event=event, title_de="Folien")
        files.attach(made, ContentFile(first_pdf, name="entwurf.pdf"))
        made.save()
    saved_in_history(event)
    first = made.file.name
    with django_capture_on_commit_callbacks(execute=True):
        files.attach(made, ContentFile(tagged_pdf("Endfassung", ["1"], "de"), name="endfassung.pdf"))
        made.save()
    assert download(first) == first_pdf
    Revision.objects.all().delete()
    sweep(django_capture_on_commit_callbacks)
    assert download(first) is None
    assert download(made) is not None
