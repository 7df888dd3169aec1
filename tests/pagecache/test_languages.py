"""A correction in one language makes fresh that language's pages only (pagecache/dependencies.py,
``languages_changed``): the secretariat corrects a German teaser, a French title; the pages of
the other language show their own text and stay in the cache — unless their own text is empty
and they show the corrected one (the fallback), or the change is one every language shows (a
time, an address). The pages that show both languages (the bilingual programme, the sitemap)
are fresh after a correction in either."""

import datetime

import pytest
from django.test import Client

from tests.factories import CategoryFactory, CityFactory, EventFactory, ProgrammeSlotFactory
from tests.helpers import html_of, url

pytestmark = pytest.mark.django_db


def state(response):
    return response["X-Page-Cache"]


@pytest.fixture
def event():
    shown = EventFactory(
        title_de="Bürgerbegegnung",
        title_fr="Rencontre citoyenne",
        teaser_de="Ein Austausch zwischen den vier Städten.",
        teaser_fr="Un échange entre les quatre villes.",
        category=CategoryFactory(code="buerger", name_de="Bürger", name_fr="Citoyens"),
    )
    shown.cities.add(CityFactory(code="metz", name_de="Metz", name_fr="Metz"))
    return shown


def pages_in(event, language):
    """The event's page, a list and the feed showing it, in ``language``."""
    return [
        event.get_absolute_url(language),
        url("events:list", language) + "?city=metz",
        url("events:feed", language),
    ]


def warm(pages):
    visitor = Client()
    for page in pages:
        assert (page, state(visitor.get(page))) == (page, "miss")
    assert [(page, state(visitor.get(page))) for page in pages] == [(page, "hit") for page in pages]


GERMAN, FRENCH = "Jetzt mit Kinderbetreuung.", "Avec garde d’enfants."
WRITTEN = "Un échange entre les quatre villes."  # the French teaser of the fixture's event


@pytest.mark.parametrize(
    ("french_teaser", "field", "value", "shown", "fresh", "kept"),
    [
        pytest.param(WRITTEN, "teaser_de", GERMAN, GERMAN, ["de"], ["fr"], id="a German teaser corrected"),
        pytest.param(WRITTEN, "teaser_fr", FRENCH, FRENCH, ["fr"], ["de"], id="a French teaser corrected"),
        # The French teaser not written: the French pages show the German one (the fallback).
        pytest.param("", "teaser_de", GERMAN, GERMAN, ["de", "fr"], [], id="the French one empty"),
        pytest.param("", "teaser_fr", FRENCH, FRENCH, ["fr"], ["de"], id="the French one written"),
        pytest.param(WRITTEN, "teaser_de", "", WRITTEN, ["de"], ["fr"], id="the German one emptied"),
    ],
)
def test_a_teaser_corrected_refreshes_the_pages_of_the_languages_that_show_it(
    event, french_teaser, field, value, shown, fresh, kept
):
    """The event's page, a list and the feed of each language whose pages show the corrected
    teaser have it at the next request; the other language's are served from the cache."""
    event.teaser_fr = french_teaser
    event.save()
    pages = {language: pages_in(event, language) for language in ("de", "fr")}
    warm(pages["de"] + pages["fr"])

    setattr(event, field, value)
    event.save()

    visitor = Client()
    for page in (page for language in fresh for page in pages[language]):
        response = visitor.get(page)
        assert (page, state(response), shown in html_of(response)) == (page, "miss", True)
    unchanged = [page for language in kept for page in pages[language]]
    assert [(page, state(visitor.get(page))) for page in unchanged] == [(page, "hit") for page in unchanged]


def test_a_new_start_time_refreshes_the_pages_of_both_languages(event):
    pages = pages_in(event, "de") + pages_in(event, "fr")
    warm(pages)

    event.start = event.start.replace(hour=9, minute=0) + datetime.timedelta(days=1)
    event.end = event.start + datetime.timedelta(hours=3)
    event.save()

    visitor = Client()
    assert [(page, state(visitor.get(page))) for page in pages] == [(page, "miss") for page in pages]


def test_a_german_address_corrected_refreshes_the_french_page_which_links_to_it(event):
    """The French page's language switch and alternate link lead to the German address."""
    french = event.get_absolute_url("fr")
    warm([french])

    event.slug_de = "buergerbegegnung-in-metz"
    event.save()

    response = Client().get(french)
    assert state(response) == "miss"
    assert "/de/veranstaltungen/buergerbegegnung-in-metz/" in html_of(response)


