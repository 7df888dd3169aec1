"""The one place that decides who gets a place.

Everything that creates, changes, confirms, waitlists, promotes, moves or cancels a
registration goes through this module — the public form, the registrant's own page, the
admin, the management commands — so the rules hold everywhere:

- **Places.** An event may have a total number of places, a quota per member city and a number
  of "places for other towns" (for everyone without a quota of their own), and each workshop
  may have seats. A registrant gets a place when every limit that applies to them has one left.
- **Waiting list.** Otherwise they may join the waiting list, in the order they joined it. When
  a place frees up (a cancellation, a move, more places), the first people on the list who now
  fit — same city quota, same workshop — get it, in order, and are told by e-mail.
- **Concurrency.** Every change to an event's registrations runs in one transaction that first
  locks the event's registration form row (``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite the
  transaction itself takes the write lock, see settings ``transaction_mode``), so counts read
  inside it stay true until it commits: no overbooking, and arrival order is commit order.
- **Confirmed addresses.** A visitor's request (``request_place``) holds a place (status
  *held*) — or, when nothing fits and they ask for it, their wish to join the waiting list
  (*pending*) — for settings.REGISTRATION_HOLD_MINUTES, and sends one e-mail to the address, with
  the link that confirms it (``confirm_address``). Then the place is theirs (*confirmed*), or
  they join the waiting list's line at that moment (*waitlisted*: an address counts in the line
  only once confirmed). Past its window an unconfirmed registration is *expired*: every counting
  read ignores it at once (``availability``), and every locked change finalises the event's
  overdue ones first, giving their places to the waiting list (``_lock``), so correctness never
  waits for a job; the worker's task at each window's end and ``manage.py sweep_registrations``
  do the same for events nobody touches. One client (an IPv4 address, an IPv6 /64) has at most
  settings.REGISTRATION_HOLDS_PER_CLIENT unconfirmed registrations per event at once. An address
  already registered gets the same answer as a new one and its own link by e-mail, nothing else.
- **Staff.** Staff may add registrations at any time (``register``: the address counts as
  confirmed) and move people between the lists under the same rules; confirming beyond them is
  an explicit override that is logged with its reason.

E-mails are written here (``Email`` rows) together with the task that sends each, in the same
transaction (django-tasks' database backend stores the task as a row of the same database), so
a commit never leaves an e-mail without its task; ``sweep_emails`` re-queues one whose task was
lost all the same (a worker killed mid-task), and ``emails.deliver`` sends each at most once.
Every save or delete of a registration sends ``signals.registrations_changed`` after the commit
(receivers.py), so the callers never have to.
"""

import contextlib
import datetime
import hashlib
import hmac
import ipaddress
import unicodedata
import uuid
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings as django_settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Count, Prefetch, Q, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import Event

from .models import CityQuota, Email, Registration, RegistrationSettings, StatusChange, WorkshopChoice, WorkshopSeats

OTHER = "other"  # the group of registrants without a city quota of their own

# Registrants are reminded this long before the event starts …
REMINDER_BEFORE = datetime.timedelta(days=2)
# … unless their place was confirmed less than this long ago (the confirmation is fresh).
REMINDER_NOT_WITHIN = datetime.timedelta(days=1)
# Registrations never confirmed (expired, or released by the "not me" button) are anonymised
# this long after their window, which leaves time for a late click on the link.
UNCONFIRMED_KEPT = datetime.timedelta(days=1)
# An e-mail this long past its due attempt, and not being sent, has lost its task: queue another.
EMAIL_OVERDUE = datetime.timedelta(minutes=10)


class State:
    """Where an event's built-in registration stands, by time and event status."""

    NOT_YET_OPEN = "not_yet_open"
    OPEN = "open"
    CLOSED = "closed"
    STARTED = "started"
    ENDED = "ended"
    CANCELLED = "cancelled"


# --- Errors the callers turn into messages ------------------------------------------------


class RegistrationError(Exception):
    """A rule refused the change; nothing was saved."""


