"""The registration box and form on the event page, a submission's answer (confirmed, the
offer of the waiting list, errors with everything typed kept), the registrant's own pages
behind the signed link, "send me my link", the states of a closed form, and the limits on
abuse (rate limit, honeypot, duplicates that reveal nothing)."""

import datetime
import html
import re

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from registration import links
from registration.models import Registration
from tests.factories import PersonFactory, ProgrammeSlotFactory, SlotSpeakerFactory
from tests.helpers import html_of, url
from tests.test_security import assert_csp_clean

from .factories import event_with_form

pytestmark = pytest.mark.django_db


def register_url(event, language="de"):
    return event.page_url("registration:register", language)


def valid(event, **fields):
    """form_data() with the event's first workshop chosen."""
    workshop = next(iter(event.workshops_by_title.values()), None)
    return form_data(**({"workshop": str(workshop.pk)} if workshop else {}), **fields)


def form_data(city="trier", **fields):
    data = {
        "first_name": "Anaïs",
        "last_name": "Müller",
        "email": "anais.mueller@example.org",
        "organisation": "Ville de Metz",
        "city": city,
        "other_town": "",
        "language": "fr",
        "bus": "none",
        "lunch": "no",
        "consent": "on",
        "website": "",
    }
    data.update(fields)
    return {name: value for name, value in data.items() if value is not None}


def text(response):
    """The page with runs of spaces and line breaks as one space (no-break spaces kept)."""
    return html.unescape(re.sub(r"[ \t\r\n]+", " ", html_of(response)))


@pytest.fixture
def event(cities):
    return event_with_form(
        capacity=40,
        quotas=dict.fromkeys(cities.values(), 10),
        other_places=0,
        workshops=["Mobilität", "Grenzalltag"],
        seats={"Mobilität": 20, "Grenzalltag": 20},
        ask_lunch=True,
        ask_dietary_needs=True,
        ask_bus=True,
    )


def test_the_form_is_on_the_event_page_with_the_places_left(client, event, register, cities):
    for _ in range(8):
        register(event, cities["trier"])
    for _ in range(10):
        register(event, cities["metz"])
    for _ in range(5):
        register(event, cities["luxembourg"])
    page = text(client.get(event.get_absolute_url("de")))
    assert "Noch 17 Plätze, davon 5 für Luxemburg, 10 für Saarbrücken und 2 für Trier." in page
    assert "Für Metz und andere Orte ist kein Platz mehr frei; die Warteliste ist offen." in page
    page = text(client.get(event.get_absolute_url("fr")))
    assert "Encore 17 places, dont 5 pour Luxembourg, 10 pour Sarrebruck et 2 pour Trèves." in page
    assert "Plus de place pour Metz et d’autres villes\u00a0; la liste d’attente est ouverte." in page


def test_singular_and_plural_in_both_languages(client, register, cities):
    event = event_with_form(capacity=2, quotas={cities["trier"]: 2})
    register(event, cities["trier"])
    assert "Noch 1 Platz." in text(client.get(event.get_absolute_url("de")))
    assert "Encore 1 place." in text(client.get(event.get_absolute_url("fr")))
    register(event, cities["trier"])
    register(event, cities["trier"])
    register(event, cities["trier"])
    assert "Alle Plätze sind vergeben." in text(client.get(event.get_absolute_url("de")))
    assert "2 Personen stehen auf der Warteliste." in text(client.get(event.get_absolute_url("de")))
    assert "2 personnes sont sur la liste d’attente." in text(client.get(event.get_absolute_url("fr")))


def test_form_fields_are_labelled_with_autocomplete_and_fieldsets(client, event):
    page = html_of(client.get(event.get_absolute_url("fr")))
    for name, autocomplete in [
        ("first_name", "given-name"),
        ("last_name", "family-name"),
        ("email", "email"),
        ("organisation", "organization"),
        ("other_town", "address-level2"),
    ]:
        assert re.search(rf'<input type="\w+" name="{name}" autocomplete="{autocomplete}"', page), name
        assert f'<label class="form-label" for="id_{name}">' in page
    for legend in [
        "D’où venez-vous\u00a0?",
        "À quel atelier souhaitez-vous participer\u00a0?",
        "Déjeunerez-vous avec nous\u00a0?",
    ]:
        assert f'<legend class="fieldset__legend">{legend}</legend>' in html.unescape(page)
    assert 'for="id_city_3">Trèves</label>' in page
    assert "Mobilität (fr) (encore 20 places)" in html.unescape(page)
    assert f'action="{register_url(event, "fr")}#register"' in page
    assert 'name="csrfmiddlewaretoken"' in page


