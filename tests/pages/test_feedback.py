"""The feedback form: a message sent in French reaches the secretariat through the task queue and is
acknowledged in French; kept in the admin with a status and the date an answer is due; errors in
the visitor's language with nothing typed lost; a honeypot and a rate limit."""

import datetime

import pytest
import time_machine
from django.core import mail

from pages.models import Feedback
from tests.helpers import html_of
from tests.registration.conftest import run_queue

pytestmark = pytest.mark.django_db

FORM = {
    "topic": "accessibility",
    "page": "/fr/evenements/",
    "message": "Le plan de la salle n’a pas de description textuelle.",
    "name": "Élodie Marchand",
    "email": "elodie@example.org",
    "website": "",
}


@pytest.fixture
def secretariat_address(settings):
    settings.FEEDBACK_EMAIL = "sekretariat@example.org"
    return settings.FEEDBACK_EMAIL


@time_machine.travel(datetime.datetime(2026, 12, 6, 10, tzinfo=datetime.UTC))
def test_a_french_message_reaches_the_secretariat_and_is_acknowledged_in_french(
    client, site_pages, secretariat_address, django_capture_on_commit_callbacks
):
    response = client.post("/fr/contact-accessibilite/", FORM, follow=True)
    assert response.redirect_chain == [("/fr/contact-accessibilite/envoye/", 302)]
    assert "Merci. Votre message nous est parvenu" in html_of(response)

    feedback = Feedback.objects.get()
    assert (feedback.language, feedback.status, feedback.topic) == ("fr", "new", "accessibility")
    assert feedback.answer_due == datetime.date(2026, 12, 20)  # the statement's 14 days
    assert mail.outbox == []  # sent by the queue's worker, not by the request

    with django_capture_on_commit_callbacks(execute=True):
        run_queue()
    to_secretariat, acknowledgement = mail.outbox
    assert to_secretariat.to == ["sekretariat@example.org"]
    assert to_secretariat.reply_to == ["elodie@example.org"]
    assert "Le plan de la salle n’a pas de description textuelle." in to_secretariat.body
    assert "Sprache: Französisch" in to_secretariat.body
    assert f"/admin/pages/feedback/{feedback.pk}/change/" in to_secretariat.body
    assert acknowledgement.to == ["elodie@example.org"]
    assert acknowledgement.subject == "Nous avons bien reçu votre message"
    assert acknowledgement.body.startswith("Bonjour Élodie Marchand,")
    assert "qui vous répondra sous 14 jours." in acknowledgement.body

    feedback.refresh_from_db()
    assert feedback.secretariat_notified_at is not None and feedback.acknowledged_at is not None
    run_queue()
    assert len(mail.outbox) == 2  # a task run again sends nothing twice


def test_without_an_address_of_its_own_the_message_goes_to_the_impressum_address(client, site_pages, settings):
    settings.FEEDBACK_EMAIL = ""
    client.post("/de/rueckmeldung/", {**FORM, "topic": "site"})
    run_queue()
    assert mail.outbox[0].to == ["kontakt@example.org"]
    assert mail.outbox[1].subject == "Wir haben Ihre Nachricht erhalten"


def test_errors_in_the_visitors_language_keep_what_was_typed(client, site_pages):
    response = client.post("/fr/contact-accessibilite/", {**FORM, "email": "pas-une-adresse"})
    assert response.status_code == 200
    page = html_of(response)
    assert "Saisissez une adresse de courriel valide." in page
    assert "Le plan de la salle n’a pas de description textuelle.</textarea>" in page
    assert 'value="pas-une-adresse"' in page
    assert not Feedback.objects.exists()


def test_a_robot_filling_the_hidden_field_is_refused(client, site_pages):
    response = client.post("/de/rueckmeldung/", {**FORM, "website": "http://spam.example"})
    assert response.status_code == 200
    assert "Ihre Eingabe sieht automatisiert aus. Bitte versuchen Sie es noch einmal." in html_of(response)
    assert not Feedback.objects.exists()


def test_too_many_messages_from_one_address_are_refused_and_kept_on_screen(client, site_pages, settings):
    settings.FEEDBACK_RATE_PER_IP = "2/h"
    with time_machine.travel(datetime.datetime(2026, 12, 6, 10, 0, tzinfo=datetime.UTC), tick=False):
        for _ in range(2):
            assert client.post("/fr/contact-accessibilite/", FORM).status_code == 302
        refused = client.post("/fr/contact-accessibilite/", FORM)
    assert refused.status_code == 429
    assert "Trop d’envois en peu de temps" in html_of(refused)
    assert "Le plan de la salle n’a pas de description textuelle.</textarea>" in html_of(refused)
    assert Feedback.objects.count() == 2


def test_the_secretariat_keeps_the_status_and_sees_what_is_overdue(secretary, site_pages):
    feedback = Feedback.objects.create(
        email="a@example.org", message="Kontrast", language="de", answer_due=datetime.date(2020, 1, 1)
    )
    listing = html_of(secretary.get("/admin/pages/feedback/"))
    assert "Überfällig" in listing
    response = secretary.post(
        f"/admin/pages/feedback/{feedback.pk}/change/", {"status": "answered", "notes": "Telefonisch beantwortet"}
    )
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert (feedback.status, feedback.notes, feedback.message) == ("answered", "Telefonisch beantwortet", "Kontrast")
    assert "Überfällig" not in html_of(secretary.get("/admin/pages/feedback/"))
