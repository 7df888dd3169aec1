"""A material's file: what it is (validation.py) kept on the material, photos stored without
their metadata (events/images.py), and files no longer used removed once the transaction
commits — a replaced file, a deleted material's file, with a photo's renditions.

"No longer used" means: no material names the file, and no version in the event's history
(django-reversion) does either. Restoring an older version of the event, "like the rest of the
event", brings a deleted material back with its file, which therefore stays while a version
names it — as an event's poster does (events/images.py, ``in_history``). Once the history no
longer names it (a superuser purged it), ``manage.py remove_unused_files``, run nightly,
removes it: deleted files and replaced versions then leave nothing behind."""

import contextlib
import logging
from pathlib import Path, PurePosixPath

from django.core.files.base import ContentFile
from django.db import models
from django.db.models.fields.files import FieldFile

from events.images import in_history, remove_unused_files, sweep_folder, without_metadata

from . import validation
from .models import Material

logger = logging.getLogger(__name__)


def attach(material, upload):
    """Check ``upload`` (a ValidationError in the reader's language when it is refused) and give
    it to ``material``: its format, size and, for a PDF, the accessibility check. A photo is
    given re-encoded without EXIF (GPS position, camera) and turned upright. Stored when the
    material is saved, under a safe name with the extension of its real type."""
    kind = validation.file_type(upload)
    name = getattr(upload, "name", "") or "document"
    if kind.is_image:
        data, _extension = without_metadata(upload)
        upload = ContentFile(data, name=name)
    material.format_label = kind.label
    material.format_extension = kind.extension
    material.media_type = kind.media_type
    material.size = upload.size
    if kind.is_pdf:
        upload.seek(0)
        problems = validation.check_pdf_accessibility(upload.read())
        upload.seek(0)
        material.accessibility = (
            Material.Accessibility.NOT_ACCESSIBLE if problems else Material.Accessibility.ACCESSIBLE
        )
        material.accessibility_problems = " ".join(problems)
    else:
        material.accessibility = Material.Accessibility.NOT_APPLICABLE
        material.accessibility_problems = ""
    material.file = upload
    return material


def forget_link(material):
    """A material that became a link keeps no file description."""
    material.format_label = material.format_extension = material.media_type = ""
    material.size = 0
    material.accessibility = material.accessibility_problems = ""


def _remember(sender, instance, **kwargs):
    """The name of the file a material had when read (a name from the database, a field file
    once saved; a new file given to the constructor is not stored yet)."""
    value = instance.__dict__.get("file")
    stored = isinstance(value, str | FieldFile)
    instance._stored_file_name = (getattr(value, "name", value) if stored else "") or ""


def _after_save(sender, instance, raw=False, **kwargs):
    old = getattr(instance, "_stored_file_name", "")
    new = instance.file.name or ""
    if old and old != new and not raw:
        remove_unused(old)
    instance._stored_file_name = new


def _after_delete(sender, instance, **kwargs):
    if instance.file.name:
        remove_unused(instance.file.name)


def remove_unused(name):
    """Once the transaction commits (a rolled-back change keeps its file), delete the file
    ``name`` and a photo's renditions, unless a material or a version of one still names it."""
    remove_unused_files(Material._meta.get_field("file").storage, name, in_use=in_use, then=remove_empty_folder)


def in_use(name):
    """Whether a material names the file ``name``, or a version of one in the history."""
    return Material.objects.filter(file=name).exists() or in_history([Material], name)


def connect():
    sweep_folder("materials", in_use, then=remove_empty_folder)
    models.signals.post_init.connect(_remember, sender=Material, dispatch_uid="materials-remember-file")
    models.signals.post_save.connect(_after_save, sender=Material, dispatch_uid="materials-replaced-file")
    models.signals.post_delete.connect(_after_delete, sender=Material, dispatch_uid="materials-deleted-file")


def remove_empty_folder(storage, name):
    """The file's own random folder, once empty, on a storage with folders (local disk; object
    storage has none to leave behind)."""
    try:
        folder = Path(storage.path(str(PurePosixPath(name).parent)))
    except NotImplementedError:
        return
    with contextlib.suppress(OSError):  # not empty, or already gone
        folder.rmdir()
