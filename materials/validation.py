"""What an uploaded material is, read from its content, never from its name.

Accepted: PDF; Word, Excel and PowerPoint files (docx, xlsx, pptx, without macros); OpenDocument
text, spreadsheet and presentation files; JPEG, PNG and WebP images (events/images.py checks them
as it checks posters). Everything else is refused with a message saying what the file is when we
can tell (a program, a web page), or which types are accepted. A PDF is refused when it carries
JavaScript, an action that launches something, or embedded files — looked for in the file and in
its compressed streams (object streams hide dictionaries there), names with #xx escapes decoded.

``check_pdf_accessibility`` reports what makes a PDF accessible at the minimum the secretariat
can check at upload: tagged (``/MarkInfo`` with ``/Marked true`` and a ``/StructTreeRoot``), the
document language (``/Lang``) and a title (``/Title`` in the document information or
``dc:title`` in its XMP metadata).
"""

import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from events.images import check_image

DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# How much of a PDF's compressed streams is read, in all (a bomb stops here, and is refused).
MAX_INFLATED_BYTES = 200 * 1024 * 1024

ACCEPTED = _("Upload a PDF, a Word, Excel or PowerPoint file, an OpenDocument file, or a JPEG, PNG or WebP image.")
PROGRAM = _("This file is a program, whatever its name says: programs cannot be uploaded. %(accepted)s")
WEB_PAGE = _("This file is a web page (HTML): web pages cannot be uploaded. Give its address as a link instead.")
UNKNOWN = _("This file is not one of the accepted types, whatever its name says. %(accepted)s")
TOO_LARGE = _("This file is %(size)s MB; a file may be at most %(limit)s MB.")
PDF_ACTIVE = _(
    "This PDF contains %(what)s, which could run on a visitor’s computer: "
    "save it again without it (e.g. print it to PDF)."
)
PDF_DAMAGED = _("This PDF is damaged or cannot be read.")
OFFICE_MACROS = _("This document contains macros: save it again without them (e.g. as .docx instead of .docm).")
OFFICE_DAMAGED = _("This document is damaged or cannot be read.")

PDF_PROBLEMS = {
    "untagged": _("not tagged (no structure for screen readers)"),
    "no-language": _("no document language set"),
    "no-title": _("no document title set"),
}


@dataclass(frozen=True)
class FileType:
    label: str  # as the page shows it: "PDF", "DOCX", "JPEG"
    extension: str
    media_type: str

    @property
    def is_image(self):
        return self.media_type.startswith("image/")

    @property
    def is_pdf(self):
        return self.media_type == "application/pdf"


