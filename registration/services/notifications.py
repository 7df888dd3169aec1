"""The e-mails to registrants: each written (an ``Email`` row) together with the task that sends
it (``emails.send_email``), in one transaction; reminders; the sweep for e-mails whose task was
lost. What the e-mails say is registration/emails.py."""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from events.models import Event

from .. import emails
from ..models import Email, Registration
from .addresses import normalise_email

# Registrants are reminded this long before the event starts …
REMINDER_BEFORE = datetime.timedelta(days=2)


# … unless their place was confirmed less than this long ago (the confirmation is fresh).
REMINDER_NOT_WITHIN = datetime.timedelta(days=1)


# An e-mail this long past its due attempt, and not being sent, has lost its task: queue another.
EMAIL_OVERDUE = datetime.timedelta(minutes=10)


def write_email(registration, kind, position=None):
    """An e-mail to the registrant and the task that sends it, in one transaction (the caller's,
    if any): both are committed, or neither. The worker cannot see the task before the commit."""
    with transaction.atomic():
        email = Email.objects.create(registration=registration, kind=kind, position=position)
        emails.send_email.enqueue(email.pk)
    return email


def resend_link(event, address):
    """Sends the registrant's link again, if ``address`` is registered at ``event``. Callers
    answer the same whatever happens here: the answer never tells whether it is."""
    registration = (
        Registration.objects.confirmed_address()
        .filter(event=event, email=normalise_email(address), anonymised_at__isnull=True)
        .first()
    )
    if registration is not None:  # an unconfirmed address gets its one e-mail only
        write_email(registration, Email.Kind.LINK)
    return registration is not None


def to_tell_of_cancellation(event):
    """The registrants ``tell_event_cancelled`` e-mails: confirmed addresses (an unconfirmed
    address gets one e-mail only), not anonymised, not told before."""
    return (
        Registration.objects.confirmed_address()
        .filter(event=event, anonymised_at__isnull=True)
        .exclude(emails__kind=Email.Kind.EVENT_CANCELLED)
    )


def tell_event_cancelled(event):
    """E-mails every registrant of a cancelled event, once each (``booking.cancel_event``)."""
    if not event.is_cancelled:
        return 0
    with transaction.atomic():
        registrations = list(to_tell_of_cancellation(event))
        for registration in registrations:
            write_email(registration, Email.Kind.EVENT_CANCELLED)
    return len(registrations)


def to_tell_of_change(event):
    """The registrants ``tell_event_changed`` e-mails: confirmed addresses (on the list or on the
    waiting list), not anonymised. The event itself must not be cancelled (that e-mail is
    ``tell_event_cancelled``'s)."""
    if event.is_cancelled:
        return Registration.objects.none()
    return Registration.objects.confirmed_address().filter(event=event, anonymised_at__isnull=True)


def tell_event_changed(event):
    """E-mails each registrant of ``event`` once, in their own language, that its date, place or
    status changed, with the new calendar file. Called by the admin after staff confirmed it
    (registration/admin/events.py), never by a signal: a restore from the history or a save in
    the shell tells nobody. Returns how many were e-mailed."""
    with transaction.atomic():
        registrations = list(to_tell_of_change(event))
        for registration in registrations:
            write_email(registration, Email.Kind.EVENT_CHANGED)
    return len(registrations)


def send_due_reminders(now=None):
    """Writes the reminders that are due: to every confirmed registrant of an event starting
    within two days, once, unless their place was confirmed within the last day. Run it
    regularly (``manage.py send_reminders``, e.g. hourly); it is idempotent. Returns how many."""
    now = now or timezone.now()
    due = (
        Registration.objects.filter(
            status=Registration.Status.CONFIRMED,
            anonymised_at__isnull=True,
            event__in=Event.objects.published(now),
            event__is_cancelled=False,
            event__start__gt=now,
            event__start__lte=now + REMINDER_BEFORE,
            event__registration_settings__isnull=False,
            status_changed__lte=now - REMINDER_NOT_WITHIN,
        )
        .exclude(emails__kind=Email.Kind.REMINDER)
        .select_related("event")
    )
    count = 0
    for registration in due:
        try:
            with transaction.atomic():
                write_email(registration, Email.Kind.REMINDER)
            count += 1
        except IntegrityError:  # written meanwhile by another run
            continue
    return count


def sweep_emails(now=None):
    """Queues a task again for every e-mail neither sent nor given up whose attempt is overdue
    and that nobody is sending (its task was lost: a worker killed mid-task). ``emails.deliver``
    sends each at most once, so a task queued twice is harmless. Returns how many."""
    now = now or timezone.now()
    lost = Email.objects.filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now),
        sent_at__isnull=True,
        given_up_at__isnull=True,
        next_attempt_at__lt=now - EMAIL_OVERDUE,
    ).values_list("pk", flat=True)
    count = 0
    for pk in lost:
        with transaction.atomic():
            # The next sweep waits another EMAIL_OVERDUE for this task to run.
            if Email.objects.filter(pk=pk, sent_at__isnull=True).update(next_attempt_at=now):
                emails.send_email.enqueue(pk)
                count += 1
    return count
