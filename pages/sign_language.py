"""The files of a sign-language video (``SignLanguageVideo``), checked from their content, never
from their name, and removed once no video names them.

- The video: MP4 (an ISO base media file: an ``ftyp`` box of an MP4 brand, then boxes that add
  up to the file and hold a ``moov``) or WebM (an EBML header whose document type is "webm"), at
  most ``settings.SIGN_LANGUAGE_MAX_VIDEO_BYTES``. Only the boxes' headers are read, not the
  whole video. A program or a web page renamed .mp4 is named as such (materials/validation.py).
- The captions: WebVTT in UTF-8 ("WEBVTT" first, at least one cue with its timings), at most
  MAX_CAPTIONS_BYTES; an SRT file is told to be converted.
- The poster: an image checked and stored without metadata by events/images.py.

Files live in a folder of their own per video (``sign-language/<random>/``); a replaced or
deleted video's files and its folder are removed when the transaction commits, unless a video or
a version in the page's history still names them (restoring that version brings the video back
with its files): events.images.remove_unused_files, as materials do; ``manage.py
remove_unused_files`` removes them once nothing names them any more.
"""

import re
import struct
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.fields.files import FieldFile
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from events.images import in_history, remove_unused_files, sweep_folder
from materials.files import remove_empty_folder
from materials.validation import HTML_START, PROGRAM, PROGRAM_SIGNATURES, refuse_over

DEFAULT_MAX_VIDEO_BYTES = 60 * 1024 * 1024
MAX_CAPTIONS_BYTES = 512 * 1024

ACCEPTED_VIDEO = _("Upload the video as MP4 or WebM.")
VIDEO_WEB_PAGE = _("This file is a web page (HTML), not a video. %(accepted)s")
VIDEO_UNKNOWN = _("This file is not an MP4 or WebM video, whatever its name says. %(accepted)s")
VIDEO_DAMAGED = _("This video is damaged or incomplete (it cannot be played from its start). %(accepted)s")
VIDEO_TOO_LARGE = _("This video is %(size)s MB; a video may be at most %(limit)s MB.")
CAPTIONS_NOT_VTT = _(
    "This file is not a WebVTT captions file: it must begin with “WEBVTT” and hold at least one caption "
    "with its times (00:00:01.000 --> 00:00:04.000)."
)
CAPTIONS_SRT = _("This is an SRT file: save the captions as WebVTT (.vtt), e.g. with Subtitle Edit.")
CAPTIONS_ENCODING = _("This captions file is not in UTF-8: save it again as UTF-8.")
CAPTIONS_TOO_LARGE = _("This captions file is %(size)s KB; captions may be at most %(limit)s KB.")

# The major brands of MP4 files browsers play (QuickTime's "qt  ", HEIF images and audio-only
# M4A are not among them).
MP4_BRANDS = {
    b"isom",
    b"iso2",
    b"iso4",
    b"iso5",
    b"iso6",
    b"mp41",
    b"mp42",
    b"avc1",
    b"dash",
    b"M4V ",
    b"M4VH",
    b"mmp4",
    b"MSNV",
}
EBML_MAGIC = b"\x1a\x45\xdf\xa3"
VTT_TIMING = re.compile(r"^(?:\d{2,}:)?[0-5]\d:[0-5]\d\.\d{3}[ \t]+-->[ \t]+(?:\d{2,}:)?[0-5]\d:[0-5]\d\.\d{3}")
SRT_TIMING = re.compile(r"^\d{2}:\d{2}:\d{2},\d{3} --> ", re.M)


@dataclass(frozen=True)
class VideoType:
    label: str
    extension: str
    media_type: str


MP4 = VideoType("MP4", "mp4", "video/mp4")
WEBM = VideoType("WebM", "webm", "video/webm")


def max_video_bytes():
    return getattr(settings, "SIGN_LANGUAGE_MAX_VIDEO_BYTES", DEFAULT_MAX_VIDEO_BYTES)


