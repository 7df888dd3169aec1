"""``manage.py load_demo``: the 2017 conference exactly as in QuattroPole's event page and
bilingual invitation, the sample events, the poster, and that running it again changes nothing.

The expected values are written out here, independently of events/demo/content.py."""

import datetime
import html
import io
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.utils import translation
from PIL import Image

from events import fullness
from events.models import Category, City, Event, Person, ProgrammeSlot, ProjectGroup, SlotSpeaker, Venue, Workshop
from events.programme import completeness

from .helpers import demo_for_a_group

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
SLUG_DE = "zuwanderung-als-chance-fuer-unsere-vier-staedte"
SLUG_FR = "immigrations-une-chance-pour-nos-quatre-villes"
MODELS = (Category, City, Event, Person, ProgrammeSlot, ProjectGroup, SlotSpeaker, Venue, Workshop)

# (time, kind, title FR, title DE, speakers, workshops FR, workshops DE), from the invitation's columns.
PROGRAMME_2017 = [
    ((9, 30), "reception", "Accueil des participants", "Empfang der Teilnehmer", [], [], []),
    (
        (10, 0),
        "opening",
        "Ouverture par Monsieur le Maire Dominique Gros, Président de l'association QuattroPole",
        "Eröffnung durch Herrn Oberbürgermeister Dominique Gros, Präsident von QuattroPole e.V.",
        [],
        [],
        [],
    ),
    (
        (10, 15),
        "talk",
        "L'immigration en Grande Région : une analyse historique comparée",
        "Einwanderung in der Großregion: eine vergleichende historische Analyse",
        ["Vincent Ferry"],
        [],
        [],
    ),
    ((10, 45), "discussion", "Echanges avec la salle", "Austausch mit den Teilnehmern", [], [], []),
    (
        (11, 0),
        "workshops",
        "Travail en ateliers sur les projets mis en place dans les quatre villes et échanges de bonnes pratiques",
        "Vertiefung in Arbeitsgruppen zu konkreten Projekten in den vier Städten und Austausch modellhafter Praktiken",
        [],
        [
            "Emploi et insertion professionnelle",
            "Education et petite enfance",
            "Bien vivre sa ville (logement, culture, santé) « Stadtteilintegration »",
        ],
        [
            "Beschäftigung und berufliche Eingliederung",
            "Bildung",
            "Stadtteilintegration (« Bien vivre sa ville » - Wohnen, Gesundheit, Kultur)",
        ],
    ),
    ((12, 45), "meal", "Déjeuner « Cuisine du monde »", "Mittagessen « Cuisine du monde »", [], [], []),
    (
        (14, 0),
        "synthesis",
        "Synthèse des ateliers et discussion « Immigrations : une chance pour nos quatre villes ! »",
        "Kurzzusammenfassung der Arbeitsgruppen und Diskussion: „Zuwanderung: eine Chance für unsere vier Städte!“",
        [],
        [],
        [],
    ),
    (
        (15, 45),
        "round_table",
        "Table ronde de clôture et perspectives des travaux à venir au sein du groupe de projet "
        "« Politique sociale communale » de QuattroPole",
        "Abschlussrunde und Ausblick auf die künftigen Arbeiten der QuattroPole-Arbeitsgruppe "
        "„kommunale Sozialpolitik“",
        ["Madeleine Kayser", "Sylvie Bortot", "Guido Freidinger", "Hans-Werner Meyer"],
        [],
        [],
    ),
    ((16, 15), "closing", "Spectacle de clôture", "Abschlusszeremonie", [], [], []),
]