class NotOpen(RegistrationError):
    def __init__(self, state):
        super().__init__(state)
        self.state = state


class AlreadyRegistered(RegistrationError):
    """The address already holds a place, waits for one or awaits its confirmation at this event."""


class TooManyUnconfirmed(RegistrationError):
    """This client already has settings.REGISTRATION_HOLDS_PER_CLIENT unconfirmed registrations
    at this event."""


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


class NoPlace(RegistrationError):
    """No place for this registrant: ``problems`` says which limits, ``position`` where they
    would stand on the waiting list."""

    def __init__(self, problems, position):
        super().__init__(problems)
        self.problems, self.position = problems, position


# --- Reading: state, places left, next change ---------------------------------------------------


def normalise_email(address):
    """One spelling per address: trimmed, Unicode-normalised (NFKC) and lower-case."""
    return unicodedata.normalize("NFKC", address or "").strip().lower()


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


def position(registration):
    """Place of a waitlisted registration in the waiting list (1 = next), else None."""
    if registration.status != Registration.Status.WAITLISTED:
        return None
    ahead = (
        Registration.objects.waiting_list()
        .filter(event_id=registration.event_id)
        .filter(Q(queued_at__lt=registration.queued_at) | Q(queued_at=registration.queued_at, id__lt=registration.pk))
    )
    return ahead.count() + 1


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


# --- Changing: every write runs under the event's lock -------------------------------------------


def _lock(event, expire=True):
    """Locks the event's registration form row for the rest of the transaction and returns it
    with its quotas and seats and ``locked_at``, the moment the lock was obtained (so that
    arrival order is lock order), after finalising the event's overdue unconfirmed
    registrations (their places go to the waiting list before anyone else can take them)
    unless not ``expire`` (the caller does)."""
    form = RegistrationSettings.objects.select_for_update().filter(event=event).first()
    if form is None:
        raise NotOpen(None)
    form.locked_at = now = timezone.now()
    prefetch_related_objects(
        [form], Prefetch("quotas", queryset=CityQuota.objects.select_related("city")), "workshop_seats"
    )
    if expire:
        _expire(event, form, now)
    return form


def _expire(event, form, now):
    """Under the lock: the event's unconfirmed registrations whose window has passed become
    expired (without an e-mail: an unconfirmed address gets one e-mail only); the places they
    held go to the waiting list. Returns how many expired."""
    overdue = list(Registration.objects.overdue(now).filter(event=event).values_list("pk", "status"))
    if not overdue:
        return 0
    Registration.objects.filter(pk__in=[pk for pk, _status in overdue]).update(
        status=Registration.Status.EXPIRED, status_changed=now, client_key="", queued_at=None
    )
    StatusChange.objects.bulk_create(
        StatusChange(
            registration_id=pk,
            action=StatusChange.Action.EXPIRED,
            old_status=status,
            new_status=Registration.Status.EXPIRED,
            at=now,
        )
        for pk, status in overdue
    )
    if any(status == Registration.Status.HELD for _pk, status in overdue):
        _fill(event, availability(event, form, now), now)
    return len(overdue)


def _names(event):
    """Cities and workshops by id, to name them in messages."""
    from events.models import City, Workshop

    return (
        {city.pk: city for city in City.objects.all()},
        {workshop.pk: workshop for workshop in Workshop.objects.filter(slot__event=event)},
    )


def _log(registration, action, old, new, by=None, override=False, note=""):
    StatusChange.objects.create(
        registration=registration,
        action=action,
        old_status=old or "",
        new_status=new or "",
        by=by,
        override=override,
        note=note[:500],
    )


def write_email(registration, kind, position=None):
    """An e-mail to the registrant and the task that sends it, in one transaction (the caller's,
    if any): both are committed, or neither. The worker cannot see the task before the commit."""
    from . import tasks

    with transaction.atomic():
        email = Email.objects.create(registration=registration, kind=kind, position=position)
        tasks.send_email.enqueue(email.pk)
    return email


