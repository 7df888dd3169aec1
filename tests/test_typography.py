"""French typography: the function that sets no-break spaces in what staff type
(events/typography.py), and the reading of French pages and e-mails that the whole suite runs
(tests/french_text.py, tests/conftest.py)."""

import re

import pytest
from django.core.mail import EmailMultiAlternatives
from django.http import HttpResponse

from events.typography import (
    french_typography,
    french_typography_html,
    guillemet_spaces,
    missing_space_signs,
    missing_spaces,
)
from registration.models import Email

from .conftest import FRENCH_PROBLEMS
from .french_text import email_problems, french_runs, page_problems

NB = "\u00a0"


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        # What the secretariat types: an ordinary space, or none, before : ; ? !
        ("Immigrations : une chance", f"Immigrations{NB}: une chance"),
        ("Téléphone: 03 87 55 50 00", f"Téléphone{NB}: 03 87 55 50 00"),
        ("Déjeuner ; discussion", f"Déjeuner{NB}; discussion"),
        ("Pourquoi venir?", f"Pourquoi venir{NB}?"),
        ("Bienvenue !", f"Bienvenue{NB}!"),
        ("Vraiment ?!", f"Vraiment{NB}?!"),
        # « » with ordinary spaces, or none
        ("« Cuisine du monde »", f"«{NB}Cuisine du monde{NB}»"),
        ("«Cuisine du monde»", f"«{NB}Cuisine du monde{NB}»"),
        ("(« Bien vivre sa ville »)", f"(«{NB}Bien vivre sa ville{NB}»)"),
        ("« Immigrations : une chance ! »", f"«{NB}Immigrations{NB}: une chance{NB}!{NB}»"),
    ],
)
def test_french_typography_sets_the_no_break_spaces(typed, shown):
    assert french_typography(typed) == shown
    assert missing_spaces(typed)
    assert missing_spaces(shown) == []


def test_french_typography_writes_the_apostrophe():
    assert french_typography("L'immigration d'aujourd'hui, 'citée'") == "L’immigration d’aujourd’hui, 'citée'"


@pytest.mark.parametrize(
    "text",
    [
        "de 9:30 à 17:00",  # times
        "au format 16:9, à 1:2",  # ratios
        "https://www.metz.fr/agenda?ville=metz&page=2",  # an address, with its query
        "http://[::1]:8000/fr/",  # an address with a port
        "mailto:jade.porcherot@granderegion.net",
        "écrire à jade.porcherot@granderegion.net",
        f"Lieu{NB}: Metz{NB}; salle{NB}? oui{NB}! «{NB}Agora{NB}»",  # already right
        "Lieu\u202f: Metz\u202f; salle\u202f?",  # the narrow no-break space is right too
        "Ratio a:b, clé=valeur;autre",  # signs inside a word
        "",
    ],
)
def test_what_french_typography_leaves_alone(text):
    assert french_typography(text) == text
    assert missing_spaces(text) == []


def test_a_sign_after_an_address_still_gets_its_space():
    assert french_typography("Voir https://www.metz.fr/ : le site") == f"Voir https://www.metz.fr/{NB}: le site"
    assert french_typography("Écrivez à jean@example.org !") == f"Écrivez à jean@example.org{NB}!"


def test_french_typography_is_idempotent():
    text = "« Immigrations : une chance pour nos quatre villes ! » L'atelier ; 9:30 ?"
    once = french_typography(text)
    assert french_typography(once) == once


def test_in_html_only_the_text_changes():
    html = (
        '<p title="a : b">Tom &amp; Jerry : <a href="https://x.org/?a=b">voir</a> « x »</p>'
        "<code>clé : valeur</code><style>p { color: red; }</style><script>let a = b ? c : d;</script>"
    )
    assert french_typography_html(html) == (
        f'<p title="a : b">Tom &amp; Jerry{NB}: <a href="https://x.org/?a=b">voir</a> «{NB}x{NB}»</p>'
        "<code>clé : valeur</code><style>p { color: red; }</style><script>let a = b ? c : d;</script>"
    )


def test_guillemets_in_any_language_keep_their_spaces_unbroken():
    assert guillemet_spaces("Stadtteilintegration (« Bien vivre sa ville » – Wohnen)") == (
        f"Stadtteilintegration («{NB}Bien vivre sa ville{NB}» – Wohnen)"
    )
    assert guillemet_spaces("«Swiss style»") == "«Swiss style»"  # nothing added where no space was
    assert guillemet_spaces("Zuwanderung: eine Chance") == "Zuwanderung: eine Chance"  # German colons alone


def test_missing_spaces_points_at_the_place():
    assert missing_spaces("Téléphone: 03 87") == ["Téléphon⟦e:⟧ 03 87"]


def test_missing_space_signs_are_found_where_they_stand_in_the_text_after_an_address():
    text = "Voir https://www.metz.fr/?a=b&c=d : la page «Agenda» ; merci\u00a0!"
    found = missing_space_signs(text)
    assert found == [(34, ":", " "), (44, "«", ""), (51, "»", ""), (53, ";", " ")]
    assert [text[index] for index, _sign, _typed in found] == [":", "«", "»", ";"]


