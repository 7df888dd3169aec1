"""The Atom feed of upcoming events, one per language."""

import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from events.models import Event

from .factories import EventFactory, conference_2017, local
from .helpers import url

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
NOW = local(2017, 11, 1, 12)


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def events():
    return {
        "soon": conference_2017(),
        "later": EventFactory(
            title_de="Kulturabend", title_fr="", slug_fr=None, start=local(2017, 12, 5, 19), end=local(2017, 12, 5, 22)
        ),
        "past": EventFactory(
            title_de="Vorbei", title_fr="Passé", start=local(2017, 10, 1, 9), end=local(2017, 10, 1, 12)
        ),
        "draft": EventFactory(title_de="Entwurf", title_fr="Brouillon", status=Event.Status.DRAFT),
    }


def feed(client, language):
    response = client.get(url("events:feed", language))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def entries(root):
    return root.findall(f"{ATOM}entry")


def titles(root):
    return [entry.findtext(f"{ATOM}title") for entry in entries(root)]


def test_addresses():
    assert url("events:feed", "de") == "/de/veranstaltungen/feed/"
    assert url("events:feed", "fr") == "/fr/evenements/feed/"


def test_german_feed_has_upcoming_published_events_in_german(client, events):
    root = feed(client, "de")
    assert titles(root) == ["Zuwanderung als Chance", "Kulturabend"]
    links = [entry.find(f"{ATOM}link").get("href") for entry in entries(root)]
    assert links[0] == "http://testserver/de/veranstaltungen/zuwanderung-als-chance/"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "de"


def test_french_feed_in_french_with_fallback(client, events):
    root = feed(client, "fr")
    assert titles(root) == ["Immigrations : une chance", "Kulturabend"]
    links = [entry.find(f"{ATOM}link").get("href") for entry in entries(root)]
    assert links == [
        "http://testserver/fr/evenements/immigrations-une-chance/",
        f"http://testserver/fr/evenements/{events['later'].slug_de}/",
    ]
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"


def test_entry_text_has_date_and_teaser(client, events):
    (summary, *_rest) = [entry.findtext(f"{ATOM}summary") for entry in entries(feed(client, "fr"))]
    assert "mercredi 22 novembre 2017" in summary
    assert "Un échange entre les quatre villes." in summary


def test_entry_id_survives_edits_and_differs_per_language(client, events):
    def first_id(language):
        return entries(feed(client, language))[0].findtext(f"{ATOM}id")

    before = first_id("de")
    event = events["soon"]
    event.title_de, event.slug_de = "Zuwanderung als Chance für alle", "zuwanderung"
    event.save()
    assert first_id("de") == before
    assert first_id("fr") != before
    assert before.startswith("urn:uuid:")


def test_cancelled_event_is_marked(client, events):
    events["soon"].is_cancelled = True
    events["soon"].save()
    with translation.override("de"):
        expected = translation.gettext("Cancelled: %(title)s") % {"title": "Zuwanderung als Chance"}
    assert titles(feed(client, "de"))[0] == expected


@pytest.mark.parametrize("name", ["home", "events:list"])
@pytest.mark.parametrize("language", ["de", "fr"])
def test_advertised_on_home_and_list(client, name, language):
    html = client.get(url(name, language)).content.decode()
    assert '<link rel="alternate" type="application/atom+xml"' in html
    assert f'href="{url("events:feed", language)}"' in html


@pytest.mark.parametrize("count", [1, 5])
def test_query_count_is_flat(client, django_assert_num_queries, count):
    for n in range(count):
        EventFactory(start=local(2017, 12, 1 + n, 9), end=local(2017, 12, 1 + n, 12))
    # The events, their cities; the page cache's next state change (on a miss); which are full;
    # the public materials the entries link to.
    with django_assert_num_queries(5):
        root = feed(client, "de")
    assert len(entries(root)) == count


def test_a_postponed_event_says_so_in_its_entry(client):
    """Issue 27: the Atom entry follows the status, in the feed's language."""
    EventFactory(start=local(2017, 12, 1, 9), end=local(2017, 12, 1, 12), title_fr="Concert", event_status="postponed")
    text = ET.tostring(feed(client, "fr"), encoding="unicode")
    assert "Reporté\u00a0: Concert" in text
    assert "Cet événement a été reporté." in text