def client_key(address):
    """What identifies a client for the limit on unconfirmed registrations: a keyed hash of
    its network — the IPv4 address, or the /64 of an IPv6 address (one household or phone) —
    so that no address is stored. "" when there is no usable address."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return ""
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    network = ipaddress.ip_network(f"{ip}/{64 if ip.version == 6 else 32}", strict=False)
    key = hashlib.sha256(f"registration.client:{django_settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, str(network).encode(), hashlib.sha256).hexdigest()[:32]


def _answers(answers):
    """The stored fields of a registration from the answers of a form (missing ones empty):
    ``ANSWER_FIELDS`` names them."""
    return {
        "first_name": answers["first_name"].strip(),
        "last_name": answers["last_name"].strip(),
        "email": normalise_email(answers["email"]),
        "organisation": (answers.get("organisation") or "").strip(),
        "city": answers.get("city"),
        "other_town": "" if answers.get("city") else (answers.get("other_town") or "").strip(),
        "lunch": answers.get("lunch"),
        "dietary_needs": (answers.get("dietary_needs") or "").strip(),
        "bus_city": answers.get("bus_city"),
    }


ANSWER_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "organisation",
    "city",
    "other_town",
    "lunch",
    "dietary_needs",
    "bus_city",
)


def request_place(event, answers, *, language, join_waiting_list=False, client=""):
    """A visitor asks for a place at ``event`` with ``answers`` (as ``register`` takes them)
    from the client ``client`` (``client_key``). Returns the new registration — a place *held*,
    or, when nothing fits and ``join_waiting_list``, *pending* — until the address is confirmed
    with the link of the one e-mail sent to it; None when the address was already registered
    (its own link is e-mailed to it, unless it is unconfirmed itself: one e-mail per
    unconfirmed address). The caller answers both the same way.

    Raises NotOpen, TooManyUnconfirmed (this client's unconfirmed registrations at the event
    reached the limit), or NoPlace unless ``join_waiting_list``."""
    fields = _answers(answers)
    workshops = list(answers.get("workshops") or [])
    with transaction.atomic():
        form = _lock(event)
        now = form.locked_at
        if (current := state(event, form, now)) != State.OPEN:
            raise NotOpen(current)
        if client and (
            Registration.objects.unconfirmed(now).filter(event=event, client_key=client).count()
            >= django_settings.REGISTRATION_HOLDS_PER_CLIENT
        ):
            raise TooManyUnconfirmed()
        places = availability(event, form, now)
        city_id = fields["city"].pk if fields["city"] else None
        problems = places.problems(city_id, [w.pk for w in workshops], *_names(event))
        if problems and not join_waiting_list:
            raise NoPlace(problems, places.waitlisted + 1)
        existing = Registration.objects.active().filter(event=event, email=fields["email"]).first()
        if existing is not None:
            if existing.status in Registration.CONFIRMED_ADDRESS and not existing.anonymised_at:
                write_email(existing, Email.Kind.LINK)
            return None
        status = Registration.Status.PENDING if problems else Registration.Status.HELD
        try:
            with transaction.atomic():
                registration = Registration.objects.create(
                    event=event,
                    status=status,
                    language=language,
                    consented_at=now,
                    created=now,
                    status_changed=now,
                    expires_at=now + datetime.timedelta(minutes=django_settings.REGISTRATION_HOLD_MINUTES),
                    client_key=client,
                    **fields,
                )
        except IntegrityError:  # the address, registered in the meantime by staff
            return None
        WorkshopChoice.objects.bulk_create(WorkshopChoice(registration=registration, workshop=w) for w in workshops)
        _log(registration, StatusChange.Action.REGISTERED, "", status)
        write_email(registration, Email.Kind.CONFIRM_ADDRESS)
        _finalise_at(event, registration.expires_at)
    registration.position = None
    return registration


def _finalise_at(event, moment):
    """Queues the task that finalises the event's unconfirmed registrations once ``moment``
    has passed (a second later: their window includes it)."""
    from . import tasks

    tasks.expire_unconfirmed.using(run_after=moment + datetime.timedelta(seconds=1)).enqueue(event.pk)


class Expired(RegistrationError):
    """The address was confirmed too late: its place has been taken meanwhile."""


def confirm_address(registration):
    """The registrant confirmed their address with the link e-mailed to it. A held place becomes
    theirs (the confirmation with the calendar file follows); a wish to join the waiting list
    gives them a place if one fits them now, else the next place in the line (an address counts
    in the line from its confirmation on). Late, after the window, the same happens if the
    place is still free (or the registrant asked for the waiting list); else Expired.

    Returns the registration (``position`` set). Raises NotOpen when the event has started or
    was cancelled (or registration closed, for a late confirmation), AlreadyRegistered when the
    address registered again meanwhile, Expired."""
    event = registration.event
    with transaction.atomic():
        form = _lock(event)
        now = form.locked_at
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status in Registration.CONFIRMED_ADDRESS:
            registration.position = position(registration)
            return registration  # confirmed before (a second click)
        late = registration.status == Registration.Status.EXPIRED
        if not (registration.is_unconfirmed or late) or registration.anonymised_at:
            raise NotOpen(None)
        current = state(event, form, now)
        if current in (State.STARTED, State.ENDED, State.CANCELLED) or (late and current != State.OPEN):
            raise NotOpen(current)
        if late and Registration.objects.active().filter(event=event, email=registration.email).exists():
            raise AlreadyRegistered()
        expiry = registration.history.filter(action=StatusChange.Action.EXPIRED).last() if late else None
        wanted_waiting_list = Registration.Status.PENDING in (registration.status, expiry and expiry.old_status)
        places = availability(event, form, now)
        workshops = list(registration.workshop_choices.values_list("workshop_id", flat=True))
        if registration.status == Registration.Status.HELD:
            places.release(registration.city_id, workshops)  # its own place
        problems = places.problems(registration.city_id, workshops)
        if registration.status == Registration.Status.HELD or not problems:
            new, kind = Registration.Status.CONFIRMED, Email.Kind.CONFIRMATION
        elif wanted_waiting_list:
            new, kind = Registration.Status.WAITLISTED, Email.Kind.WAITLISTED
        else:
            raise Expired()
        old = registration.status
        registration.status = new
        registration.status_changed = now
        registration.queued_at = now if new == Registration.Status.WAITLISTED else None
        registration.expires_at = None  # never confirmed: the marker of unconfirmed data
        registration.client_key = ""
        registration.save(update_fields=["status", "status_changed", "queued_at", "expires_at", "client_key"])
        _log(registration, StatusChange.Action.ADDRESS_CONFIRMED, old, new)
        registration.position = position(registration)
        write_email(registration, kind, registration.position)
    return registration


def register(event, answers, *, language, join_waiting_list=False, by=None, override=False, note=""):
    """Registers someone for ``event`` with ``answers`` (the form's cleaned data: names, e-mail,
    organisation, city (a City or None), other_town, workshops (a list), lunch, dietary_needs,
    bus_city), their address taken as confirmed: staff registering someone (a phone call), or
    a trusted caller. Visitors go through ``request_place``. Returns the registration,
    confirmed or waitlisted, with ``position`` set.

    Raises NotOpen (unless ``by``: staff register at any time), AlreadyRegistered, or NoPlace
    unless ``join_waiting_list`` (or ``override``: staff confirm beyond the rules, logged)."""
    fields = _answers(answers)
    workshops = list(answers.get("workshops") or [])
    with transaction.atomic():
        form = _lock(event)
        now = form.locked_at
        if by is None and (current := state(event, form, now)) != State.OPEN:
            raise NotOpen(current)
        if Registration.objects.active().filter(event=event, email=fields["email"]).exists():
            raise AlreadyRegistered()
        places = availability(event, form, now)
        city_id = fields["city"].pk if fields["city"] else None
        problems = places.problems(city_id, [w.pk for w in workshops], *_names(event))
        if problems and not (join_waiting_list or override):
            raise NoPlace(problems, places.waitlisted + 1)
        confirmed = not problems or override
        status = Registration.Status.CONFIRMED if confirmed else Registration.Status.WAITLISTED
        try:
            with transaction.atomic():
                registration = Registration.objects.create(
                    event=event,
                    status=status,
                    language=language,
                    consented_at=now,
                    created=now,
                    status_changed=now,
                    queued_at=None if confirmed else now,
                    **fields,
                )
        except IntegrityError as error:  # the address, registered in the meantime by staff
            raise AlreadyRegistered() from error
        WorkshopChoice.objects.bulk_create(WorkshopChoice(registration=registration, workshop=w) for w in workshops)
        _log(registration, StatusChange.Action.REGISTERED, "", status, by, override and bool(problems), note)
        registration.position = None if confirmed else places.waitlisted + 1
        kind = Email.Kind.CONFIRMATION if confirmed else Email.Kind.WAITLISTED
        write_email(registration, kind, registration.position)
    return registration


def change(registration, answers, *, language=None, by=None):
    """Changes a registration's answers. A confirmed registrant keeps their place only if the
    new answers fit (NoPlace otherwise, nothing changed); a waitlisted one may now fit and be
    promoted. Registrants change while registration is open (NotOpen), staff at any time."""
    fields = _answers(answers)
    workshops = list(answers.get("workshops") or [])
    event = registration.event
    promoted = []
    with transaction.atomic():
        form = _lock(event)
        now = form.locked_at
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status not in Registration.CONFIRMED_ADDRESS or registration.anonymised_at:
            raise NotOpen(None)
        if by is None and (current := state(event, form, now)) != State.OPEN:
            raise NotOpen(current)
        if (
            Registration.objects.active()
            .filter(event=event, email=fields["email"])
            .exclude(pk=registration.pk)
            .exists()
        ):
            raise AlreadyRegistered()
        places = availability(event, form, now)
        before = _snapshot(registration)
        old_workshops = list(registration.workshop_choices.values_list("workshop_id", flat=True))
        new_workshops = [w.pk for w in workshops]
        new_city_id = fields["city"].pk if fields["city"] else None
        if registration.status == Registration.Status.CONFIRMED:
            places.release(registration.city_id, old_workshops)
            problems = places.problems(new_city_id, new_workshops, *_names(event))
            # Changes that keep the person within what they already hold are always fine.
            problems = [
                p
                for p in problems
                if not (p.kind == "workshop" and p.workshop and p.workshop.pk in old_workshops)
                and not (p.kind == "city" and places.group(new_city_id) == places.group(registration.city_id))
                and p.kind != "places"
            ]
            if problems:
                raise NoPlace(problems, places.waitlisted + 1)
        for name, value in fields.items():
            setattr(registration, name, value)
        if language:
            registration.language = language
        registration.save()
        if set(old_workshops) != set(new_workshops):
            registration.workshop_choices.all().delete()
            WorkshopChoice.objects.bulk_create(WorkshopChoice(registration=registration, workshop=w) for w in workshops)
        _log(registration, StatusChange.Action.CHANGED, registration.status, registration.status, by)
        promoted = _fill(event, availability(event, form, now), now)
        registration.promoted = any(r.pk == registration.pk for r in promoted)
        if registration.promoted:
            registration.refresh_from_db(fields=["status", "status_changed", "queued_at"])
        elif _snapshot(registration, new_workshops) != before:
            # The updated answers (and, with a place, the calendar file again, a revision higher).
            write_email(registration, Email.Kind.CHANGED, position(registration))
    return registration


def _snapshot(registration, workshop_ids=None):
    """What a registrant's e-mail shows of their answers, to tell whether a change changed any."""
    if workshop_ids is None:
        workshop_ids = registration.workshop_choices.values_list("workshop_id", flat=True)
    stored = [name for name in ANSWER_FIELDS if name not in ("city", "bus_city")]
    return (
        *(getattr(registration, name) for name in stored),
        registration.city_id,
        registration.bus_city_id,
        registration.language,
        frozenset(workshop_ids),
    )


