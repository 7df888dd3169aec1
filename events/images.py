"""Uploaded images, in one place: validation, metadata removal and renditions.

- ``check_image`` / ``validate_image`` accept only a real JPEG, PNG or WebP (Pillow decides from
  the content, never from the file name), at most MAX_FILE_BYTES large and MAX_PIXELS big, so a
  decompression bomb is refused from its header before it is decoded.
- ``CleanImageField`` stores every image it is given (admin upload, demo loader, shell) turned
  upright and re-encoded without its metadata (EXIF with the GPS position, XMP, comments; the
  colour profile stays), then makes its renditions.
- ``picture`` describes the renditions of a stored image for the ``responsive_image`` template
  tag. It makes them when they are missing and returns None when the image file is gone.

Renditions live under MEDIA_ROOT/renditions/, one folder per image with each width in WebP and in
the image's own format, and a manifest (renditions.json) that saves reading the images again.

When an image is replaced or its record deleted, the old file and its renditions are removed once
the transaction commits — unless another record still uses the same file (an event duplicated
with "Duplicate as new draft" shares its poster). django-cleanup would delete a shared file, hence
the few lines of our own (``remove_unused_files``).
"""

import io
import json
import logging
import warnings
from dataclasses import dataclass
from pathlib import PurePosixPath

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
RENDITION_WIDTHS = (480, 800, 1200)
RENDITIONS_DIR = "renditions"
MANIFEST = "renditions.json"

# Pillow's name of an accepted format → (format written, file extension, media type).
FORMATS = {
    "JPEG": ("JPEG", "jpg", "image/jpeg"),
    "MPO": ("JPEG", "jpg", "image/jpeg"),  # a camera's multi-picture JPEG: the first picture is kept
    "PNG": ("PNG", "png", "image/png"),
    "WEBP": ("WEBP", "webp", "image/webp"),
}
OPENERS = ["JPEG", "PNG", "WEBP"]  # Pillow's JPEG opener also returns MPO images
ENCODER_OPTIONS = {
    "JPEG": {"quality": 88, "optimize": True, "progressive": True},
    "PNG": {},
    "WEBP": {"quality": 82, "method": 4},
}

NOT_AN_IMAGE = _("Upload a JPEG, PNG or WebP image. This file is not one, or it is damaged.")
FILE_TOO_LARGE = _("This file is %(size)s MB; an image may be at most %(limit)s MB.")
TOO_MANY_PIXELS = _("This image has too many pixels; an image may have at most %(limit)s megapixels.")


# --- Validation ---------------------------------------------------------------------------


