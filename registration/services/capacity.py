"""The reads: an event's registration form, where registration stands, places taken and left,
a registrant's place in the line and what they may still do. Nothing here writes."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, F, Prefetch, Q, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import CityQuota, Registration, RegistrationSettings, WorkshopChoice, WorkshopSeats

OTHER = "other"  # the group of registrants without a city quota of their own


class State:
    """Where an event's built-in registration stands, by time and event status."""

    NOT_YET_OPEN = "not_yet_open"
    OPEN = "open"
    CLOSED = "closed"
    STARTED = "started"
    ENDED = "ended"
    CANCELLED = "cancelled"


@dataclass
class Problem:
    """A limit the registrant does not fit in: ``kind`` is "places", "city" (``city`` set, or
    None for other towns) or "workshop" (``workshop`` set)."""

    kind: str
    city: object = None
    workshop: object = None

    def message(self):
        if self.kind == "places":
            return _("All places are taken.")
        if self.kind == "city":
            if self.city is None:
                return _("All places for other towns are taken.")
            return _("All places for %(city)s are taken.") % {"city": self.city}
        return _("The workshop “%(workshop)s” is full.") % {"workshop": self.workshop}


def form_settings(event):
    """The event's built-in registration form with its quotas (and their cities) and workshop
    seats, in three queries; None when the event has none."""
    form = RegistrationSettings.objects.filter(event=event).order_by("pk").first()
    if form is None:
        return None
    prefetch_related_objects(
        [form],
        Prefetch("quotas", queryset=CityQuota.objects.select_related("city")),
        Prefetch("workshop_seats", queryset=WorkshopSeats.objects.all()),
    )
    form.event = event  # the caller's, with what it loaded
    return form


def state(event, form, now=None):
    now = now or timezone.now()
    if event.has_ended(now):
        return State.ENDED
    if event.is_cancelled:
        return State.CANCELLED
    if now >= event.start:
        return State.STARTED
    if form.closes_at and now >= form.closes_at:
        return State.CLOSED
    if form.opens_at and now < form.opens_at:
        return State.NOT_YET_OPEN
    return State.OPEN


@dataclass
class Availability:
    """Counts of an event's registrations against its limits, at one moment."""

    form: RegistrationSettings
    quotas: dict  # city id → places
    seats: dict  # workshop id → seats
    confirmed: int = 0
    held: int = 0  # places held for registrants who have not confirmed their address yet
    waitlisted: int = 0
    pending: int = 0  # asked for the waiting list, address not confirmed yet (not in the line)
    by_group: Counter = field(default_factory=Counter)  # city id or OTHER → places taken (confirmed or held)
    by_workshop: Counter = field(default_factory=Counter)  # workshop id → seats taken (confirmed or held)

    @property
    def taken(self):
        return self.confirmed + self.held

    def group(self, city_id):
        return city_id if city_id in self.quotas else OTHER

    def group_limit(self, group):
        return self.form.other_places if group == OTHER else self.quotas[group]

    def group_left(self, group):
        limit = self.group_limit(group)
        return None if limit is None else max(0, limit - self.by_group[group])

    def places_left(self):
        """Places left in all, or None when nothing limits them."""
        limits = []
        if self.form.capacity is not None:
            limits.append(max(0, self.form.capacity - self.taken))
        if self.form.other_places is not None:  # every group is limited: their sum is a limit too
            limits.append(sum(self.group_left(group) for group in [*self.quotas, OTHER]))
        return min(limits) if limits else None

    def left_for(self, city_id):
        """Places left for a registrant from this city (None: another town), or None if unlimited."""
        values = [v for v in (self.group_left(self.group(city_id)), self.places_left()) if v is not None]
        return min(values) if values else None

    def seats_left(self, workshop_id):
        seats = self.seats.get(workshop_id)
        return None if seats is None else max(0, seats - self.by_workshop[workshop_id])

    def problems(self, city_id, workshop_ids, cities=None, workshops=None):
        """The limits a registrant from ``city_id`` choosing ``workshop_ids`` does not fit in."""
        problems = []
        if self.places_left() == 0:
            problems.append(Problem("places"))
        elif self.group_left(self.group(city_id)) == 0:
            city = (cities or {}).get(city_id) if self.group(city_id) != OTHER else None
            problems.append(Problem("city", city=city))
        problems += [
            Problem("workshop", workshop=(workshops or {}).get(pk)) for pk in workshop_ids if self.seats_left(pk) == 0
        ]
        return problems

    def take(self, city_id, workshop_ids, count=1):
        self.confirmed += count
        self.by_group[self.group(city_id)] += count
        for pk in workshop_ids:
            self.by_workshop[pk] += count

    def release(self, city_id, workshop_ids):
        self.take(city_id, workshop_ids, count=-1)