def cancel(registration, *, by=None, note=""):
    """Cancels a registration; the places it held go to the waiting list. Returns the
    registrations promoted. Registrants cancel until the event starts (NotOpen after)."""
    event = registration.event
    with transaction.atomic():
        form = _lock(event)
        now = form.locked_at
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if not registration.is_active:
            return []
        if by is None and not can_cancel(registration, now):
            raise NotOpen(state(event, form, now))
        old = registration.status
        registration.status = Registration.Status.CANCELLED
        registration.status_changed = now
        registration.queued_at = None
        registration.client_key = ""
        registration.save(update_fields=["status", "status_changed", "queued_at", "client_key"])
        _log(registration, StatusChange.Action.CANCELLED, old, registration.status, by, note=note)
        if old in Registration.CONFIRMED_ADDRESS:  # an unconfirmed address gets no second e-mail
            write_email(registration, Email.Kind.CANCELLED)
        promoted = _fill(event, availability(event, form, now), now) if old in TAKES_A_PLACE else []
    return promoted


def move(registration, to_status, *, by, override=False, note=""):
    """Staff move a registration between confirmed, waiting list and cancelled, under the same
    rules. Confirming someone who does not fit raises NoPlace unless ``override``, which needs a
    ``note`` (the reason) and is logged. Returns the registrations promoted as a consequence."""
    if to_status == Registration.Status.CANCELLED:
        return cancel(registration, by=by, note=note)
    if override and not note.strip():
        raise ValueError("An override needs a reason.")
    event = registration.event
    with transaction.atomic():
        form = _lock(event)
        now = form.locked_at
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        old = registration.status
        if old == to_status or registration.anonymised_at:
            return []
        if (
            not registration.is_active
            and Registration.objects.active().filter(event=event, email=registration.email).exists()
        ):
            raise AlreadyRegistered()
        places = availability(event, form, now)
        workshops = list(registration.workshop_choices.values_list("workshop_id", flat=True))
        if old == Registration.Status.HELD:
            places.release(registration.city_id, workshops)  # its own held place
        promoted = []
        if to_status == Registration.Status.CONFIRMED:
            problems = places.problems(registration.city_id, workshops, *_names(event))
            if problems and not override:
                raise NoPlace(problems, None)
            registration.queued_at = None
            # Staff confirming an unconfirmed registration vouch for its address.
            kind = Email.Kind.PROMOTED if old == Registration.Status.WAITLISTED else Email.Kind.CONFIRMATION
            position_ = False
        else:
            registration.queued_at = now
            kind, position_ = Email.Kind.WAITLISTED, True
        registration.status = to_status
        registration.status_changed = now
        registration.expires_at = None
        registration.client_key = ""
        registration.save(update_fields=["status", "status_changed", "queued_at", "expires_at", "client_key"])
        _log(registration, StatusChange.Action.MOVED, old, to_status, by, override and to_status == "confirmed", note)
        if old in TAKES_A_PLACE:
            # The place goes to the waiting list, not straight back to the person just moved.
            promoted = _fill(event, availability(event, form, now), now, exclude=registration.pk)
        write_email(registration, kind, position(registration) if position_ else None)
    return promoted