def _too_many_pixels():
    return ValidationError(TOO_MANY_PIXELS, code="too_many_pixels", params={"limit": MAX_PIXELS // 1_000_000})


def _open(file):
    """``file`` opened by Pillow (only its header is read), or a ValidationError when it is not
    an accepted format or has more than MAX_PIXELS pixels. Use it in ``with``: leaving that
    leaves ``file`` open for its owner, where Image.close() would close it."""
    file.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its own limit and twice that; here both are refusals.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(file, formats=OPENERS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_many_pixels() from error
    except Exception as error:  # Pillow raises many kinds for a file it cannot read
        raise ValidationError(NOT_AN_IMAGE, code="invalid_image") from error
    if image.width * image.height > MAX_PIXELS:
        raise _too_many_pixels()
    return image


def _decoded(file):
    """``file`` opened and fully decoded (a truncated or corrupt image fails here, not later)."""
    image = _open(file)
    try:
        image.load()
    except Exception as error:
        raise ValidationError(NOT_AN_IMAGE, code="invalid_image") from error
    return image


def _check_size(file):
    if file.size > MAX_FILE_BYTES:
        raise ValidationError(
            FILE_TOO_LARGE,
            code="file_too_large",
            params={"size": number_format(file.size / 2**20, 1), "limit": MAX_FILE_BYTES // 2**20},
        )


def check_image(file):
    """Raise a ValidationError unless ``file`` is a sound JPEG, PNG or WebP within the limits."""
    _check_size(file)
    with _open(file) as image:
        try:
            image.verify()
        except Exception as error:
            raise ValidationError(NOT_AN_IMAGE, code="invalid_image") from error
    with _decoded(file):
        pass
    file.seek(0)


def validate_image(value):
    """The field validator of CleanImageField. A file already stored was checked on its way in
    (and may be missing from disk): only a new upload is read — a file whose name is not the one
    the object had when it was read or last saved."""
    if isinstance(value, FieldFile) and not is_new_file(value):
        return
    check_image(value)


# --- Storing without metadata -------------------------------------------------------------


def _encode(image, pillow_format, icc_profile=None, transparency=None):
    options = dict(ENCODER_OPTIONS[pillow_format])
    if icc_profile:
        options["icc_profile"] = icc_profile
    if transparency is not None and pillow_format == "PNG":
        options["transparency"] = transparency
    buffer = io.BytesIO()
    image.save(buffer, pillow_format, **options)
    return buffer.getvalue()


def without_metadata(file):
    """(bytes, extension): the image in ``file`` turned upright as its EXIF orientation says and
    re-encoded in its own format, with no EXIF, XMP or comment. Checks it like check_image."""
    _check_size(file)
    with _decoded(file) as image:
        pillow_format, extension, _media_type = FORMATS[image.format]
        icc_profile = image.info.get("icc_profile")
        transparency = image.info.get("transparency")
        upright = ImageOps.exif_transpose(image)
        upright.info = {}  # nothing of the original's metadata travels to the encoder
        return _encode(upright, pillow_format, icc_profile, transparency), extension


class ImageFormField(forms.ImageField):
    """Django's image form field with our checks first, so the admin shows our messages (Django's
    own says "not a valid image" for an image that is merely too big)."""

    def to_python(self, data):
        if getattr(data, "size", 0) and hasattr(data, "seek"):  # an empty file gets Django's message
            check_image(data)
        return super().to_python(data)


class CleanImageField(models.ImageField):
    """An ImageField whose files are stored without metadata and served in renditions; give it
    ``validators=[validate_image]`` so that full_clean() refuses what is not a sound image.
    A file it no longer uses is removed with its renditions (see ``remove_unused_files``)."""

    def pre_save(self, model_instance, add):
        """Every way of storing an image passes here, when its record is saved (a form's upload,
        ``poster.save()`` in a loader, a file given to the model in the shell): Django stores a
        new file as it came, then this replaces it by the image without metadata, under the
        extension of its real format, and makes its renditions."""
        file = super().pre_save(model_instance, add)
        if file and is_new_file(file):
            store_clean(file)
        return file

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": ImageFormField, **kwargs})

    def contribute_to_class(self, cls, name, **kwargs):
        super().contribute_to_class(cls, name, **kwargs)
        if not cls._meta.abstract:
            models.signals.post_init.connect(_remember_stored_names, sender=cls, weak=False)
            models.signals.post_save.connect(_forget_replaced_files, sender=cls, weak=False)
            models.signals.post_delete.connect(_forget_deleted_files, sender=cls, weak=False)


# --- Removing files no longer used ------------------------------------------------------------


def _image_fields(instance):
    return [field for field in instance._meta.concrete_fields if isinstance(field, CleanImageField)]


def _remember_stored_names(sender, instance, **kwargs):
    """The names of the files an instance had when loaded, to know what a save replaced (and
    what is a new upload, see ``validate_image``)."""
    names = {}
    for field in _image_fields(instance):
        if field.attname in instance.__dict__:  # not a deferred field, which would cost a query
            value = instance.__dict__[field.attname]
            # Read from the database: a name (a field file once saved); a new file given to the
            # model's constructor is not stored yet.
            stored = isinstance(value, str | FieldFile)
            names[field.attname] = (getattr(value, "name", value) if stored else "") or ""
    instance._stored_image_names = names


def store_clean(file):
    """Replace the stored image of the field file ``file`` (just stored as it came) by the image
    without metadata (``without_metadata``), then make its renditions. An image that is not one
    is removed again before the error goes up."""
    stored = file.name
    try:
        with file.storage.open(stored, "rb") as content:
            data, extension = without_metadata(content)
    except Exception:
        file.storage.delete(stored)
        raise
    file.storage.delete(stored)
    # Saved again under its own name (the field adds its upload_to folder), so the same name
    # unless the real format calls for another extension.
    file.save(PurePosixPath(stored).with_suffix(f".{extension}").name, ContentFile(data), save=False)
    try:
        make_renditions(file.storage, file.name)
    except Exception:
        # The image is stored; the renditions are made again when the page first needs them.
        logger.exception("Could not make the renditions of %s", file.name)


def is_new_file(value):
    """Whether the field file ``value`` is a file given to its object since it was read or last
    saved (an upload), not the one stored. A field deferred when the object was read counts as
    stored (the project defers no image field; a form's upload is checked by its form field)."""
    stored = getattr(value.instance, "_stored_image_names", {})
    return value.field.attname in stored and value.name != stored[value.field.attname]


def _forget_replaced_files(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    stored = getattr(instance, "_stored_image_names", {})
    for field in _image_fields(instance):
        old, new = stored.get(field.attname, ""), getattr(instance, field.attname).name or ""
        if old and old != new:
            remove_unused_files(field.storage, old)
    _remember_stored_names(sender, instance)


def _forget_deleted_files(sender, instance, **kwargs):
    for field in _image_fields(instance):
        name = getattr(instance, field.attname).name
        if name:
            remove_unused_files(field.storage, name)


def image_in_use(name):
    """Whether any record's image field still names the file ``name``, or a stored version of
    such a record in the history (restoring it brings the image back with it)."""
    from django.apps import apps

    models_with_images = [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, CleanImageField)
    ]
    return any(
        model._default_manager.filter(**{field.attname: name}).exists() for model, field in models_with_images
    ) or in_history({model for model, _field in models_with_images}, name)


def in_history(models, name):
    """Whether a stored version (django-reversion) of one of ``models`` names the file ``name``:
    a version is JSON with the file's name as a string value. Restoring that version brings the
    record back with its file, so the file is kept as long as the version is (the history is
    only ever purged by a superuser, e.g. ``manage.py deleterevisions``; then
    ``manage.py remove_unused_files`` removes what no record and no version names any more)."""
    from reversion.models import Version

    needle = json.dumps(name)  # "posters/affiche.jpg", as the serializer wrote it
    return any(
        Version.objects.get_for_model(model).filter(serialized_data__contains=needle).exists() for model in models
    )


# Folders of the default storage whose files belong to records, with the question that says
# whether a file is still used and what follows its removal (``remove_unused_files``); the
# command of that name removes the others.
UPLOAD_FOLDERS = {"posters": (image_in_use, None), "people": (image_in_use, None)}


def sweep_folder(name, in_use, then=None):
    """Register the storage folder ``name`` (an app's uploads) for the sweep of unused files."""
    UPLOAD_FOLDERS[name] = (in_use, then)


def unused_files(storage, folder, in_use):
    """The files under ``folder`` (recursively) that ``in_use(name)`` says no one names."""
    try:
        folders, files = storage.listdir(folder)
    except (OSError, NotImplementedError):
        return
    for file in files:
        name = f"{folder}/{file}"
        if not in_use(name):
            yield name
    for sub in folders:
        yield from unused_files(storage, f"{folder}/{sub}", in_use)


def remove_unused_files(storage, name, in_use=None, then=None):
    """Once the transaction commits (a rolled-back change keeps its files), delete the image
    ``name`` and its renditions if no record uses the file any more (``in_use(name)``; by
    default, the image fields of events and people); ``then(storage, name)`` afterwards (the
    materials app removes the file's folder)."""

    def remove():
        if (in_use or image_in_use)(name):
            return
        delete_renditions(storage, name)
        try:
            storage.delete(name)
        except OSError:
            logger.warning("Could not delete the file %s", name, exc_info=True)
        if then:
            then(storage, name)

    transaction.on_commit(remove)


def delete_renditions(storage, name):
    """Delete the renditions of the image ``name`` and their manifest."""
    folder = rendition_folder(name)
    try:
        _directories, files = storage.listdir(folder)
    except (OSError, NotImplementedError):
        files = []
    for file in files:
        try:
            storage.delete(f"{folder}/{file}")
        except OSError:
            logger.warning("Could not delete the rendition %s/%s", folder, file, exc_info=True)


# --- Renditions -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Picture:
    """What a <picture> element needs: srcset lists ("url 480w, …"), the fallback src and the
    intrinsic size of the largest rendition (so the browser reserves the space)."""

    src: str
    srcset: str
    webp_srcset: str  # empty when the image itself is WebP: no <source> is needed then
    width: int
    height: int

    @property
    def is_landscape(self):
        """Wider than tall (or square): laid out and sized differently from a portrait poster."""
        return self.width >= self.height


def rendition_folder(name):
    """renditions/posters/affiche_jpg for posters/affiche.jpg (the extension kept in the folder
    name, so that affiche.jpg and affiche.png do not share renditions)."""
    path = PurePosixPath(name)
    return str(PurePosixPath(RENDITIONS_DIR) / path.parent / f"{path.stem}_{path.suffix.lstrip('.')}")


def rendition_widths(width):
    """The widths made for an image ``width`` pixels wide: never wider than the image itself."""
    widths = [w for w in RENDITION_WIDTHS if w < width]
    if width <= max(RENDITION_WIDTHS):
        widths.append(width)
    return widths


def _replace(storage, name, data):
    """Write ``data`` to ``name``, replacing what is there; returns the name actually used."""
    if storage.exists(name):
        storage.delete(name)
    return storage.save(name, ContentFile(data))


def make_renditions(storage, name):
    """Make the renditions of the stored image ``name`` and return their manifest."""
    with storage.open(name, "rb") as file, _decoded(file) as image:
        pillow_format, extension, media_type = FORMATS[image.format]
        # A CMYK profile would be wrong on the RGB renditions: browsers assume sRGB without one.
        icc_profile = image.info.get("icc_profile") if image.mode != "CMYK" else None
        if image.mode not in ("RGB", "RGBA", "L"):
            image = image.convert("RGBA" if image.has_transparency_data else "RGB")
        folder = rendition_folder(name)
        formats = {"image/webp": ("WEBP", "webp"), media_type: (pillow_format, extension)}
        renditions = []
        source = image
        for width in reversed(rendition_widths(image.width)):  # each from the next larger one: faster
            height = max(1, round(image.height * width / image.width))
            if width != source.width:
                source = source.resize((width, height), Image.Resampling.LANCZOS)
            files = {}
            for rendition_type, (rendition_format, rendition_extension) in formats.items():
                data = _encode(source, rendition_format, icc_profile)
                files[rendition_type] = _replace(storage, f"{folder}/{width}w.{rendition_extension}", data)
            renditions.insert(0, {"width": width, "height": height, "files": files})
        manifest = {
            "source": name,
            "source_size": storage.size(name),
            "media_type": media_type,
            "renditions": renditions,
        }
    _replace(storage, f"{folder}/{MANIFEST}", json.dumps(manifest).encode())
    return manifest


def _read_manifest(storage, name):
    try:
        with storage.open(f"{rendition_folder(name)}/{MANIFEST}", "rb") as file:
            return json.loads(file.read())
    except (OSError, ValueError):
        return None


def _is_current(manifest, storage, name, source_size):
    """The manifest describes this very file, and every rendition it names is on disk."""
    return (
        manifest is not None
        and manifest.get("source") == name
        and manifest.get("source_size") == source_size
        and all(storage.exists(path) for r in manifest["renditions"] for path in r["files"].values())
    )


def picture(image):
    """The Picture of a stored image (a FieldFile), making the renditions if need be; None when
    there is no image, its file is gone, or it cannot be read (a page then shows no image).

    Remembered on the FieldFile, so a page asking several times (the <picture>, the JSON-LD,
    the link preview tags) reads the disk once."""
    if not image or not image.name:
        return None
    cached = getattr(image, "_picture", None)
    if cached is not None and cached[0] == image.name:
        return cached[1]
    result = _picture(image)
    image._picture = (image.name, result)
    return result


def _picture(image):
    storage, name = image.storage, image.name
    try:
        source_size = storage.size(name)
    except OSError:
        return None
    manifest = _read_manifest(storage, name)
    if not _is_current(manifest, storage, name, source_size):
        try:
            manifest = make_renditions(storage, name)
        except Exception:
            logger.exception("Could not make the renditions of %s", name)
            return None
    renditions = manifest["renditions"]
    if not renditions:
        return None

    def srcset(media_type):
        return ", ".join(f"{storage.url(r['files'][media_type])} {r['width']}w" for r in renditions)

    media_type = manifest["media_type"]
    largest = renditions[-1]
    return Picture(
        src=storage.url(largest["files"][media_type]),
        srcset=srcset(media_type),
        webp_srcset="" if media_type == "image/webp" else srcset("image/webp"),
        width=largest["width"],
        height=largest["height"],
    )