def confirm(client, language="fr"):
    """Opens the link of the request to confirm (the last one written) and presses the button."""
    held = Registration.objects.filter(status__in=["held", "pending"]).latest("id")
    page = client.get(links.manage_url(held, language))
    assert links.manage_url(held, language, "registration:confirm") in html_of(page)
    return client.post(links.manage_url(held, language, "registration:confirm"))


def test_register_check_the_email_confirm_then_the_registrants_page(client, event, commit, cities):
    workshop = event.workshops_by_title["Mobilität"]
    with commit():
        response = client.post(
            register_url(event, "fr"),
            form_data(
                workshop=str(workshop.pk),
                lunch="yes",
                dietary_needs="végétarien",
                bus="metz",
                email=" Anais.Mueller@Example.org",
            ),
        )
    registration = Registration.objects.get()
    assert response.status_code == 302
    # No personal link in the answer: the link goes to the address alone.
    assert response["Location"] == event.page_url("registration:check_email", "fr")
    page = text(client.get(response["Location"]))
    assert "Consultez vos e-mails" in page and "Nous avons envoyé un e-mail à anais.mueller@example.org." in page
    assert links.token(registration) not in html_of(client.get(response["Location"]))
    assert (registration.status, registration.email, registration.city, registration.language) == (
        "held",
        "anais.mueller@example.org",
        cities["trier"],
        "fr",
    )
    assert registration.lunch is True and registration.bus_city == cities["metz"]
    assert list(registration.workshops.all()) == [workshop]
    with commit():
        response = confirm(client)
    assert response["Location"] == links.manage_url(registration, "fr")
    page = text(client.get(response["Location"]))
    assert (
        "Merci\u00a0: votre inscription est confirmée. Nous avons envoyé une confirmation à anais.mueller@example.org."
        in page
    )
    for shown in [
        "Anaïs",
        "Müller",
        "anais.mueller@example.org",
        "Ville de Metz",
        "Trèves",
        "Mobilität (fr)",
        "végétarien",
        "Metz",
        "Français",
    ]:
        assert shown in page
    assert "Ce que nous conservons à votre sujet" in page
    registration.refresh_from_db()
    assert registration.status == "confirmed" and registration.expires_at is None


def test_errors_next_to_fields_and_in_a_summary_with_everything_kept(client, event):
    response = client.post(
        register_url(event, "de"),
        form_data(first_name="", email="nicht-gueltig", city=None, consent=None, organisation="Städtische Bühne"),
    )
    assert response.status_code == 200
    page = html_of(response)
    assert "<title>Fehler: " in page
    summary = page[page.index('class="error-summary"') : page.index("</ul>", page.index('class="error-summary"'))]
    assert 'role="alert"' in page
    assert '<a href="#id_first_name">Geben Sie Ihren Vornamen ein</a>' in summary
    assert (
        '<a href="#id_email">Geben Sie eine E-Mail-Adresse im richtigen Format ein, zum Beispiel name@example.org</a>'
        in summary
    )
    assert '<a href="#id_city_0">Wählen Sie aus, woher Sie kommen</a>' in summary
    assert '<a href="#id_consent">Akzeptieren Sie den Datenschutzhinweis, um sich anzumelden</a>' in summary
    # Next to the field, tied to it for screen readers.
    error = '<span class="visually-hidden">Fehler:</span> Geben Sie Ihren Vornamen ein</p>'
    assert f'<p class="error-message" id="id_first_name-error">{error}' in page
    assert 'aria-describedby="id_first_name-error" aria-invalid="true"' in page
    # Nothing typed is lost.
    assert 'value="Müller"' in page and 'value="nicht-gueltig"' in page and 'value="Städtische Bühne"' in page
    assert 'value="fr" id="id_language_1" required checked' in page
    assert not Registration.objects.exists()
    assert_csp_clean(response)