# How each speaker reads in the programme ("name, role, affiliation"), as printed.
SPEAKER_LINES = {
    "fr": [
        "Vincent Ferry, Chercheur au Laboratoire Lorrain de Sciences Sociales (2L2S), "
        "Groupe de Recherche sur l'Education et l'Emploi (GREE)",
        "Madeleine Kayser, Ville de Luxembourg",
        "Sylvie Bortot, CCAS Metz",
        "Guido Freidinger, Ville de Sarrebrück",
        "Hans-Werner Meyer, Ville de Trèves",
    ],
    "de": [
        "Vincent Ferry, Forscher am Lothringischen Institut für Sozialwissenschaften (2L2S), "
        "Forschungsgruppe für Bildung und Arbeit (GREE)",
        "Madeleine Kayser, Stadt Luxemburg",
        "Sylvie Bortot, CCAS Metz",
        "Guido Freidinger, Landeshauptstadt Saarbrücken",
        "Hans-Werner Meyer, Stadt Trier",
    ],
}


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def load(*args):
    call_command("load_demo", *args, stdout=io.StringIO())


@pytest.fixture(scope="class")
def _demo_of_the_class(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo content without posters (drawing them is slow; the poster tests draw them), loaded
    once for the tests of a class (tests/helpers.py: ``demo_for_a_group``)."""
    with demo_for_a_group(django_db_blocker, tmp_path_factory.mktemp("demo-media")):
        yield


@pytest.fixture
def demo(_demo_of_the_class, db):
    """The 2017 conference of the demo content (see ``_demo_of_the_class``), read afresh."""
    return Event.objects.get(slug_de=SLUG_DE)


@pytest.fixture
def demo_with_poster():
    load()
    return Event.objects.get(slug_de=SLUG_DE)


def test_running_twice_changes_nothing(settings):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    first = counts()
    posters = sorted(p.name for p in (settings.MEDIA_ROOT / "posters").iterdir())
    call_command("load_demo", stdout=out)
    assert counts() == first
    assert first["Event"] == 6  # the conference and five samples (issue 27: one per status)
    assert first["City"] == 4
    assert first["Category"] == 4
    assert sorted(p.name for p in (settings.MEDIA_ROOT / "posters").iterdir()) == posters
    assert "Demo content loaded" in out.getvalue()


def test_rerun_on_a_later_day_moves_the_samples_without_adding_rows():
    with time_machine.travel(datetime.datetime(2030, 3, 1, 12, tzinfo=PARIS), tick=False):
        load("--no-posters")
        before = counts()
    with time_machine.travel(datetime.datetime(2030, 6, 1, 12, tzinfo=PARIS), tick=False):
        load("--no-posters")
        assert counts() == before
        assert Event.objects.exclude(slug_de=SLUG_DE).earliest("start").start.date() > datetime.date(2030, 6, 1)


class TestTheConference2017:
    """What load_demo gives of the 2017 conference (and the cities and categories it uses), read by
    each test from one load for the class (``demo``): these tests read and never write."""

    def test_cities_and_categories(self, demo):
        cities = [(c.code, c.name_fr, c.name_de, c.order) for c in City.objects.all()]
        assert cities == [
            ("luxembourg", "Luxembourg", "Luxemburg", 1),
            ("metz", "Metz", "Metz", 2),
            ("saarbruecken", "Sarrebruck", "Saarbrücken", 3),
            ("trier", "Trèves", "Trier", 4),
        ]
        categories = {c.code: (c.name_fr, c.name_de) for c in Category.objects.all()}
        assert categories == {
            "quattropole": ("QuattroPole", "QuattroPole"),
            "culture": ("Culture", "Kultur"),
            "economy": ("Économie", "Wirtschaft"),
            "tourism": ("Tourisme", "Tourismus"),
        }

    def test_conference_2017_event(self, demo):
        event = demo
        assert event.slug_fr == SLUG_FR
        assert event.is_published
        assert event.title_fr == "Immigrations : une chance pour nos quatre villes"
        assert event.title_de == "Zuwanderung als Chance für unsere vier Städte"
        assert event.kicker_fr == "Conférence QuattroPole – Politique sociale communale"
        assert event.kicker_de == "QuattroPole-Konferenz – kommunale Sozialpolitik"
        assert event.teaser_de == (
            "Mittwoch, den 22. November 2017, organisiert die QuattroPole-Projektgruppe „kommunale Sozialpolitik“ "
            "eine Konferenz über die Integration der Zuwanderer in den vier Kommunen."
        )
        assert event.teaser_fr.startswith("Le mercredi 22 novembre 2017")
        paragraphs_de = event.description_de.split("\n\n")
        assert len(paragraphs_de) == 2
        assert paragraphs_de[0].startswith("Das Thema der Zuwanderung beschäftigt derzeit")
        assert paragraphs_de[1].startswith("Im Anschluss an verschiedene Arbeitssitzungen")
        assert "lädt die Projektgruppe Spezialisten" in paragraphs_de[1]
        paragraphs_fr = event.description_fr.split("\n\n")
        assert len(paragraphs_fr) == 2
        assert paragraphs_fr[0].startswith("La question migratoire interroge les politiques sociales")
        assert "le groupe de projet invite les spécialistes" in paragraphs_fr[1]

        assert event.category.code == "quattropole"
        assert sorted(c.code for c in event.cities.all()) == ["luxembourg", "metz", "saarbruecken", "trier"]
        assert (event.project_group.name_fr, event.project_group.name_de) == (
            "Politique sociale communale",
            "Kommunale Sozialpolitik",
        )
        assert event.start == datetime.datetime(2017, 11, 22, 9, 30, tzinfo=PARIS)
        assert event.end == datetime.datetime(2017, 11, 22, 17, 0, tzinfo=PARIS)

        assert event.registration_url_fr == "https://goo.gl/forms/3v1FALhzgVWzGtJo2"
        assert event.registration_url_de == "https://goo.gl/forms/ogk6r6PHZwplki0b2"
        assert event.registration_deadline == datetime.date(2017, 11, 15)
        # The invitation's "Simultanübersetzung Deutsch/Französisch", as data (issue 27).
        assert event.interpretation_fr == event.interpretation_de == ""
        assert (event.interpretation_kind, event.interpretation_from, event.interpretation_to) == (
            "simultaneous",
            "de",
            "fr",
        )
        assert event.languages == ["de", "fr"]
        assert event.venue.accessibility_example, "the demo's accessibility values are marked as examples"

    def test_conference_2017_venue(self, demo):
        venue = demo.venue
        assert (venue.name_fr, venue.name_de) == ("Hôtel de Ville", "Rathaus")
        assert venue.street == "1, place d'Armes – J.F. Blondel"
        assert (venue.postal_code, venue.locality_fr, venue.locality_de) == ("57036", "Metz", "Metz")
        assert (venue.country_fr, venue.country_de) == ("France", "Frankreich")
        assert venue.phone == "+33 387 555000"
        assert venue.website == "http://www.mairie-metz.fr/"
        assert venue.time_zone == "Europe/Paris"
        assert abs(float(venue.latitude) - 49.1197) < 0.002
        assert abs(float(venue.longitude) - 6.1755) < 0.002

    def test_conference_2017_people(self, demo):
        moderator, contact, host = demo.moderator, demo.contact, demo.host
        assert (moderator.name, moderator.role_fr, moderator.role_de) == (
            "Lisa Huth",
            "Journaliste SR3",
            "Journalistin SR3",
        )
        assert contact.name == "Jade Porcherot"
        assert (contact.role_fr, contact.role_de) == (
            "Assistante au Secrétariat général",
            "Assistentin der Geschäftsstelle",
        )
        assert (contact.phone, contact.email) == ("+352 247 80115", "jade.porcherot@granderegion.net")
        assert host.name == "Dominique Gros"
        assert host.role_fr == "Maire de Metz, Président de l'association QuattroPole"
        assert host.role_de == "Oberbürgermeister der Stadt Metz, Präsident von QuattroPole e.V."

    def test_conference_2017_host_letters(self, demo):
        letter_fr, letter_de = demo.host_letter_fr, demo.host_letter_de
        assert letter_fr.startswith("Madame, Monsieur,\n\nLa question migratoire interroge")
        assert "je vous invite à échanger sur les bonnes pratiques mises en œuvre dans nos territoires" in letter_fr
        for line in ("Mercredi 22 novembre 2017", "9h30 - 17h", "Hôtel de Ville", "1 place d'Armes – J.F. Blondel"):
            assert f"**{line}**" in letter_fr
        assert letter_fr.endswith("Madame, Monsieur, l'expression de ma considération distinguée.")

        assert letter_de.startswith("Sehr geehrte Damen und Herren,\n\ndas Thema der Zuwanderung")
        assert "lade ich Sie zu einem Austausch modellhafter Praktiken" in letter_de
        for line in ("Mittwoch, den 22. November 2017", "9:30 – 17 Uhr", "Rathaus", "57036 Metz"):
            assert f"**{line}**" in letter_de
        assert letter_de.endswith("verbleibe bis dahin mit freundlichen Grüßen.")
        # The page signs the letter with the host's name and role; the letter itself does not.
        assert "Dominique Gros" not in letter_fr + letter_de

    def test_conference_2017_programme_slot_by_slot(self, demo):
        slots = list(demo.slots.all())
        assert len(slots) == len(PROGRAMME_2017)
        for slot, (time, kind, title_fr, title_de, speakers, workshops_fr, workshops_de) in zip(
            slots, PROGRAMME_2017, strict=True
        ):
            assert slot.start == datetime.datetime(2017, 11, 22, *time, tzinfo=PARIS)
            assert slot.end is None  # the invitation gives start times only
            assert slot.kind == kind
            assert (slot.title_fr, slot.title_de) == (title_fr, title_de)
            assert [link.person.name for link in slot.slotspeaker_set.order_by("order")] == speakers
            workshops = list(slot.workshops.all())
            assert [w.title_fr for w in workshops] == workshops_fr
            assert [w.title_de for w in workshops] == workshops_de

    @pytest.mark.parametrize("language", ["fr", "de"])
    def test_conference_2017_speakers_read_as_printed(self, demo, language):
        links = SlotSpeaker.objects.filter(slot__event=demo).order_by("slot__start", "order")
        with translation.override(language):
            lines = [f"{link.person.name}, {link.person.description}" for link in links]
        assert lines == SPEAKER_LINES[language]

    def test_conference_page_shows_the_programme_in_german(self, client, demo):
        url = demo.get_absolute_url("de")  # /de/veranstaltungen/<slug_de>/ once the catalogues are compiled
        assert url.startswith("/de/") and url.endswith(f"/{SLUG_DE}/")
        response = client.get(url)
        assert response.status_code == 200
        text = html.unescape(response.content.decode())
        for expected in [
            "Zuwanderung als Chance für unsere vier Städte",
            "Empfang der Teilnehmer",
            "Einwanderung in der Großregion: eine vergleichende historische Analyse",
            SPEAKER_LINES["de"][0],
            # « » keep their spaces unbroken, in German text too
            "Stadtteilintegration (\u00ab\u00a0Bien vivre sa ville\u00a0\u00bb - Wohnen, Gesundheit, Kultur)",
            "Guido Freidinger, Landeshauptstadt Saarbrücken",
            "Abschlusszeremonie",
            "Simultanübersetzung Deutsch/Französisch",
            "Lisa Huth",
            "Jade Porcherot",
            "Sehr geehrte Damen und Herren",
        ]:
            assert expected in text

    def test_conference_page_shows_the_programme_in_french(self, client, demo):
        url = demo.get_absolute_url("fr")  # /fr/evenements/<slug_fr>/
        assert url.startswith("/fr/") and url.endswith(f"/{SLUG_FR}/")
        response = client.get(url)
        assert response.status_code == 200
        text = html.unescape(response.content.decode())
        for expected in [
            # as typed, with French typography: no-break spaces before ":" and inside « », ’
            "Immigrations\u00a0: une chance pour nos quatre villes",
            "Accueil des participants",
            "L’immigration en Grande Région\u00a0: une analyse historique comparée",
            "Vincent Ferry, Chercheur au Laboratoire Lorrain de Sciences Sociales (2L2S), "
            "Groupe de Recherche sur l’Education et l’Emploi (GREE)",
            "Bien vivre sa ville (logement, culture, santé) \u00ab\u00a0Stadtteilintegration\u00a0\u00bb",
            "Guido Freidinger, Ville de Sarrebrück",
            "Spectacle de clôture",
            "Interprétation simultanée allemand/français",
            "Madame, Monsieur,",
        ]:
            assert expected in text


def test_poster_is_a_jpeg_that_pillow_opens(demo_with_poster):
    demo = demo_with_poster
    assert demo.poster.name == "posters/demo-quattropole-2017-zuwanderung.jpg"
    with Image.open(demo.poster.path) as image:
        assert image.format == "JPEG"
        assert image.size == (1200, 1697)
    assert "Immigrations : une chance pour nos quatre villes" in demo.poster_alt_fr
    assert "Zuwanderung als Chance für unsere vier Städte" in demo.poster_alt_de


def test_missing_poster_file_is_drawn_again_under_the_same_name(demo_with_poster, settings):
    demo = demo_with_poster
    demo.poster.storage.delete(demo.poster.name)
    load()
    event = Event.objects.get(pk=demo.pk)
    assert event.poster.name == demo.poster.name
    assert event.poster.storage.exists(event.poster.name)
    assert len(list((settings.MEDIA_ROOT / "posters").iterdir())) == 6


def test_sample_events_are_upcoming_bilingual_examples():
    today = datetime.date(2030, 3, 1)
    with time_machine.travel(datetime.datetime(2030, 3, 1, 12, tzinfo=PARIS), tick=False):
        load("--no-posters")
        samples = list(Event.objects.exclude(slug_de=SLUG_DE).order_by("start"))
        upcoming = list(Event.objects.published().upcoming())
        states = [event.registration_state() for event in samples]
    assert len(samples) == 5
    assert upcoming == samples
    assert [event.start.date() > today for event in samples] == [True] * len(samples)
    # Every category and every city's venue among them; one sample per status (issue 27).
    assert {event.category.code for event in samples} == {"economy", "culture", "tourism", "quattropole"}
    assert len({event.venue.locality for event in samples}) == 4
    assert sorted(event.public_status(full=event.pk in fullness.full_ids(samples)) for event in samples) == [
        "full",
        "moved_online",
        "postponed",
        "rescheduled",
        "scheduled",
    ]
    rescheduled = next(event for event in samples if event.event_status == "rescheduled")
    assert rescheduled.previous_start < rescheduled.start
    for event in samples:
        assert event.title_de.startswith("Beispiel: ")
        assert event.title_fr.startswith("Exemple : ")
        assert completeness.missing_texts(event) == [], "the samples show complete bilingual events"
        assert event.slots.exists()
    assert Workshop.objects.filter(slot__event__in=samples).exists()
    assert Event.RegistrationState.OPEN in states
    open_event = samples[states.index(Event.RegistrationState.OPEN)]
    assert "example.org" in open_event.registration_url_fr
    assert "example.org" in open_event.registration_url_de
    assert today < open_event.registration_deadline < open_event.start.date()


def test_one_load_demo_command_in_the_project():
    """`manage.py load_demo` is one command: no app's command of that name shadows another's by the
    order of INSTALLED_APPS. It lives in the project package, which alone may import every app."""
    found = [
        config.name
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(settings.BASE_DIR)
        and "site-packages" not in Path(config.path).parts
        and (Path(config.path) / "management" / "commands" / "load_demo.py").exists()
    ]
    assert found == ["quattropole_site"]