@pytest.mark.parametrize(("field", "text"), [("kicker_de", "Bürgerforum 2027"), ("kicker_fr", "Forum citoyen 2027")])
def test_the_bilingual_programme_is_fresh_after_a_correction_in_either_language(event, field, text):
    ProgrammeSlotFactory(event=event, title_de="Eröffnung", title_fr="Ouverture")
    programme = event.get_programme_url("de")
    warm([programme])

    setattr(event, field, text)
    event.save()

    response = Client().get(programme)
    assert (state(response), text in html_of(response)) == ("miss", True)


def test_the_sitemap_is_fresh_after_a_french_correction(event):
    """It names both addresses of each event: any language's change is its."""
    warm(["/sitemap.xml"])
    event.slug_fr = "rencontre-citoyenne-a-metz"
    event.save()
    response = Client().get("/sitemap.xml")
    assert state(response) == "miss"
    assert "/fr/evenements/rencontre-citoyenne-a-metz/" in html_of(response)


def test_a_french_correction_leaves_the_german_calendar_of_all_events_cached_and_shows_in_the_french_one(event):
    calendars = [url("events:calendar", "de"), url("events:calendar", "fr")]
    warm(calendars)

    event.teaser_fr = "Avec garde d’enfants."
    event.save()

    german, french = (Client().get(page) for page in calendars)
    assert (state(german), state(french)) == ("hit", "miss")
    assert "Avec garde d’enfants." in french.content.decode()


def test_what_a_save_changed_names_the_languages_whose_pages_change(event):
    """The rule itself: the language of the columns changed, with those falling back to them."""
    from pagecache.dependencies import languages_changed, listed_as

    def changed(**values):
        saved = type(event).objects.get(pk=event.pk)
        before = listed_as(saved)
        for name, value in values.items():
            setattr(saved, name, value)
        return languages_changed(saved, before)

    assert changed(teaser_de="Neu") == {"de"}
    assert changed(title_fr="Nouveau", teaser_fr="Nouveau") == {"fr"}
    assert changed(description_fr="Nouveau") == {"de", "fr"}  # no German description: it falls back
    assert changed(teaser_de="Neu", teaser_fr="Nouveau") == {"de", "fr"}
    assert changed(kicker_fr="") == {"fr"}  # the French pages now show the German kicker
    assert changed(teaser_de="Neu", description_de="", description_fr=None) == {"de"}  # empty either way
    assert changed(slug_de="neu") is None  # every language: the other links to it
    assert changed(teaser_de="Neu", start=event.start + datetime.timedelta(hours=1)) is None
    assert changed() is None  # nothing but the moment of the save: every language, in doubt
    assert languages_changed(EventFactory.build(), None) is None  # a new event


def test_a_save_of_some_fields_of_an_event_reads_no_other_field(event, django_assert_num_queries):
    """An event loaded with some fields only (``only()``): the others were not written, and
    telling which languages changed reads none of them from the database."""
    from pagecache.dependencies import languages_changed, listed_as

    loaded = type(event).objects.only("pk", "teaser_de").get(pk=event.pk)
    before = listed_as(loaded)
    loaded.teaser_de = "Neu"
    with django_assert_num_queries(0):
        assert languages_changed(loaded, before) == {"de"}


def test_values_other_than_empty_that_fall_back_make_every_language_change(event, monkeypatch):
    """modeltranslation's ``fallback_undefined`` (a placeholder text that falls back too): the rule
    does not know which pages show it, so a correction is every language's."""
    from modeltranslation.translator import translator

    from pagecache.dependencies import languages_changed, listed_as

    options = type(translator.get_options_for_model(type(event)))
    monkeypatch.setattr(options, "fallback_undefined", {"teaser": "–"}, raising=False)
    before = listed_as(event)
    event.teaser_de = "Neu"
    assert languages_changed(event, before) is None


def test_a_german_teaser_corrected_in_the_admin_leaves_the_french_pages_cached(secretary, event):
    """The secretariat's own way: the event's change form, sent with the German teaser corrected
    (its programme, cities and people sent back as they were)."""
    from django.urls import reverse

    from tests.test_admin import form_values

    # On the minute, as the admin's form writes times.
    event.start, event.end = (moment.replace(second=0, microsecond=0) for moment in (event.start, event.end))
    event.save()
    ProgrammeSlotFactory(event=event, title_de="Eröffnung", title_fr="Ouverture")
    german, french = pages_in(event, "de"), pages_in(event, "fr")
    warm(german + french)
    change = reverse("admin:events_event_change", args=[event.pk])

    sent = secretary.post(change, {**form_values(secretary.get(change)), "teaser_de": GERMAN})

    assert sent.status_code == 302
    visitor = Client()
    for page in german:
        response = visitor.get(page)
        assert (page, state(response), GERMAN in html_of(response)) == (page, "miss", True)
    assert [(page, state(visitor.get(page))) for page in french] == [(page, "hit") for page in french]