# --- Reading a page as a French reader does --------------------------------------------------------

PAGE = """<!doctype html><html lang="fr"><head><title>Programme bilingue: Forum</title>
<script>var a = b ? c : d;</script><style>p { color: red; }</style></head>
<body><p>Lieu<span>:</span> Metz</p>
<p lang="de">Zuwanderung: eine Chance für unsere vier Städte!</p>
<p>À 9:30, voir <a href="https://www.metz.fr/?a=b">https://www.metz.fr/?a=b</a>.</p>
<p><span lang="de">Forum</span>: suite</p>
<img src="x.png" alt="Affiche : le forum">
<code>clé : valeur</code><textarea>tapé : tel quel</textarea>
<dl><dt>Catégorie</dt><dd>: QuattroPole</dd></dl>
</body></html>"""


def test_the_french_text_of_a_page():
    runs = french_runs(PAGE)
    assert "Programme bilingue: Forum" in runs  # the title is read
    assert "Lieu: Metz" in runs  # text split over elements is read as one
    assert "Affiche : le forum" in runs  # a text alternative is read
    assert "x: suite" in runs  # the German word counts as a word before the French colon
    assert not any("Zuwanderung" in run or "var a" in run or "color" in run or "clé" in run for run in runs)
    assert not any("tapé" in run for run in runs)


def test_a_french_page_with_missing_no_break_spaces():
    response = HttpResponse(PAGE, headers={"Content-Language": "fr"})
    assert page_problems(response) == [
        "Programme bilingu⟦e:⟧ Forum",
        "Lie⟦u:⟧ Metz",
        "⟦x:⟧ suite",
        "Affich⟦e :⟧ le forum",
    ]


def test_a_german_page_is_not_read_for_french_typography():
    assert page_problems(HttpResponse(PAGE.replace('lang="fr"', 'lang="de"'), headers={"Content-Language": "de"})) == []


def test_a_french_email_is_read_subject_text_and_html():
    message = EmailMultiAlternatives(
        subject="Inscription confirmée : Forum",
        body="Votre inscription: Confirmée\n- Prénom: Élodie\nhttps://example.org/fr/inscription/abc:def/\n",
        headers={"Content-Language": "fr"},
    )
    message.attach_alternative("<h2>Votre inscription: Confirmée</h2>", "text/html")
    assert email_problems(message) == [
        "Inscription confirmé⟦e :⟧ Forum",
        "Votre inscriptio⟦n:⟧ Confirmée",
        "- Préno⟦m:⟧ Élodie",
        "Votre inscriptio⟦n:⟧ Confirmée",
    ]
    message.extra_headers["Content-Language"] = "de"
    assert email_problems(message) == []


def test_every_french_page_the_test_client_gets_is_read(client, request, settings):
    """The suite-wide check (tests/conftest.py) sees what the test client gets: here a page of a
    throwaway address, whose problem is taken back so that this test itself passes."""
    settings.ROOT_URLCONF = "tests.typography_urls"
    client.get("/fr/lieu/")
    client.get("/de/ort/")
    problems = request.node.stash[FRENCH_PROBLEMS]
    assert problems == ["/fr/lieu/: Lie⟦u:⟧ Metz"]
    problems.clear()


# --- On the site and in the e-mails ----------------------------------------------------------------


@pytest.fixture
def typed_by_the_secretariat(db):
    """An event as the secretariat types it: ordinary spaces before the colon, straight quotes."""
    from .factories import PersonFactory, ProgrammeSlotFactory, SlotSpeakerFactory, conference_2017

    event = conference_2017(
        title_fr="Immigrations : une chance pour nos quatre villes !",
        teaser_fr="Une journée d'échanges : « Bien vivre sa ville ».",
        description_fr="Au programme : des ateliers ; un déjeuner « Cuisine du monde ».",
    )
    one = ProgrammeSlotFactory(event=event, start=event.start, title_fr="Ouverture : le maire", title_de="Eröffnung")
    SlotSpeakerFactory(slot=one, person=PersonFactory(name="Élodie Martin", role_fr="Maire", role_de="Bürgermeisterin"))
    two = ProgrammeSlotFactory(event=event, start=event.start, title_fr="Table ronde", title_de="Podium")
    SlotSpeakerFactory.create_batch(2, slot=two)
    return event


def test_the_french_event_page_sets_what_was_typed(client, typed_by_the_secretariat):
    html = client.get(typed_by_the_secretariat.get_absolute_url("fr")).content.decode()
    assert f"<h1>Immigrations{NB}: une chance pour nos quatre villes{NB}!</h1>" in html
    assert f"<title>Immigrations{NB}: une chance pour nos quatre villes{NB}! – " in html
    assert f"Une journée d’échanges{NB}: «{NB}Bien vivre sa ville{NB}»." in html
    assert f"<p>Au programme{NB}: des ateliers{NB}; un déjeuner «{NB}Cuisine du monde{NB}».</p>" in html
    assert f'<span class="label">Téléphone{NB}:</span>' in html