def fill_waiting_list(event):
    """Gives free places to the waiting list, in order (after staff raised places, a quota or
    seats). Returns the registrations promoted."""
    with transaction.atomic():
        try:
            form = _lock(event)
        except NotOpen:
            return []
        now = form.locked_at
        promoted = _fill(event, availability(event, form, now), now)
    return promoted


def _fill(event, places, now, exclude=None):
    """Under the lock: promotes, in waiting-list order, everyone who now fits, until no place
    is left; each is told by e-mail. Nobody is promoted once the event has started."""
    if event.is_cancelled or now >= event.start or places.places_left() == 0 or not places.waitlisted:
        return []
    waiting = list(
        Registration.objects.waiting_list()
        .filter(event=event)
        .exclude(pk=exclude)
        .prefetch_related(Prefetch("workshop_choices", to_attr="choices"))
    )
    promoted = []
    for registration in waiting:
        if places.places_left() == 0:
            break
        workshops = [choice.workshop_id for choice in registration.choices]
        if places.problems(registration.city_id, workshops):
            continue
        places.take(registration.city_id, workshops)
        registration.status = Registration.Status.CONFIRMED
        registration.status_changed = now
        registration.queued_at = None
        registration.save(update_fields=["status", "status_changed", "queued_at"])
        _log(registration, StatusChange.Action.PROMOTED, Registration.Status.WAITLISTED, registration.status)
        write_email(registration, Email.Kind.PROMOTED)
        promoted.append(registration)
    return promoted