PDF = FileType("PDF", "pdf", "application/pdf")
IMAGES = {
    "jpeg": FileType("JPEG", "jpg", "image/jpeg"),
    "png": FileType("PNG", "png", "image/png"),
    "webp": FileType("WebP", "webp", "image/webp"),
}
OOXML = {
    "word/document.xml": FileType(
        "DOCX", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
    "xl/workbook.xml": FileType("XLSX", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "ppt/presentation.xml": FileType(
        "PPTX", "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    ),
}
ODF = {
    "application/vnd.oasis.opendocument.text": FileType("ODT", "odt", "application/vnd.oasis.opendocument.text"),
    "application/vnd.oasis.opendocument.spreadsheet": FileType(
        "ODS", "ods", "application/vnd.oasis.opendocument.spreadsheet"
    ),
    "application/vnd.oasis.opendocument.presentation": FileType(
        "ODP", "odp", "application/vnd.oasis.opendocument.presentation"
    ),
}
PROGRAM_SIGNATURES = (b"MZ", b"\x7fELF", b"#!", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe", b"\xca\xfe\xba\xbe")
HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|script|svg|\?xml)", re.I | re.S)
PDF_FORBIDDEN = {
    b"/JavaScript": _("JavaScript"),
    b"/JS": _("JavaScript"),
    b"/Launch": _("an action that starts a program"),
    b"/EmbeddedFile": _("embedded files"),
    b"/EmbeddedFiles": _("embedded files"),
    b"/RichMedia": _("embedded media"),
}
PDF_NAME = re.compile(rb"/[^\s/<>\[\]()%{}]+")
PDF_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.S)


def max_upload_bytes():
    return getattr(settings, "MATERIALS_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES)


def _megabytes(size):
    return number_format(size / 2**20, 1)


def refuse_over(file, limit, message=TOO_LARGE):
    """A ValidationError when ``file`` is over ``limit`` bytes: ``message`` names both in MB, in
    the reader's language (the sign-language videos use it with their own limit and words)."""
    if file.size > limit:
        raise ValidationError(
            message, code="file_too_large", params={"size": _megabytes(file.size), "limit": _megabytes(limit)}
        )


def check_size(file):
    refuse_over(file, max_upload_bytes())


def _read(file):
    file.seek(0)
    data = file.read()
    file.seek(0)
    return data


def file_type(file):
    """The FileType of an upload, from its content, or a ValidationError saying why it is
    refused. Checks the size first, then the whole content (a PDF's actions, an office file's
    macros, an image's soundness)."""
    check_size(file)
    data = _read(file)
    if data.startswith(b"%PDF-"):
        check_pdf(data)
        return PDF
    if data.startswith(b"PK\x03\x04"):
        return _office_type(file)
    image = _image_kind(data)
    if image:
        check_image(file)
        return IMAGES[image]
    if data.startswith(PROGRAM_SIGNATURES):
        raise ValidationError(PROGRAM, code="program", params={"accepted": ACCEPTED})
    if HTML_START.match(data.removeprefix(b"\xef\xbb\xbf")[:4096]):
        raise ValidationError(WEB_PAGE, code="html")
    raise ValidationError(UNKNOWN, code="unknown_type", params={"accepted": ACCEPTED})


def _image_kind(data):
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def _office_type(file):
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                raise ValidationError(OFFICE_MACROS, code="macros")
            if "mimetype" in names:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                if mimetype in ODF:
                    if any(name.lower().startswith("basic/") or name.lower().startswith("scripts/") for name in names):
                        raise ValidationError(OFFICE_MACROS, code="macros")
                    return ODF[mimetype]
            if "[Content_Types].xml" in names:
                content_types = archive.read("[Content_Types].xml")
                if b"macroEnabled" in content_types:
                    raise ValidationError(OFFICE_MACROS, code="macros")
                for part, kind in OOXML.items():
                    if part in names:
                        return kind
    except (zipfile.BadZipFile, OSError, EOFError, KeyError) as error:
        raise ValidationError(OFFICE_DAMAGED, code="damaged") from error
    finally:
        file.seek(0)
    # Any other zip archive: what is inside cannot be told, so it is not accepted.
    raise ValidationError(UNKNOWN, code="unknown_type", params={"accepted": ACCEPTED})


# --- PDF ---------------------------------------------------------------------------------------


def _decode_names(data):
    """The PDF's names with their #xx escapes decoded (/J#61vaScript is /JavaScript)."""
    return PDF_NAME.sub(lambda m: re.sub(rb"#([0-9a-fA-F]{2})", lambda e: bytes([int(e[1], 16)]), m[0]), data)


def pdf_parts(data):
    """The PDF's text and the content of its Flate-compressed streams (those that inflate), each
    with its names decoded. A stream that inflates beyond MAX_INFLATED_BYTES in all is refused."""
    parts = [_decode_names(data)]
    budget = MAX_INFLATED_BYTES
    for match in PDF_STREAM.finditer(data):
        inflater = zlib.decompressobj()
        try:
            inflated = inflater.decompress(match[1].rstrip(b"\r\n"), budget + 1)
        except zlib.error:
            continue  # not Flate (an image, a font in another filter): no dictionaries there
        budget -= len(inflated)
        if budget < 0:
            raise ValidationError(PDF_DAMAGED, code="damaged")
        parts.append(_decode_names(inflated))
    return parts


def _has_name(parts, name):
    """Whether the name occurs as a whole name (/JS, not /JSomething)."""
    pattern = re.compile(re.escape(name) + rb"(?![^\s/<>\[\]()%{}])")
    return any(pattern.search(part) for part in parts)


def check_pdf(data):
    if b"%%EOF" not in data[-2048:]:
        raise ValidationError(PDF_DAMAGED, code="damaged")
    parts = pdf_parts(data)
    for name, what in PDF_FORBIDDEN.items():
        if _has_name(parts, name):
            raise ValidationError(PDF_ACTIVE, code="pdf_active_content", params={"what": what})


def check_pdf_accessibility(data):
    """The codes of PDF_PROBLEMS this PDF has (empty: accessible as far as checked)."""
    parts = pdf_parts(data)
    text = b"\n".join(parts)
    problems = []
    marked = re.search(rb"/MarkInfo\s*<<[^>]*/Marked\s+true", text)
    if not (marked and _has_name(parts, b"/StructTreeRoot")):
        problems.append("untagged")
    if not re.search(rb"/Lang\s*\(\s*[A-Za-z]", text):
        problems.append("no-language")
    if not (
        re.search(rb"/Title\s*\(\s*[^)\s]", text)
        or re.search(rb"/Title\s*<\s*[0-9A-Fa-f]{2}", text)
        or re.search(rb"<dc:title>.*?<rdf:li[^>]*>\s*[^<\s]", text, re.S)
    ):
        problems.append("no-title")
    return problems


# --- Names --------------------------------------------------------------------------------------


def safe_name(filename, extension=""):
    """A file name any storage and any browser take: ASCII letters, digits and hyphens, German
    umlauts as ae/oe/ue/ss, at most 80 characters, with the extension of the file's real type."""
    stem = PurePosixPath(str(filename).replace("\\", "/")).name
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    for german, ascii_text in (
        ("ä", "ae"),
        ("ö", "oe"),
        ("ü", "ue"),
        ("Ä", "Ae"),
        ("Ö", "Oe"),
        ("Ü", "Ue"),
        ("ß", "ss"),
    ):
        stem = stem.replace(german, ascii_text)
    stem = unicodedata.normalize("NFKD", stem)
    stem = slugify(stem)[:80].strip("-") or "document"
    return f"{stem}.{extension}" if extension else stem
