"""What must happen even when nobody acts: personal data anonymised after the retention period,
unconfirmed addresses forgotten, and the sweep of ``manage.py sweep_registrations``."""

import calendar
import datetime
import uuid

from django.conf import settings as django_settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from ..models import Email, Registration, StatusChange
from .booking import expire_unconfirmed
from .notifications import sweep_emails

# Registrations never confirmed (expired, or released by the "not me" button) are anonymised
# this long after their window, which leaves time for a late click on the link.
UNCONFIRMED_KEPT = datetime.timedelta(days=1)


def months_ago(now, months):
    """The same day and time ``months`` calendar months before ``now`` (the last day of a
    shorter month when that day does not exist)."""
    month_index = now.year * 12 + now.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(now.day, calendar.monthrange(year, month + 1)[1])
    return now.replace(year=year, month=month + 1, day=day)


def anonymise(now=None, months=None):
    """Empties the personal data of the registrations of events that ended more than ``months``
    (settings.REGISTRATION_RETENTION_MONTHS) months ago: names, e-mail address, organisation,
    other town, dietary needs, staff notes and the admin's history of them. What remains — city,
    status, workshops, lunch, bus, language, attendance — still counts in the statistics, and
    the registrant's link stops working. Returns how many registrations were anonymised."""
    now = now or timezone.now()
    months = django_settings.REGISTRATION_RETENTION_MONTHS if months is None else months
    return _anonymise(
        Registration.objects.filter(event__end__lt=months_ago(now, months), anonymised_at__isnull=True), now
    )


def _anonymise(registrations, now):
    with transaction.atomic():
        ids = list(registrations.values_list("pk", flat=True))
        if not ids:
            return 0
        for pk in ids:  # a new identifier each, so that old links lead nowhere
            Registration.objects.filter(pk=pk).update(uuid=uuid.uuid4())
        Registration.objects.filter(pk__in=ids).update(
            first_name="",
            last_name="",
            email="",
            organisation="",
            other_town="",
            dietary_needs="",
            anonymised_at=now,
        )
        StatusChange.objects.filter(registration_id__in=ids).update(note="")
        StatusChange.objects.bulk_create(
            StatusChange(registration_id=pk, action=StatusChange.Action.ANONYMISED, at=now) for pk in ids
        )
        Email.objects.filter(registration_id__in=ids).update(last_error="")
        content_type = ContentType.objects.get_for_model(Registration)
        LogEntry.objects.filter(content_type=content_type, object_id__in=[str(pk) for pk in ids]).update(
            object_repr="—", change_message=""
        )
    return len(ids)


def forget_unconfirmed(now=None):
    """Anonymises the registrations whose address was never confirmed (expired, or released
    unconfirmed) a day after their window: nobody but the person who typed it vouched for that
    data. Returns how many."""
    now = now or timezone.now()
    return _anonymise(
        Registration.objects.filter(
            status__in=[Registration.Status.EXPIRED, Registration.Status.CANCELLED],
            expires_at__lt=now - UNCONFIRMED_KEPT,
            anonymised_at__isnull=True,
        ),
        now,
    )


def sweep(now=None):
    """Everything periodic of this module, for ``manage.py sweep_registrations``: returns
    (unconfirmed registrations expired, e-mails queued again, unconfirmed ones anonymised)."""
    now = now or timezone.now()
    return expire_unconfirmed(now=now), sweep_emails(now), forget_unconfirmed(now)