def test_title_prefix_in_french(client, event):
    page = html.unescape(html_of(client.post(register_url(event, "fr"), form_data(first_name=""))))
    assert "<title>Erreur\u00a0: " in page


def test_a_full_city_offers_the_waiting_list_with_the_position(client, event, register, commit, cities):
    for _ in range(10):
        register(event, cities["trier"])
    register(event, cities["trier"])  # waiting, number 1
    data = form_data(workshop=str(event.workshops_by_title["Mobilität"].pk), lunch="no")
    response = client.post(register_url(event, "de"), data)
    assert response.status_code == 200
    page = text(response)
    assert "Für Sie ist kein Platz mehr frei" in page
    assert "Alle Plätze für Trier sind vergeben." in page
    assert "Sie wären auf Platz 2." in page
    assert 'name="waiting_list" value="yes"' in html_of(response)
    assert Registration.objects.filter(email="anais.mueller@example.org").count() == 0

    with commit():
        response = client.post(register_url(event, "de"), {**data, "waiting_list": "yes"})
    registration = Registration.objects.get(email="anais.mueller@example.org")
    assert registration.status == "pending" and registration.queued_at is None  # not in the line yet
    with commit():
        response = confirm(client, "de")
    registration.refresh_from_db()
    assert registration.status == "waitlisted"
    page = text(client.get(response["Location"]))
    assert "Vous êtes sur la liste d’attente, au numéro 2." not in page  # the page speaks German
    assert "Sie stehen auf der Warteliste, auf Platz 2." in page
    assert "Warteliste, Platz 2" in page


def test_a_full_workshop_suggests_another(client, cities):
    event = event_with_form(workshops=["Klein", "Groß"], seats={"Klein": 0})
    small = event.workshops_by_title["Klein"]
    page = text(client.get(event.get_absolute_url("de")))
    assert "Klein (ausgebucht – Warteliste)" in page
    response = client.post(register_url(event, "de"), form_data(workshop=str(small.pk)))
    page = text(response)
    assert "Die Arbeitsgruppe „Klein“ ist ausgebucht." in page
    assert "Oder wählen Sie unten eine andere Arbeitsgruppe und senden Sie das Formular erneut." in page


def test_resend_answers_the_same_whether_registered_or_not(client, event, register, deliver, commit, cities):
    registered = register(event, cities["metz"], language="fr")
    deliver()
    mail.outbox.clear()
    resend = event.page_url("registration:resend", "fr")
    with commit():
        known = text(client.post(resend, {"email": registered.email}))
        unknown = text(client.post(resend, {"email": "personne@example.org"}))
    assert known.replace(registered.email, "X") == unknown.replace("personne@example.org", "X")
    assert "Si X est inscrite à cet événement, nous venons d’envoyer le lien à cette adresse." in known.replace(
        registered.email, "X"
    )
    assert [message.to for message in deliver()] == [[registered.email]]


def test_honeypot_refuses_robots_and_keeps_what_people_typed(client, event):
    response = client.post(register_url(event, "de"), form_data(website="http://spam.example"))
    page = html_of(response)
    assert "Ihre Eingabe sieht automatisiert aus." in html.unescape(page)
    assert 'value="Müller"' in page
    assert 'name="website" id="id_website" value=""' in page
    assert not Registration.objects.exists()


