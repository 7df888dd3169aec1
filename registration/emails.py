"""The e-mails to registrants: written in the registrant's language whatever language the
site or the staff member acting is in, plain text with an HTML alternative, the event's
calendar file attached where the registrant holds a place (or to cancel it in their calendar),
and the registrant's signed link.

``deliver()`` is what the task queue runs (tasks.py): it sends an ``Email`` once, records a
failure and says when to try again (``DeliveryFailed.retry_at``), and gives up after
settings.REGISTRATION_EMAIL_ATTEMPTS attempts.
"""

import datetime
import logging

from django.conf import settings
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from events import calendar, dates
from quattropole_site.mail import EmailMessage

from . import display, links, services
from .models import Email, RegistrationSettings

logger = logging.getLogger(__name__)

# Kinds that carry the event's calendar file: to add it, or (event cancelled) to cancel it.
WITH_CALENDAR = {Email.Kind.CONFIRMATION, Email.Kind.PROMOTED, Email.Kind.REMINDER, Email.Kind.EVENT_CANCELLED}


class DeliveryFailed(Exception):
    """Sending failed; ``retry_at`` is when to try again, None when given up."""

    def __init__(self, email_id, retry_at):
        super().__init__(f"e-mail {email_id} not sent" + (f", next attempt at {retry_at:%H:%M:%S}" if retry_at else ""))
        self.retry_at = retry_at


def retry_delay(attempts):
    """The wait after the ``attempts``-th failure: 1, 2, 4 … minutes, at most an hour."""
    return datetime.timedelta(minutes=min(2 ** (attempts - 1), 60))


def deliver(email_id):
    """Sends the e-mail unless it was sent or given up already (a task run twice sends once)."""
    email = (
        Email.objects.select_related(
            "registration__event__venue", "registration__event__contact", "registration__city", "registration__bus_city"
        )
        .filter(pk=email_id)
        .first()
    )
    if email is None or email.sent_at or email.given_up_at:
        return "skipped"
    if email.registration.anonymised_at or not email.registration.email:
        Email.objects.filter(pk=email.pk).update(given_up_at=timezone.now(), last_error="anonymised")
        return "anonymised"
    message = build(email)
    try:
        message.send()
    except Exception as error:
        now = timezone.now()
        attempts = email.attempts + 1
        given_up = attempts >= settings.REGISTRATION_EMAIL_ATTEMPTS
        Email.objects.filter(pk=email.pk).update(
            attempts=attempts,
            last_error=f"{type(error).__name__}: {error}"[:500],
            given_up_at=now if given_up else None,
        )
        retry_at = None if given_up else now + retry_delay(attempts)
        if given_up:
            logger.error("Gave up sending e-mail %s after %s attempts: %s", email.pk, attempts, error)
        else:
            logger.warning("E-mail %s not sent (attempt %s), retrying at %s: %s", email.pk, attempts, retry_at, error)
        raise DeliveryFailed(email.pk, retry_at) from error
    Email.objects.filter(pk=email.pk).update(sent_at=timezone.now(), attempts=F("attempts") + 1, last_error="")
    return "sent"


def subject(kind, event, position=None):
    titles = {
        Email.Kind.CONFIRMATION: _("Registration confirmed: %(event)s"),
        Email.Kind.WAITLISTED: _("Waiting list, number %(position)s: %(event)s"),
        Email.Kind.PROMOTED: _("You have a place: %(event)s"),
        Email.Kind.CANCELLED: _("Registration cancelled: %(event)s"),
        Email.Kind.REMINDER: _("In two days: %(event)s"),
        Email.Kind.EVENT_CANCELLED: _("Event cancelled: %(event)s"),
        Email.Kind.LINK: _("Your registration: %(event)s"),
    }
    return titles[kind] % {"event": event.title, "position": position}


def introduction(kind, event, position=None):
    """The paragraphs saying why the registrant gets this e-mail."""
    values = {"event": event.title, "position": position}
    paragraphs = {
        Email.Kind.CONFIRMATION: [
            _("Your registration for “%(event)s” is confirmed. We look forward to seeing you."),
            _("The attached calendar file adds the event to your calendar."),
        ],
        Email.Kind.WAITLISTED: [
            _(
                "The places you could take at “%(event)s” are all taken, so you are on the waiting list, "
                "at number %(position)s."
            ),
            _("If a place becomes free for you, it is yours automatically and we will tell you by e-mail."),
        ],
        Email.Kind.PROMOTED: [
            _("Good news: a place has become free at “%(event)s”, and it is yours. Your registration is confirmed."),
            _("The attached calendar file adds the event to your calendar."),
        ],
        Email.Kind.CANCELLED: [
            _("Your registration for “%(event)s” is cancelled."),
            _("If this was a mistake, you can register again on the event page while registration is open."),
        ],
        Email.Kind.REMINDER: [
            _("“%(event)s” takes place in two days. We look forward to seeing you."),
            _("If you cannot come, please cancel your registration with the link below: someone else gets your place."),
        ],
        Email.Kind.EVENT_CANCELLED: [
            _("We are sorry: “%(event)s” has been cancelled. Your registration no longer applies."),
            _("The attached calendar file removes the event from your calendar."),
        ],
        Email.Kind.LINK: [
            _("Here is the link to your registration for “%(event)s”, as asked for on our website."),
        ],
    }
    return [paragraph % values for paragraph in paragraphs[kind]]


def build(email):
    """The message (plain text and HTML, calendar file attached where it belongs)."""
    registration = email.registration
    event = registration.event
    language = registration.language
    with translation.override(language), timezone.override(event.tzinfo):
        form = RegistrationSettings.objects.filter(event=event).first()
        active = registration.is_active and not event.is_cancelled
        context = {
            "email": email,
            "registration": registration,
            "event": event,
            "language": language,
            "greeting": _("Hello %(name)s,") % {"name": registration.full_name},
            "introduction": introduction(email.kind, event, email.position),
            "when": dates.date_span(event.start, event.end, language),
            "venue_lines": [*event.venue.address_lines, event.venue.country] if event.venue_id else [],
            "event_url": links.absolute(event.get_absolute_url(language)),
            "status": display.status(registration, services.position(registration)),
            "answers": display.answers(registration, form),
            "manage_url": links.absolute(links.manage_url(registration, language)),
            "can_change": active,
            "site_name": _("QuattroPole city network"),
        }
        message = EmailMessage(
            subject=subject(email.kind, event, email.position),
            body=render_to_string("registration/email/message.txt", context),
            to=[registration.email],
            reply_to=[event.contact.email] if event.contact_id and event.contact.email else None,
            headers={"Auto-Submitted": "auto-generated", "Content-Language": language},
        )
        message.attach_alternative(render_to_string("registration/email/message.html", context), "text/html")
        if email.kind in WITH_CALENDAR and event.status == event.Status.PUBLISHED:
            ics = calendar.event_calendar(event, language=language, base_url=settings.SITE_URL)
            message.attach(f"{event.slug_in(language)}.ics", ics, "text/calendar")
    return message