def delete(registrations):
    """Deletes registrations (a person's request to erase their data); their places go to the
    waiting list."""
    registrations = list(registrations)
    events = {registration.event for registration in registrations}
    with transaction.atomic():
        forms = {}
        for event in events:
            with contextlib.suppress(NotOpen):  # the form itself is gone: nothing to fill
                forms[event] = _lock(event)
        now = timezone.now()
        Registration.objects.filter(pk__in=[r.pk for r in registrations]).delete()
        for event, form in forms.items():
            _fill(event, availability(event, form, now), now)


def set_attendance(registrations, attended):
    """Marks confirmed registrations as present (or not) on the day. Returns how many."""
    return (
        Registration.objects.filter(pk__in=[r.pk for r in registrations], status=Registration.Status.CONFIRMED)
        .exclude(attended=attended)
        .update(attended=attended)
    )


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


def tell_event_cancelled(event):
    """E-mails every registrant of a cancelled event, once each (the event's saves call it)."""
    if not event.is_cancelled:
        return 0
    with transaction.atomic():
        registrations = list(
            Registration.objects.confirmed_address()  # unconfirmed addresses get one e-mail only
            .filter(event=event, anonymised_at__isnull=True)
            .exclude(emails__kind=Email.Kind.EVENT_CANCELLED)
        )
        for registration in registrations:
            write_email(registration, Email.Kind.EVENT_CANCELLED)
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