@pytest.mark.parametrize(
    ("language", "one", "two"),
    [("fr", f"Intervention{NB}: ", f"Interventions{NB}: "), ("de", "Es spricht: ", "Es sprechen: ")],
)
def test_the_speakers_label_agrees_with_their_number_and_any_gender(
    client, typed_by_the_secretariat, language, one, two
):
    html = client.get(typed_by_the_secretariat.get_absolute_url(language)).content.decode()
    labels = re.findall(r'<span class="visually-hidden">([^<]*)</span><span class="person">', html)
    assert labels == [one, two]


def test_the_bilingual_programmes_title(client, typed_by_the_secretariat):
    html = client.get(typed_by_the_secretariat.get_programme_url("fr")).content.decode()
    assert f"<title>Programme bilingue{NB}: Immigrations{NB}: une chance pour nos quatre villes{NB}! – " in html


@pytest.mark.parametrize("kind", [kind for kind, _label in Email.Kind.choices])
def test_every_french_email_has_its_no_break_spaces(typed_by_the_secretariat, kind):
    from registration.emails import build

    from .registration.factories import RegistrationFactory, RegistrationSettingsFactory

    RegistrationSettingsFactory(event=typed_by_the_secretariat, ask_lunch=True, ask_dietary_needs=True)
    registration = RegistrationFactory(
        event=typed_by_the_secretariat,
        language="fr",
        first_name="Élodie",
        last_name="L'Hôte",
        organisation="Ville de Metz ; service culture",
        other_town="Nancy",
        dietary_needs="végétarienne; sans gluten",
    )
    message = build(Email.objects.create(registration=registration, kind=kind, position=3))
    assert email_problems(message) == []
    html = message.alternatives[0][0]
    assert f"Immigrations{NB}: une chance pour nos quatre villes{NB}!" in message.subject
    # The one e-mail to an address not confirmed yet carries none of the answers (issue 21).
    with_answers = kind != Email.Kind.CONFIRM_ADDRESS
    assert (f"- Prénom{NB}: Élodie\n" in message.body) is with_answers
    assert (f"- Organisme{NB}: Ville de Metz{NB}; service culture\n" in message.body) is with_answers
    assert f"\nVotre inscription{NB}: " in message.body
    assert "<h2>Votre inscription</h2>" in html


def test_the_registrants_pages_set_the_title_and_need_no_elision(client, db):
    from registration import links

    from .factories import EventFactory
    from .registration.factories import RegistrationFactory, RegistrationSettingsFactory

    event = EventFactory(title_fr="Forum : les quatre villes")
    RegistrationSettingsFactory(event=event)
    registration = RegistrationFactory(event=event, first_name="Élodie", last_name="Martin")
    html = client.get(links.manage_url(registration, "fr", page="registration:cancel")).content.decode()
    assert f"Élodie Martin, voulez-vous vraiment annuler votre inscription{NB}?" in html
    assert "de Élodie" not in html
    assert f">Forum{NB}: les quatre villes</a>" in html


def test_the_german_catalogue_says_sekretariat():
    from pathlib import Path

    from django.conf import settings

    catalogue = (Path(settings.BASE_DIR) / "locale/de/LC_MESSAGES/django.po").read_text()
    assert "Geschäftsstelle" not in catalogue
    assert "Das Sekretariat von QuattroPole verwendet Ihre Angaben nur" in catalogue


# --- In the admin ------------------------------------------------------------------------------------


def test_the_french_admin_writes_labels_with_their_no_break_space(admin_client, typed_by_the_secretariat):
    from django.urls import reverse

    admin_client.cookies["django_language"] = "fr"
    event = typed_by_the_secretariat
    page = admin_client.get(reverse("admin:events_event_translate", args=[event.pk])).content.decode()
    assert f"<h3>Lieu{NB}: Hôtel de Ville, Metz</h3>" in page
    assert f"<h3>Catégorie{NB}: QuattroPole</h3>" in page
    assert f"<h3>Immigrations{NB}: une chance pour nos quatre villes{NB}!</h3>" in page
    assert f"Langue de l’administration{NB}:" in page
    assert f"Changer de thème (actuellement{NB}: automatique)" in page


def test_quotas_and_seats_are_named_as_each_language_writes_a_label(db):
    from django.utils import translation

    from registration.models import CityQuota

    from .factories import CityFactory
    from .registration.factories import RegistrationSettingsFactory

    quota = CityQuota(
        settings=RegistrationSettingsFactory(), city=CityFactory(name_de="Trier", name_fr="Trèves"), places=10
    )
    with translation.override("fr"):
        assert str(quota) == f"Trèves{NB}: 10"
    with translation.override("de"):
        assert str(quota) == "Trier: 10"


def test_truncated_titles_keep_their_no_break_spaces():
    """Every template's truncatewords (the admin's breadcrumbs) keeps words joined by a no-break
    space joined: Django's split them and joined them again with ordinary spaces."""
    from django.template import Context, Template

    title = f"Immigrations{NB}: une chance pour nos quatre villes{NB}!"
    rendered = Template('{{ title|truncatewords:"4" }}').render(Context({"title": title}))
    assert rendered == f"Immigrations{NB}: une chance pour …"