def test_rate_limit_per_address_keeps_the_input(client, event, settings):
    settings.REGISTRATION_RATE_PER_IP = "2/m"
    with time_machine.travel(timezone.now(), tick=False):  # all three in one minute's window
        for _ in range(2):
            client.post(register_url(event, "de"), form_data(first_name=""))
        response = client.post(register_url(event, "de"), valid(event))
    assert response.status_code == 429
    page = text(response)
    assert "Zu viele Anfragen in kurzer Zeit." in page
    assert 'value="Müller"' in html_of(response)
    assert not Registration.objects.exists()
    # Another address is not limited.
    response = client.post(register_url(event, "de"), valid(event), REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 302


def test_rate_limit_per_email_address(client, event, settings):
    settings.REGISTRATION_RATE_PER_EMAIL = "2/m"
    with time_machine.travel(timezone.now(), tick=False):  # all three in one minute's window
        for number in range(2):
            client.post(register_url(event, "de"), form_data(first_name=""), REMOTE_ADDR=f"192.0.2.{number}")
        response = client.post(register_url(event, "de"), valid(event), REMOTE_ADDR="192.0.2.9")
    assert response.status_code == 429


def test_registering_works_while_the_cache_is_away(client, event, settings):
    """Redis stopped: the rate limit cannot count, the registration goes through all the same."""
    settings.CACHES = {**settings.CACHES, "default": {"BACKEND": "tests.broken_cache.BrokenCache"}}
    response = client.post(register_url(event, "de"), valid(event))
    assert response.status_code == 302
    assert Registration.objects.get().email == "anais.mueller@example.org"


def test_get_on_the_form_address_leads_to_the_event_page(client, event):
    response = client.get(register_url(event, "fr"))
    assert response.status_code == 302 and response["Location"] == event.get_absolute_url("fr") + "#register"


def test_unknown_event_or_event_without_form_is_a_404(client, event):
    from tests.factories import EventFactory

    assert client.post("/de/veranstaltungen/gibt-es-nicht/anmelden/", form_data()).status_code == 404
    other = EventFactory()
    assert client.post(register_url(other, "de"), form_data()).status_code == 404


@pytest.mark.parametrize(
    ("moment", "de", "fr"),
    [
        ("before", "Die Anmeldung öffnet am", "Les inscriptions ouvrent le"),
        ("closed", "Die Anmeldung wurde am", "Les inscriptions ont été closes le"),
        (
            "started",
            "Die Veranstaltung hat begonnen: Die Anmeldung ist geschlossen.",
            "L’événement a commencé\u00a0: les inscriptions sont closes.",
        ),
        ("ended", "Die Veranstaltung ist bereits abgelaufen.", "L’événement est terminé."),
    ],
)
def test_the_form_is_gone_and_the_page_says_why(client, moment, de, fr):
    now = timezone.now()
    event = event_with_form(opens_at=now + datetime.timedelta(days=1), closes_at=now + datetime.timedelta(days=5))
    at = {
        "before": now,
        "closed": now + datetime.timedelta(days=6),
        "started": event.start + datetime.timedelta(minutes=5),
        "ended": event.end + datetime.timedelta(minutes=5),
    }[moment]
    with time_machine.travel(at, tick=False):
        for language, sentence in (("de", de), ("fr", fr)):
            response = client.get(event.get_absolute_url(language))
            assert 'class="registration-form"' not in html_of(response)
            assert sentence in text(response)
            post = client.post(register_url(event, language), form_data())
            assert post.status_code == 200 and not Registration.objects.exists()


def test_a_cancelled_event_has_no_form(client):
    event = event_with_form()
    event.is_cancelled = True
    event.save()
    for language, sentence in (
        ("de", "Die Veranstaltung ist abgesagt: Die Anmeldung ist geschlossen."),
        ("fr", "L’événement est annulé\u00a0: les inscriptions sont closes."),
    ):
        response = client.get(event.get_absolute_url(language))
        assert 'class="registration-form"' not in html_of(response)
        assert sentence in text(response)


def test_an_event_with_an_external_link_keeps_it(client):
    from tests.factories import EventFactory

    event = EventFactory(registration_url_de="https://example.org/anmeldung")
    page = html_of(client.get(event.get_absolute_url("de")))
    assert 'href="https://example.org/anmeldung"' in page
    assert 'class="registration-form"' not in page


# --- The registrant's own pages -------------------------------------------------------------------


def test_a_forged_or_outdated_link_is_a_404(client, register, event, cities):
    registration = register(event, cities["metz"])
    token = links.token(registration)
    assert client.get(url("registration:manage", "de", token=token + "x")).status_code == 404
    assert client.get(url("registration:manage", "de", token="abc")).status_code == 404
    assert client.get(url("registration:manage", "de", token=token)).status_code == 200


def test_registrant_pages_are_not_cached_nor_indexed(client, register, event, cities):
    registration = register(event, cities["metz"])
    response = client.get(links.manage_url(registration, "de"))
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_change_answers_while_open(client, register, event, commit, cities):
    registration = register(event, cities["metz"], language="de", workshops=[event.workshops_by_title["Mobilität"]])
    change = links.manage_url(registration, "de", "registration:change")
    page = html_of(client.get(change))
    assert f'value="{registration.email}"' in page and 'value="metz" id="id_city_1" required checked' in page
    with commit():
        response = client.post(
            change,
            form_data(
                city="luxembourg",
                email=registration.email,
                language="de",
                consent=None,
                workshop=str(event.workshops_by_title["Grenzalltag"].pk),
                lunch="yes",
                bus="none",
            ),
        )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.city == cities["luxembourg"] and registration.first_name == "Anaïs"
    assert list(registration.workshops.all()) == [event.workshops_by_title["Grenzalltag"]]
    assert "Ihre Antworten sind gespeichert." in text(client.get(response["Location"]))


def test_change_errors_keep_the_input_with_a_summary(client, register, event, cities):
    registration = register(event, cities["metz"], language="fr")
    response = client.post(
        links.manage_url(registration, "fr", "registration:change"), form_data(last_name="", consent=None)
    )
    page = html.unescape(html_of(response))
    assert "<title>Erreur\u00a0: " in page
    assert '<a href="#id_last_name">Indiquez votre nom</a>' in page
    assert 'value="Anaïs"' in page


def test_no_change_once_registration_closed(client, register, cities):
    event = event_with_form(closes_at=timezone.now() + datetime.timedelta(days=1))
    registration = register(event, cities["metz"], language="de")
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2), tick=False):
        response = client.get(links.manage_url(registration, "de", "registration:change"))
        assert response.status_code == 302
        page = text(client.get(response["Location"]))
        assert "Die Anmeldung ist geschlossen: Ihre Antworten können nicht mehr geändert werden." in page
        # Cancelling is still possible until the event starts.
        assert "Meine Anmeldung stornieren" in page


