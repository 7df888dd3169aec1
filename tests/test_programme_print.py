"""The bilingual programme: French and German side by side, slot by slot as on the printed
invitation, at its own translated address, ready for A4."""

import re
from html import unescape
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import translation

from events.models import Event, ProgrammeSlot

from .factories import (
    EventFactory,
    PersonFactory,
    ProgrammeSlotFactory,
    SlotSpeakerFactory,
    WorkshopFactory,
    conference_2017,
    local,
)

pytestmark = pytest.mark.django_db


def programme_url(event, language):
    return event.get_programme_url(language)


@pytest.fixture
def conference():
    """The 2017 conference of the invitation, with part of its programme."""
    event = conference_2017(
        title_fr="Immigrations : une chance pour nos quatre villes",
        title_de="Zuwanderung als Chance für unsere vier Städte",
        interpretation_fr="Interprétariat simultané français/allemand",
        interpretation_de="Simultanübersetzung Deutsch/Französisch",
        moderator=PersonFactory(
            name="Lisa Huth", role_fr="Journaliste", role_de="Journalistin", affiliation_fr="SR3", affiliation_de="SR3"
        ),
    )
    ProgrammeSlotFactory(
        event=event,
        start=local(2017, 11, 22, 9, 30),
        kind=ProgrammeSlot.Kind.RECEPTION,
        title_fr="Accueil des participants",
        title_de="Empfang der Teilnehmer",
    )
    talk = ProgrammeSlotFactory(
        event=event,
        start=local(2017, 11, 22, 10, 15),
        title_fr="L'immigration en Grande Région : une analyse historique comparée",
        title_de="Einwanderung in der Großregion: eine vergleichende historische Analyse",
    )
    SlotSpeakerFactory(
        slot=talk,
        person=PersonFactory(
            name="Vincent Ferry",
            role_fr="Chercheur",
            role_de="Forscher",
            affiliation_fr="Laboratoire Lorrain de Sciences Sociales (2L2S)",
            affiliation_de="Lothringisches Institut für Sozialwissenschaften (2L2S)",
        ),
    )
    workshops = ProgrammeSlotFactory(
        event=event,
        start=local(2017, 11, 22, 11, 0),
        kind=ProgrammeSlot.Kind.WORKSHOPS,
        title_fr="Travail en ateliers",
        title_de="Vertiefung in Arbeitsgruppen",
    )
    WorkshopFactory(slot=workshops, order=1, title_fr="Emploi et insertion professionnelle", title_de="Beschäftigung")
    WorkshopFactory(slot=workshops, order=2, title_fr="Education et petite enfance", title_de="Bildung")
    ProgrammeSlotFactory(
        event=event,
        start=local(2017, 11, 22, 14, 0),
        kind=ProgrammeSlot.Kind.SYNTHESIS,
        title_fr="Synthèse des ateliers",
        title_de="Kurzzusammenfassung der Arbeitsgruppen",
    )
    return event


def cells(html, language):
    """The text of each programme cell in ``language``, in page order (no-break spaces kept)."""
    table = html.split('<table class="bilingual-programme">', 1)[1].split("</table>", 1)[0]
    found = re.findall(rf'<td lang="{language}">(.*?)</td>', table, flags=re.S)
    return [re.sub(r"[ \t\r\n]+", " ", unescape(re.sub(r"<[^>]+>", " ", cell))).strip() for cell in found]


def test_addresses_are_translated(conference):
    assert programme_url(conference, "fr") == "/fr/evenements/immigrations-une-chance/programme/"
    with translation.override("de"):
        word = translation.gettext("programme/")
    assert programme_url(conference, "de") == f"/de/veranstaltungen/zuwanderung-als-chance/{word}"


def test_german_address_says_programm(conference):
    assert programme_url(conference, "de") == "/de/veranstaltungen/zuwanderung-als-chance/programm/"


@pytest.mark.parametrize("language", ["fr", "de"])
def test_both_languages_slot_by_slot_in_order(client, conference, language):
    response = client.get(programme_url(conference, language))
    assert response.status_code == 200
    html = response.content.decode()

    assert cells(html, "fr") == [
        "9h30 Accueil des participants",
        # French typography on what the secretariat typed: a no-break space before the colon, ’.
        "10h15 L’immigration en Grande Région\u00a0: une analyse historique comparée "
        "Vincent Ferry, Chercheur, Laboratoire Lorrain de Sciences Sociales (2L2S)",
        "11h Travail en ateliers Emploi et insertion professionnelle Education et petite enfance",
        "14h Synthèse des ateliers",
    ]
    assert cells(html, "de") == [
        "9:30 Empfang der Teilnehmer",
        "10:15 Einwanderung in der Großregion: eine vergleichende historische Analyse "
        "Vincent Ferry, Forscher, Lothringisches Institut für Sozialwissenschaften (2L2S)",
        "11:00 Vertiefung in Arbeitsgruppen Beschäftigung Bildung",
        "14:00 Kurzzusammenfassung der Arbeitsgruppen",
    ]
    # Each row holds the same slot in French, then in German.
    rows = re.findall(r'<tr class="bp-slot[^"]*">(.*?)</tr>', html, flags=re.S)
    assert len(rows) == 4
    for row in rows:
        assert row.index('lang="fr"') < row.index('lang="de"')