def _counting(now, prefix=""):
    """Registrations that count at ``now``: confirmed addresses, and unconfirmed ones whose
    window has not passed (an overdue one is free at once, whether finalised or not)."""
    return Q(**{f"{prefix}status__in": Registration.CONFIRMED_ADDRESS}) | Q(
        **{f"{prefix}status__in": Registration.UNCONFIRMED, f"{prefix}expires_at__gt": now}
    )


def availability(event, form=None, now=None):
    """Places taken and left at ``event`` at ``now``: two queries (one more without ``form``)."""
    form = form or form_settings(event)
    now = now or timezone.now()
    result = Availability(
        form=form,
        quotas={quota.city_id: quota.places for quota in form.quotas.all()},
        seats={row.workshop_id: row.seats for row in form.workshop_seats.all()},
    )
    rows = (
        Registration.objects.filter(_counting(now), event=event)
        .values_list("status", "city_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for status, city_id, n in rows:
        if status in TAKES_A_PLACE:
            result.by_group[result.group(city_id)] += n
        setattr(result, COUNTER[status], getattr(result, COUNTER[status]) + n)
    if result.seats:
        choices = (
            WorkshopChoice.objects.filter(_counting(now, "registration__"), registration__event=event)
            .filter(registration__status__in=TAKES_A_PLACE)
            .values_list("workshop_id")
            .annotate(n=Count("id"))
            .order_by()
        )
        result.by_workshop.update(dict(choices))
    return result


TAKES_A_PLACE = (Registration.Status.CONFIRMED, Registration.Status.HELD)


COUNTER = {
    Registration.Status.CONFIRMED: "confirmed",
    Registration.Status.HELD: "held",
    Registration.Status.WAITLISTED: "waitlisted",
    Registration.Status.PENDING: "pending",
}


def full_event_ids(event_ids, now=None):
    """Those of ``event_ids`` whose places are all taken (confirmed, or held for an address not
    yet confirmed) and that have not ended: what visitors read as "fully booked" on the event
    page and in every list (events.fullness asks it). One query, however many events."""
    now = now or timezone.now()
    taking = Q(event__registrations__status=Registration.Status.CONFIRMED) | Q(
        event__registrations__status=Registration.Status.HELD, event__registrations__expires_at__gt=now
    )
    return set(
        RegistrationSettings.objects.filter(event_id__in=event_ids, capacity__isnull=False, event__end__gt=now)
        .annotate(taken=Count("event__registrations", filter=taking))
        .filter(taken__gte=F("capacity"))
        .values_list("event_id", flat=True)
    )


def page_form(event):
    """``form_settings(event)`` read once for the event page, whoever asks first: the JSON-LD
    offer (``opening``) or the registration boxes (page_sections)."""
    if not hasattr(event, "_page_registration_form"):
        event._page_registration_form = form_settings(event)
    return event._page_registration_form


def opening(event, now=None):
    """When the event's built-in registration opens, while it is not yet open; else None
    (events.fullness asks it for the event page's JSON-LD offer, a pre-order)."""
    form = page_form(event)
    if form is None or state(event, form, now) != State.NOT_YET_OPEN:
        return None
    return form.opens_at


def can_change(registration, now=None):
    """Registrants change their answers while registration is open, once their address is
    confirmed."""
    if registration.status not in Registration.CONFIRMED_ADDRESS or registration.anonymised_at:
        return False
    form = RegistrationSettings.objects.filter(event_id=registration.event_id).first()
    return form is not None and state(registration.event, form, now) == State.OPEN


def can_confirm(registration, now=None):
    """Registrants confirm their address while it awaits confirmation (until the event starts),
    or late, once expired, while registration is open (``confirm_address`` says if it fits)."""
    now = now or timezone.now()
    event = registration.event
    if registration.anonymised_at or event.is_cancelled or now >= event.start:
        return False
    if registration.is_unconfirmed and registration.expires_at > now:
        return True
    if registration.is_unconfirmed or registration.status == Registration.Status.EXPIRED:
        form = RegistrationSettings.objects.filter(event_id=registration.event_id).first()
        return form is not None and state(event, form, now) == State.OPEN
    return False


def can_cancel(registration, now=None):
    """Registrants cancel until the event starts (unless it was called off)."""
    now = now or timezone.now()
    event = registration.event
    return registration.is_active and not registration.anonymised_at and not event.is_cancelled and now < event.start
