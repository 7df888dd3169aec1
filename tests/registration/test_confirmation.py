"""Fair registration (issue 21): a place asked for on the website is held until the address is
confirmed with the link of the one e-mail sent to it, then confirmed; past its window it is
free again at once and goes to the waiting list. One client holds a few unconfirmed places at
most; the form answers a registered address exactly as a new one, and never hands out a link."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from events.models import Event
from registration import links
from registration.models import Email, Registration, change_moments
from registration.services import addresses, booking, capacity, errors, notifications, retention
from tests.helpers import html_of

from .conftest import answers, run_queue
from .factories import event_with_form
from .test_emails import Inbox, smtp_server
from .test_views import form_data, register_url, text

pytestmark = pytest.mark.django_db

WINDOW = datetime.timedelta(minutes=30)


def request(event, city=None, join=False, client="", **fields):
    return booking.request_place(event, answers(city, **fields), language="de", join_waiting_list=join, client=client)


def after_the_window(minutes=1):
    return time_machine.travel(timezone.now() + WINDOW + datetime.timedelta(minutes=minutes), tick=False)


# --- Held places ------------------------------------------------------------------------------------


def test_a_held_place_counts_until_its_window_ends_and_is_free_at_once_after(client, commit, settings):
    settings.REGISTRATION_HOLD_MINUTES = 30
    event = event_with_form(capacity=4)
    with commit():
        held = [request(event) for _ in range(3)]
    assert {r.status for r in held} == {"held"}
    places = capacity.availability(event)
    assert (places.held, places.confirmed, places.places_left()) == (3, 0, 1)
    page = text(client.get(event.get_absolute_url("de")))
    assert '<p class="registration__places">Noch 1 Platz.</p>' in page
    assert (
        '<p class="registration__held">3 Plätze sind reserviert und warten auf die Bestätigung der E-Mail-Adresse.'
        in page
    )
    assert "3 places réservées en attente de confirmation de l’adresse e-mail." in text(
        client.get(event.get_absolute_url("fr"))
    )
    with after_the_window():
        # Nothing has run since: the passed windows are free when read.
        assert Registration.objects.filter(status="held").count() == 3
        assert capacity.availability(event).places_left() == 4
        page = text(client.get(event.get_absolute_url("de")))
        assert "Noch 4 Plätze." in page and "reserviert" not in page


def test_the_cached_event_page_ends_with_the_next_window(commit):
    event = event_with_form(capacity=4)
    with commit():
        held = request(event)
    now = timezone.now()
    assert Event.objects.filter(pk=event.pk).next_change(now, **change_moments(now)) == held.expires_at


def test_an_expired_place_goes_to_the_waiting_list_before_anyone_else(register, commit):
    event = event_with_form(capacity=1)
    with commit():
        held = request(event)
    waiting = register(event)  # asked and confirmed: first in line
    assert waiting.status == "waitlisted" and waiting.position == 1
    with after_the_window():
        # The next locked change finalises the window first: the place is the waiting list's.
        with pytest.raises(errors.NoPlace), commit():
            request(event)
        with commit():
            assert request(event, join=True).status == "pending"
    held.refresh_from_db()
    assert held.status == "expired" and held.client_key == ""
    assert Registration.objects.get(pk=waiting.pk).status == "confirmed"
    assert Email.objects.filter(registration=waiting, kind="promoted").exists()
    assert not Email.objects.filter(registration=held).exclude(kind="confirm_address").exists()  # one e-mail


def test_the_worker_finalises_each_window_as_it_ends(register, commit):
    event = event_with_form(capacity=1)
    with commit():
        held = request(event)
    waiting = register(event)
    with commit():
        run_queue()
    assert Registration.objects.get(pk=held.pk).status == "held"  # its task is not due yet
    with after_the_window(), commit():
        run_queue()
    assert Registration.objects.get(pk=held.pk).status == "expired"
    assert Registration.objects.get(pk=waiting.pk).status == "confirmed"


def test_the_sweep_command_finalises_what_nobody_touched(commit):
    event = event_with_form(capacity=1)
    with commit():
        request(event)
    with after_the_window(), commit():
        out = __import__("io").StringIO()
        call_command("sweep_registrations", stdout=out)
        assert "1 unconfirmed registration(s) expired" in out.getvalue()
        call_command("sweep_registrations", stdout=out)
        assert "0 unconfirmed registration(s) expired" in out.getvalue().splitlines()[-1]


def test_confirming_gives_the_held_place_and_sends_the_confirmation_with_the_calendar(commit, deliver):
    event = event_with_form(capacity=1)
    with commit():
        held = request(event)
    with commit():
        confirmed = booking.confirm_address(held)
    assert confirmed.status == "confirmed" and confirmed.expires_at is None
    kinds = [m.subject.split(":")[0] for m in deliver()]
    assert kinds == ["Bitte bestätigen Sie Ihre Anmeldung", "Anmeldung bestätigt"]
    with commit():
        assert booking.confirm_address(held).status == "confirmed"  # a second click changes nothing
    assert Email.objects.filter(registration=held).count() == 2


def test_a_waiting_list_wish_joins_the_line_when_confirmed_not_before(register, commit):
    event = event_with_form(capacity=1)
    register(event)
    with commit():
        early = request(event, join=True)
    late = register(event)  # asked after, confirmed first
    assert early.status == "pending" and capacity.availability(event).waitlisted == 1
    with commit():
        early = booking.confirm_address(early)
    assert (late.position, early.position) == (1, 2)


def test_a_late_confirmation_takes_the_place_if_still_free_else_says_it_expired(client, commit):
    event = event_with_form(capacity=1)
    with commit():
        first = request(event)
    with after_the_window(), commit():
        assert booking.confirm_address(first).status == "confirmed"
    other = event_with_form(capacity=1)
    with commit():
        second = request(other)
    with after_the_window(5):
        with commit():
            request(other)  # the place taken meanwhile, by someone else
        page = client.get(links.manage_url(second, "de"))
        assert "Ihre Anmeldung ist verfallen" in text(page)
        response = client.post(links.manage_url(second, "de", "registration:confirm"))
        assert "der Platz ist inzwischen vergeben" in text(client.get(response["Location"]))
    assert Registration.objects.get(pk=second.pk).status == "expired"


def test_opening_the_link_does_not_confirm_only_the_button_does(client, commit):
    """Mail scanners open the links of e-mails: a GET must change nothing."""
    event = event_with_form(capacity=1)
    with commit():
        held = request(event)
    for page in ("registration:manage", "registration:confirm"):
        client.get(links.manage_url(held, "de", page), follow=True)
    assert Registration.objects.get(pk=held.pk).status == "held"
    page = text(client.get(links.manage_url(held, "de")))
    assert "Platz reserviert bis" in page and "Meine Anmeldung bestätigen" in page


def test_not_me_releases_the_place_without_an_email(client, commit):
    event = event_with_form(capacity=1)
    with commit():
        held = request(event)
    with commit():
        response = client.post(links.manage_url(held, "de", "registration:cancel"))
    assert "Die Anmeldung ist storniert und ihr Platz freigegeben." in text(client.get(response["Location"]))
    assert list(Email.objects.filter(registration=held).values_list("kind", flat=True)) == ["confirm_address"]
    assert capacity.availability(event).places_left() == 1


def test_an_unconfirmed_address_gets_one_email_whatever_happens(commit):
    event = event_with_form(capacity=5)
    with commit():
        held = request(event, email="victim@example.org")
        assert not notifications.resend_link(event, "victim@example.org")
        assert request(event, email="victim@example.org") is None  # the form sent again
    with commit():
        booking.cancel_event(event)
    assert list(Email.objects.filter(registration=held).values_list("kind", flat=True)) == ["confirm_address"]


def test_never_confirmed_registrations_are_anonymised_a_day_after_their_window(commit):
    event = event_with_form(capacity=5)
    with commit():
        held = request(event, email="typed@example.org")
    with after_the_window(), commit():
        retention.sweep()
    assert Registration.objects.get(pk=held.pk).email == "typed@example.org"  # a late click still works
    with time_machine.travel(timezone.now() + WINDOW + datetime.timedelta(days=1, minutes=1), tick=False), commit():
        assert retention.sweep()[2] == 1
    assert Registration.objects.get(pk=held.pk).email == ""


# --- One client, a few unconfirmed places -------------------------------------------------------------


def post(client, event, number, language="de", **extra):
    return client.post(register_url(event, language), form_data(email=f"bot{number}@example.org"), **extra)


def test_one_client_holds_three_unconfirmed_places_at_most_with_a_clear_message(client, cities, settings):
    settings.REGISTRATION_HOLDS_PER_CLIENT = 3
    event = event_with_form(capacity=40, quotas=dict.fromkeys(cities.values(), 10), other_places=0)
    for number in range(3):
        assert post(client, event, number).status_code == 302
    refused = post(client, event, 3)
    assert refused.status_code == 429
    assert "Von Ihrer Verbindung aus warten bereits 3 Anmeldungen zu dieser Veranstaltung" in text(refused)
    assert 'value="bot3@example.org"' in html_of(refused)  # nothing typed is lost
    french = post(client, event, 4, "fr")
    assert "Depuis votre connexion, 3\u00a0inscriptions" not in text(french)
    assert "Depuis votre connexion, 3 inscriptions à cet événement attendent déjà" in text(french)
    assert Registration.objects.filter(status="held").count() == 3
    # Everybody else still registers.
    assert post(client, event, 5, REMOTE_ADDR="192.0.2.50").status_code == 302
    # A confirmed one no longer counts; nor does an expired one.
    booking.confirm_address(Registration.objects.filter(status="held").first())
    assert post(client, event, 6).status_code == 302
    with after_the_window():
        assert post(client, event, 7).status_code == 302


def test_an_ipv6_client_is_counted_by_its_slash_64(client, cities, settings):
    settings.REGISTRATION_HOLDS_PER_CLIENT = 2
    event = event_with_form(capacity=40)
    for number, address in enumerate(["2001:db8:1:2::1", "2001:db8:1:2:ffff::9"]):
        assert post(client, event, number, REMOTE_ADDR=address).status_code == 302
    assert post(client, event, 2, REMOTE_ADDR="2001:db8:1:2:abcd::7").status_code == 429  # the same /64
    assert post(client, event, 3, REMOTE_ADDR="2001:db8:1:3::1").status_code == 302  # the next /64


def test_behind_the_proxy_the_client_is_the_address_it_passes(client, cities, settings):
    settings.REGISTRATION_HOLDS_PER_CLIENT = 1
    settings.RATELIMIT_IP_META_KEY = "HTTP_X_REAL_IP"
    event = event_with_form(capacity=40)
    assert post(client, event, 0, HTTP_X_REAL_IP="203.0.113.5").status_code == 302
    assert post(client, event, 1, HTTP_X_REAL_IP="203.0.113.5").status_code == 429
    assert post(client, event, 2, HTTP_X_REAL_IP="203.0.113.6").status_code == 302  # same proxy, other client


def test_no_address_is_stored_for_the_limit(client, cities):
    event = event_with_form(capacity=40)
    post(client, event, 0, REMOTE_ADDR="198.51.100.23")
    held = Registration.objects.get()
    assert held.client_key and "198.51.100" not in held.client_key
    assert held.client_key == addresses.client_key("::ffff:198.51.100.23")  # the same client


# --- The one e-mail to an unconfirmed address ------------------------------------------------------


def received(smtp, event, **fields):
    inbox = Inbox()
    with smtp_server(smtp.EMAIL_PORT, inbox):
        booking.request_place(event, answers(**fields), language="fr")
        run_queue()
    ((_recipients, message),) = inbox.messages
    return message, message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content()


def test_the_request_to_confirm_carries_no_text_of_the_visitor_but_the_name_cut_and_escaped(smtp):
    event = event_with_form(capacity=5, ask_dietary_needs=True)
    message, plain, html = received(
        smtp,
        event,
        first_name="<b>Zoé</b>",
        last_name="Lefèvre-" + "x" * 80,
        organisation="CHEAP PILLS",
        other_town="BUY NOW",
        dietary_needs="WIN A PRIZE",
    )
    for spam in ("CHEAP PILLS", "BUY NOW", "WIN A PRIZE"):
        assert spam not in plain and spam not in html
    assert message["Subject"].strip() == f"Confirmez votre inscription\u00a0: {event.title_fr}"
    greeting = plain.splitlines()[0]
    assert greeting.startswith("Bonjour <b>Zoé</b> Lefèvre-xxx") and greeting.endswith("…,")
    assert len(greeting) == len("Bonjour ,") + 40
    assert "&lt;b&gt;Zoé&lt;/b&gt;" in html and "<b>Zoé" not in html
    assert message.get_content_type() != "text/calendar" and not list(message.iter_attachments())
    held = Registration.objects.get()
    assert links.absolute(links.manage_url(held, "fr")) in plain
    assert "Place réservée jusqu’à" in plain


def test_a_name_that_looks_like_a_web_address_is_left_out(smtp):
    event = event_with_form(capacity=5)
    _message, plain, html = received(smtp, event, first_name="Visit", last_name="cheap-pills.example/now")
    assert plain.splitlines()[0] == "Bonjour," and "cheap-pills" not in plain and "cheap-pills" not in html


# --- No enumeration -----------------------------------------------------------------------------------


def without_tokens(content):
    content = content.decode() if isinstance(content, bytes) else content
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value=""', content)


def answer(client, event, data):
    response = client.post(register_url(event, "de"), data)
    page = client.get(response["Location"]) if response.status_code == 302 else None
    headers = {name: value for name, value in response.headers.items() if name not in ("Set-Cookie",)}
    return (
        response.status_code,
        headers,
        without_tokens(response.content),
        page and (page.status_code, without_tokens(page.content)),
    )


def test_a_registered_address_is_answered_byte_for_byte_as_a_new_one(client, commit, cities):
    event = event_with_form(capacity=40)
    data = form_data(email="anais@example.org", language="fr")
    # One frozen moment: the answers' Expires header names the second they were sent.
    with time_machine.travel(timezone.now(), tick=False):
        with commit():
            as_new = answer(client, event, data)
        booking.confirm_address(Registration.objects.get())
        mail.outbox.clear()
        with commit():
            as_registered = answer(client, event, data)
    assert as_new[0] == 302
    assert as_new == as_registered
    assert Registration.objects.count() == 1
    # The registered address gets its own link, in its language, not a second registration.
    run_queue()
    (link,) = [m for m in mail.outbox if m.subject.startswith("Votre inscription")]
    assert link.to == ["anais@example.org"]
    assert links.absolute(links.manage_url(Registration.objects.get(), "fr")) in link.body


def test_on_a_full_event_both_are_offered_the_waiting_list_alike(client, register, commit, cities):
    event = event_with_form(capacity=1)
    register(event, email="taken@example.org")
    registered = answer(client, event, form_data(email="taken@example.org"))
    new = answer(client, event, form_data(email="taken@example.org".replace("taken", "fresh")))
    assert registered[0] == new[0] == 200
    assert registered[2].replace("taken@", "X@") == new[2].replace("fresh@", "X@")
    assert "Sie wären auf Platz 1." in registered[2]


def test_staff_register_someone_confirmed_at_once_and_the_admin_counts_held_places(admin_client, commit, cities):
    event = event_with_form(capacity=10, ask_language=True)
    with commit():
        request(event)
        request(event)
    page = html_of(admin_client.get(reverse("admin:registration_registrationsettings_changelist")))
    assert re.search(r'<td class="field-held">2</td>', page)
    overview = admin_client.get(reverse("admin:registration_registration_overview", args=[event.pk]))
    assert "2 Plätze sind reserviert und warten auf die Bestätigung der E-Mail-Adresse." in html_of(overview)
    export = admin_client.get(reverse("admin:registration_registration_export", args=[event.pk]))
    assert export.content.decode("utf-8-sig").count("\r\n") == 1  # the headings alone: no unconfirmed row
    with commit():
        admin_client.post(
            reverse("admin:registration_registration_add"),
            {
                "event": str(event.pk),
                "first_name": "Telefon",
                "last_name": "Anruf",
                "email": "anruf@example.org",
                "city": "trier",
                "language": "de",
            },
        )
    assert Registration.objects.get(email="anruf@example.org").status == "confirmed"


def test_staff_confirm_a_held_registration_then_may_change_its_answers(admin_client, commit):
    event = event_with_form(capacity=2)
    with commit():
        held = request(event)
    answers_url = reverse("admin:registration_registration_answers", args=[held.pk])
    assert admin_client.get(answers_url).status_code == 403  # unconfirmed: confirm first
    changelist = reverse("admin:registration_registration_changelist")
    with commit():
        admin_client.post(changelist, {"action": "confirm", "_selected_action": [held.pk]})
    held.refresh_from_db()
    assert held.status == "confirmed" and held.expires_at is None
    assert Email.objects.filter(registration=held, kind="confirmation").exists()
    assert admin_client.get(answers_url).status_code == 200