def test_workshops_are_nested_in_their_slot(client, conference):
    html = client.get(programme_url(conference, "fr")).content.decode()
    assert re.search(
        r'<ul class="bp-slot__workshops">\s*<li>Emploi et insertion professionnelle</li>\s*'
        r"<li>Education et petite enfance</li>\s*</ul>",
        html,
    )


def test_title_date_venue_and_notes_in_both_languages(client, conference):
    html = client.get(programme_url(conference, "de")).content.decode()
    assert html.count("<h1") == 1
    h1 = re.search(r"<h1.*?</h1>", html, flags=re.S).group()
    french = "Immigrations\u00a0: une chance pour nos quatre villes"
    assert f'<span class="bilingual__title-part" lang="fr">{french}</span>' in h1
    assert '<span class="bilingual__title-part" lang="de">Zuwanderung als Chance für unsere vier Städte</span>' in h1
    assert "mercredi 22 novembre 2017, 9h30 – 17h" in html
    assert "Mittwoch, 22. November 2017, 9:30 – 17:00 Uhr" in html
    assert "Hôtel de Ville" in html and "Rathaus" in html
    assert "Interprétariat simultané français/allemand" in html
    assert "Simultanübersetzung Deutsch/Französisch" in html
    assert "Lisa Huth, Journaliste, SR3" in html and "Lisa Huth, Journalistin, SR3" in html


def test_text_missing_in_one_language_is_marked_as_the_other(client, conference):
    slot = ProgrammeSlot.objects.filter(event=conference).first()
    slot.title_fr = ""
    slot.save()
    html = client.get(programme_url(conference, "fr")).content.decode()
    assert '<td lang="fr">' in html
    assert (
        '<p class="bp-slot__title" lang="de">Empfang der Teilnehmer '
        '<span class="fallback-note" lang="fr">(uniquement en allemand)</span></p>'
    ) in html


def test_print_stylesheet_is_linked(client, conference):
    html = client.get(programme_url(conference, "fr")).content.decode()
    assert re.search(r'<link rel="stylesheet" href="/static/css/print\.css" media="print">', html)


def test_print_stylesheet_is_for_a4_without_navigation():
    css = Path(finders.find("css/print.css")).read_text(encoding="utf-8")
    assert re.search(r"@page\s*{[^}]*size:\s*A4", css)
    for selector in (".site-header", ".site-footer", ".skip-link", ".lang-switch", ".main-nav"):
        assert selector in css.split("display: none")[0]
    assert re.search(r"\.bilingual-programme tr\s*{[^}]*break-inside:\s*avoid", css)


def test_the_event_page_links_to_it(client, conference):
    html = client.get(conference.get_absolute_url("de")).content.decode()
    assert f'<a href="{programme_url(conference, "de")}">' in html


def test_an_event_without_programme_has_no_such_page(client):
    event = EventFactory()
    assert client.get(programme_url(event, "fr")).status_code == 404
    assert "programme__print" not in client.get(event.get_absolute_url("fr")).content.decode()


def test_the_other_languages_slug_redirects_to_this_languages_address(client, conference):
    with translation.override("fr"):
        wrong = reverse("events:programme", kwargs={"slug": "zuwanderung-als-chance"})
    response = client.get(wrong)
    assert response.status_code == 301
    assert response["Location"] == programme_url(conference, "fr")


def test_the_language_switcher_stays_on_the_programme(client, conference):
    html = client.get(programme_url(conference, "fr")).content.decode()
    assert f'href="{programme_url(conference, "de")}" hreflang="de"' in html
    assert f'hreflang="de" href="http://testserver{programme_url(conference, "de")}"' in html


def test_a_draft_is_a_404_for_visitors_and_a_preview_for_staff(client, conference):
    # A draft never published (one that was is "gone": tests/test_publishing.py).
    Event.objects.filter(pk=conference.pk).update(status=Event.Status.DRAFT, first_published_at=None)
    assert client.get(programme_url(conference, "fr")).status_code == 404

    client.force_login(get_user_model().objects.create_user("staff", password="x", is_staff=True))
    response = client.get(programme_url(conference, "fr"))
    assert response.status_code == 200
    assert "notice--preview" in response.content.decode()


@pytest.mark.parametrize("extra_slots", [0, 5])
def test_query_count_does_not_grow_with_the_programme(client, conference, extra_slots, django_assert_num_queries):
    for hour in range(extra_slots):
        slot = ProgrammeSlotFactory(event=conference, start=local(2017, 11, 22, 15, hour))
        SlotSpeakerFactory(slot=slot)
        WorkshopFactory(slot=slot)
    url = programme_url(conference, "de")
    # The event with its foreign keys, its cities, its slots, their workshops, their speakers; the
    # page cache's next state change (on a miss); the footer's accessibility status (the cache is empty).
    with django_assert_num_queries(7):
        assert client.get(url).status_code == 200