def months_ago(now, months):
    """The same day and time ``months`` calendar months before ``now`` (the last day of a
    shorter month when that day does not exist)."""
    import calendar

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


# --- Sweeping: what must happen even when nobody acts ---------------------------------------------


def expire_unconfirmed(event=None, now=None):
    """Finalises the unconfirmed registrations whose window has passed — of ``event``, or of
    every event — and gives their places to the waiting list. Counting never waits for this
    (see ``availability``); it tells the waiting list and the cached pages. Returns how many."""
    now = now or timezone.now()
    overdue = Registration.objects.overdue(now)
    if event is not None:
        overdue = overdue.filter(event=event)
    count = 0
    for event_ in Event.objects.filter(pk__in=overdue.values("event_id")):
        with transaction.atomic():
            try:
                count += _expire(event_, _lock(event_, expire=False), now)
            except NotOpen:  # the form is gone
                continue
    return count


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


def sweep_emails(now=None):
    """Queues a task again for every e-mail neither sent nor given up whose attempt is overdue
    and that nobody is sending (its task was lost: a worker killed mid-task). ``emails.deliver``
    sends each at most once, so a task queued twice is harmless. Returns how many."""
    from . import tasks

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
                tasks.send_email.enqueue(pk)
                count += 1
    return count


def sweep(now=None):
    """Everything periodic of this module, for ``manage.py sweep_registrations``: returns
    (unconfirmed registrations expired, e-mails queued again, unconfirmed ones anonymised)."""
    now = now or timezone.now()
    return expire_unconfirmed(now=now), sweep_emails(now), forget_unconfirmed(now)
