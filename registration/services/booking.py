"""The writes: every change of who holds a place runs here, in one transaction under the lock of
the event's registration form (see the package's docstring for the rules)."""

import contextlib
import datetime

from django.conf import settings as django_settings
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone
from django_tasks import task

from events.models import City, Event, Workshop

from .. import privacy
from ..models import CityQuota, Email, Registration, RegistrationSettings, StatusChange, WorkshopChoice
from .addresses import normalise_email
from .capacity import TAKES_A_PLACE, State, availability, can_cancel, state
from .errors import AlreadyRegistered, Expired, NoPlace, NotOpen, TooManyUnconfirmed
from .notifications import tell_event_cancelled, write_email


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
        expires_at = now + datetime.timedelta(minutes=django_settings.REGISTRATION_HOLD_MINUTES)
        try:
            registration = _create(
                event, form, now, fields, workshops, status, language, expires_at=expires_at, client_key=client
            )
        except IntegrityError:  # the address, registered in the meantime by staff
            return None
        _log(registration, StatusChange.Action.REGISTERED, "", status)
        write_email(registration, Email.Kind.CONFIRM_ADDRESS)
        _finalise_at(event, registration.expires_at)
    registration.position = None
    return registration


def _create(event, form, now, fields, workshops, status, language, **more):
    """A new registration for ``event`` with ``status``, the answers ``fields`` and the chosen
    ``workshops``, written in ``language`` and consented to the form's privacy notice at ``now``
    (``more``: what differs between visitors and staff). The same address registered meanwhile
    raises IntegrityError, with nothing written."""
    with transaction.atomic():
        registration = Registration.objects.create(
            event=event,
            status=status,
            language=language,
            consented_at=now,
            privacy_notice_version=privacy.notice_version(form),
            created=now,
            status_changed=now,
            **more,
            **fields,
        )
    WorkshopChoice.objects.bulk_create(WorkshopChoice(registration=registration, workshop=w) for w in workshops)
    return registration


def _finalise_at(event, moment):
    """Queues the task that finalises the event's unconfirmed registrations once ``moment``
    has passed (a second later: their window includes it)."""
    expire_unconfirmed_task.using(run_after=moment + datetime.timedelta(seconds=1)).enqueue(event.pk)


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
            registration.position = registration.waiting_list_position()
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
        registration.position = registration.waiting_list_position()
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
            registration = _create(
                event, form, now, fields, workshops, status, language, queued_at=None if confirmed else now
            )
        except IntegrityError as error:  # the address, registered in the meantime by staff
            raise AlreadyRegistered() from error
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
            write_email(registration, Email.Kind.CHANGED, registration.waiting_list_position())
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
        write_email(registration, kind, registration.waiting_list_position() if position_ else None)
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


def change_capacity(form, **limits):
    """Sets the limits of an event's registration form (``capacity``, ``other_places``) and
    gives the places that are now free to the waiting list, in order. Returns the registrations
    promoted. Staff saving the form in the admin get the same (``fill_waiting_list`` after the
    form, its quotas and seats are saved)."""
    unknown = set(limits) - {"capacity", "other_places"}
    if unknown:
        raise TypeError(f"change_capacity() sets capacity and other_places, not {', '.join(sorted(unknown))}")
    with transaction.atomic():
        for name, value in limits.items():
            setattr(form, name, value)
        form.full_clean()
        form.save(update_fields=list(limits) or None)
        return fill_waiting_list(form.event)


def cancel_event(event, *, notify=True):
    """Calls ``event`` off: saves it as cancelled (a new calendar revision) and, if ``notify``,
    e-mails every registrant with a confirmed address that it is cancelled — once each, also
    when called again. Returns how many were e-mailed. Nobody is promoted or moved; the
    registrations stay as they are, for the record.

    The only way registrants hear of a cancellation: saving an event as cancelled (a shell, a
    restore from the history) mails nobody; the event admin calls this once staff confirmed it."""
    with transaction.atomic():
        if not event.is_cancelled:
            event.is_cancelled = True
            event.save(update_fields=["is_cancelled", "updated"])  # a new calendar revision (Event.save)
        return tell_event_cancelled(event) if notify else 0


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


@task()
def expire_unconfirmed_task(event_id):
    """The worker's task at the end of a confirmation window (queued by ``_finalise_at``): the
    event's overdue unconfirmed registrations expire and their places go to the waiting list."""
    event = Event.objects.filter(pk=event_id).first()
    return 0 if event is None else expire_unconfirmed(event)
