"""The event's feed entry follows its public materials (issue 26, item 6): enclosures and
related links with type, length and language, never registrants-only files; the entry's
``updated`` moves when a material is added or changed, and the sitemap's ``lastmod`` with it."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from materials import files
from materials.models import Material
from materials.pdf import tagged_pdf
from tests.factories import conference_2017, local
from tests.helpers import url

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
NOW = local(2017, 11, 1, 12)


@pytest.fixture(autouse=True)
def _setup(settings, tmp_path, time_machine):
    settings.MEDIA_ROOT = tmp_path / "media"
    time_machine.move_to(NOW, tick=False)


def entry(language):
    response = Client().get(url("events:feed", language))
    assert response.status_code == 200
    [found] = ET.fromstring(response.content).findall(f"{ATOM}entry")
    return found


def links(found, rel):
    return [link.attrib for link in found.findall(f"{ATOM}link") if link.get("rel") == rel]


def document(event, **fields):
    made = Material(event=event, **{"kind": "programme", **fields})
    files.attach(made, ContentFile(tagged_pdf("Programm", ["1"], "de"), name="programm.pdf"))
    made.save()
    return made


@pytest.mark.parametrize(
    ("language", "titles"),
    [("de", ["Programm", "Protokoll", "Mitschnitt"]), ("fr", ["Programme", "Compte rendu", "Enregistrement"])],
)
def test_an_entry_links_the_events_public_documents_with_type_length_and_language(language, titles):
    event = conference_2017()
    programme = document(event, language="de", title_de="Programm", title_fr="Programme")
    minutes = document(event, language="fr", kind="minutes", title_de="Protokoll", title_fr="Compte rendu", order=1)
    Material.objects.create(
        event=event,
        kind="video",
        language="both",
        title_de="Mitschnitt",
        title_fr="Enregistrement",
        url="https://video.example.org/2017",
        order=2,
    )
    document(event, title_de="Nur für Teilnehmende", access="registrants", order=3)
    found = entry(language)
    enclosures = links(found, "enclosure")
    assert [(link["title"], link["hreflang"]) for link in enclosures] == [(titles[0], "de"), (titles[1], "fr")]
    assert enclosures[0] == {
        "rel": "enclosure",
        "href": f"http://testserver{programme.file.url}",
        "type": "application/pdf",
        "length": str(programme.size),
        "hreflang": "de",
        "title": titles[0],
    }
    assert enclosures[1]["href"] == f"http://testserver{minutes.file.url}"
    assert links(found, "related") == [{"rel": "related", "href": "https://video.example.org/2017", "title": titles[2]}]
    # The entry's own link stays the one alternate; the registrants' file is nowhere.
    assert len(links(found, "alternate")) == 1
    assert b"teilnehmende" not in ET.tostring(found).lower()


def test_an_event_without_public_materials_has_only_its_page_link():
    event = conference_2017()
    document(event, title_de="Nur für Teilnehmende", access="registrants")
    assert [link.get("rel") for link in entry("de").findall(f"{ATOM}link")] == ["alternate"]


def test_adding_or_changing_a_material_moves_the_entrys_updated_and_the_sitemaps_lastmod(time_machine):
    event = conference_2017()
    before = entry("de").findtext(f"{ATOM}updated")
    time_machine.move_to(NOW + datetime.timedelta(hours=2), tick=False)
    made = document(event, title_de="Programm")
    added = entry("de").findtext(f"{ATOM}updated")
    assert (before, added) == ("2017-11-01T11:00:00+00:00", "2017-11-01T13:00:00+00:00")
    time_machine.move_to(NOW + datetime.timedelta(hours=3), tick=False)
    made.title_de = "Programm (endgültig)"
    made.save()
    assert entry("de").findtext(f"{ATOM}updated") == "2017-11-01T14:00:00+00:00"
    sitemap = Client().get("/sitemap.xml").content.decode()
    assert "<lastmod>2017-11-01</lastmod>" in sitemap
    time_machine.move_to(NOW + datetime.timedelta(days=1), tick=False)
    made.delete()
    assert entry("de").findtext(f"{ATOM}updated") == "2017-11-02T11:00:00+00:00"
    assert "<lastmod>2017-11-02</lastmod>" in Client().get("/sitemap.xml").content.decode()
