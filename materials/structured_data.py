"""The event's public materials in its JSON-LD (events/structured_data.py, ``extend``): each as
``subjectOf`` — a DigitalDocument, an ImageObject or a VideoObject about the event — with its
title in the page's language, its address, language and format. One query."""

from urllib.parse import urljoin

from .models import Material
from .sections import materials_of

LANGUAGES = {"de": "de", "fr": "fr", "both": ["de", "fr"]}


def _work(material, base_url):
    if material.is_photo:
        kind = "ImageObject"
    elif material.kind == Material.Kind.VIDEO:
        kind = "VideoObject" if material.file else "CreativeWork"
    else:
        kind = "DigitalDocument" if material.file else "CreativeWork"
    work = {
        "@type": kind,
        "name": material.title,
        "url": material.url or urljoin(base_url, material.file.url),
    }
    if material.language in LANGUAGES:
        work["inLanguage"] = LANGUAGES[material.language]
    if material.media_type:
        work["encodingFormat"] = material.media_type
    if material.is_photo and material.credit:
        work["creditText"] = material.credit
    return work


def add_subject_of(event, data, base_url):
    """The event's public materials as ``subjectOf``, named in the page's (active) language; the
    JSON-LD's ``inLanguage`` is the event's, which may be several."""
    works = [_work(m, base_url) for m in materials_of(event) if m.is_public]
    if works:
        data["subjectOf"] = works