def test_cancel_with_confirmation_and_the_next_one_is_promoted(client, register, commit, deliver, cities):
    event = event_with_form(capacity=1)
    registration = register(event, cities["metz"], language="de")
    waiting = register(event, cities["trier"], language="fr")
    deliver()
    mail.outbox.clear()
    cancel = links.manage_url(registration, "de", "registration:cancel")
    assert "Möchten Sie die Anmeldung von" in text(client.get(cancel))
    with commit():
        response = client.post(cancel)
    assert "Ihre Anmeldung ist storniert." in text(client.get(response["Location"]))
    assert Registration.objects.get(pk=waiting.pk).status == "confirmed"
    subjects = sorted(message.subject for message in deliver())
    assert subjects == [f"Anmeldung storniert: {event.title_de}", f"Vous avez une place\u00a0: {event.title_fr}"]


def test_anonymised_registrations_link_leads_nowhere(client, register, event, commit, cities):
    registration = register(event, cities["metz"])
    old = links.manage_url(registration, "de")
    with commit():
        Registration.objects.filter(pk=registration.pk).update(anonymised_at=timezone.now())
    assert client.get(old).status_code == 404


# --- Query counts ----------------------------------------------------------------------------------


@pytest.mark.parametrize("registrations", [1, 30])
def test_event_page_queries_do_not_grow_with_registrations(
    client, event, register, cities, registrations, django_assert_num_queries
):
    for number in range(registrations):
        register(event, list(cities.values())[number % 4], workshops=[event.workshops_by_title["Mobilität"]])
    slot = ProgrammeSlotFactory(event=event, start=event.start)
    SlotSpeakerFactory(slot=slot, person=PersonFactory())
    # The event page's own queries (5) and the page cache's next state change (1), then the box:
    # form settings, quotas, seats, counts, workshop counts, cities; the footer's accessibility
    # status (1, the cache is empty); whether the event is full, for its status (1); the event's
    # materials (1, for the documentation, the slots and the JSON-LD alike).
    with django_assert_num_queries(5 + 1 + 6 + 1 + 1 + 1):
        assert client.get(event.get_absolute_url("de")).status_code == 200


def test_the_language_switcher_keeps_the_registrants_page(client, register, event, cities):
    registration = register(event, cities["metz"])
    page = html_of(client.get(links.manage_url(registration, "de")))
    assert f'<a href="{links.manage_url(registration, "fr")}" hreflang="fr" lang="fr">' in page