def video_type(file):
    """The VideoType of an upload, from its content, or a ValidationError saying why not."""
    refuse_over(file, max_video_bytes(), VIDEO_TOO_LARGE)
    file.seek(0)
    head = file.read(4096)
    file.seek(0)
    params = {"accepted": ACCEPTED_VIDEO}
    if head[4:8] == b"ftyp":
        if head[8:12] not in MP4_BRANDS:
            raise ValidationError(VIDEO_UNKNOWN, code="unknown_type", params=params)
        if not _mp4_complete(file):
            raise ValidationError(VIDEO_DAMAGED, code="damaged", params=params)
        return MP4
    if head.startswith(EBML_MAGIC):
        # The EBML header's DocType element (0x4282, its size, then the name) says "webm".
        if re.search(rb"\x42\x82[\x80-\x8f]webm", head[:64]) is None:
            raise ValidationError(VIDEO_UNKNOWN, code="unknown_type", params=params)
        if b"\x18\x53\x80\x67" not in head:  # the Segment that holds the tracks follows the header
            raise ValidationError(VIDEO_DAMAGED, code="damaged", params=params)
        return WEBM
    if head.startswith(PROGRAM_SIGNATURES):
        raise ValidationError(PROGRAM, code="program", params=params)
    if HTML_START.match(head.removeprefix(b"\xef\xbb\xbf")):
        raise ValidationError(VIDEO_WEB_PAGE, code="html", params=params)
    raise ValidationError(VIDEO_UNKNOWN, code="unknown_type", params=params)


def _mp4_complete(file):
    """Whether the file's top-level boxes follow each other to its end and include a ``moov``
    (the tracks); reads each box's header only."""
    size, position, found = file.size, 0, set()
    try:
        while position < size:
            file.seek(position)
            header = file.read(16)
            if len(header) < 8:
                return False
            length, kind = struct.unpack(">I4s", header[:8])
            if length == 1:
                if len(header) < 16:
                    return False
                length = struct.unpack(">Q", header[8:16])[0]
            elif length == 0:
                length = size - position
            if length < 8 or position + length > size:
                return False
            found.add(kind)
            position += length
    finally:
        file.seek(0)
    return b"moov" in found


def check_captions(file):
    """A ValidationError unless ``file`` is a WebVTT file in UTF-8 with at least one cue."""
    if file.size > MAX_CAPTIONS_BYTES:
        raise ValidationError(
            CAPTIONS_TOO_LARGE,
            code="file_too_large",
            params={"size": number_format(file.size / 1024, 0), "limit": MAX_CAPTIONS_BYTES // 1024},
        )
    file.seek(0)
    data = file.read()
    file.seek(0)
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        raise ValidationError(CAPTIONS_ENCODING, code="encoding") from error
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not re.match(r"WEBVTT(?:[ \t].*)?$", lines[0]):
        if SRT_TIMING.search(text):
            raise ValidationError(CAPTIONS_SRT, code="srt")
        raise ValidationError(CAPTIONS_NOT_VTT, code="not_vtt")
    if not any(VTT_TIMING.match(line) for line in lines[1:]):
        raise ValidationError(CAPTIONS_NOT_VTT, code="no_cues")


# --- Files no longer used ---------------------------------------------------------------------

FILE_FIELDS = ("video", "captions")


def _stored_name(instance, name):
    value = instance.__dict__.get(name)
    stored = isinstance(value, str | FieldFile)  # read from the database, or saved since
    return (getattr(value, "name", value) if stored else "") or ""


def _remember(sender, instance, **kwargs):
    instance._stored_sign_language_files = {name: _stored_name(instance, name) for name in FILE_FIELDS}


def _after_save(sender, instance, raw=False, **kwargs):
    stored = getattr(instance, "_stored_sign_language_files", {})
    for name in FILE_FIELDS:
        old, new = stored.get(name, ""), getattr(instance, name).name or ""
        if old and old != new and not raw:
            remove_unused(sender, old)
    _remember(sender, instance)


def _after_delete(sender, instance, **kwargs):
    for name in FILE_FIELDS:
        if getattr(instance, name).name:
            remove_unused(sender, getattr(instance, name).name)


def remove_unused(model, name):
    """Once the transaction commits, delete the file ``name`` and then its folder when empty
    (the poster, a CleanImageField, is removed by events/images.py before), unless a video
    still names it."""
    remove_unused_files(
        model._meta.get_field("video").storage,
        name,
        in_use=lambda name: in_use(model, name),
        then=remove_empty_folder,
    )


def in_use(model, name):
    """Whether a video names the file ``name`` (as its video or captions), or a version of one
    in the page's history: restoring that version brings the video back with its files, as for
    the events' materials (``manage.py remove_unused_files`` removes what nothing names)."""
    return model.objects.filter(Q(video=name) | Q(captions=name)).exists() or in_history([model], name)


def connect(model):
    sweep_folder("sign-language", lambda name: in_use(model, name), then=remove_empty_folder)
    models.signals.post_init.connect(_remember, sender=model, dispatch_uid="pages-sign-language-remember")
    models.signals.post_save.connect(_after_save, sender=model, dispatch_uid="pages-sign-language-replaced")
    models.signals.post_delete.connect(_after_delete, sender=model, dispatch_uid="pages-sign-language-deleted")
