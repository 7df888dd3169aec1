"""Built-in registration: what an event asks and how many it takes (RegistrationSettings with
its city quotas and workshop seats), who registered (Registration with their workshop choices),
what happened to them (StatusChange) and what they were sent (Email).

The rules that decide who gets a place live in the services package; this module only describes the
data. Bulk updates through these models' querysets announce themselves like single saves do
(see ``ChangeAnnouncingQuerySet``), so the page cache is never left with a stale count.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Min, Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext, gettext_noop, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from events.language import labelled, language_codes
from events.models import City, Event, Workshop, visible_condition

from . import links, signals


class ChangeAnnouncingQuerySet(models.QuerySet):
    """``update()``, ``bulk_create()`` and ``bulk_update()`` skip the model signals; these send
    ``registrations_changed`` for every event they touch, after the commit, as saves do."""

    event_path = "event_id"  # how a row of this model names its event

    def update(self, **kwargs):
        event_ids = set(self.values_list(self.event_path, flat=True))
        count = super().update(**kwargs)
        signals.announce(event_ids, sender=self.model)
        return count

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        signals.announce({self._event_id_of(obj) for obj in created}, sender=self.model)
        return created

    def bulk_update(self, objs, *args, **kwargs):
        count = super().bulk_update(objs, *args, **kwargs)
        signals.announce({self._event_id_of(obj) for obj in objs}, sender=self.model)
        return count

    def _event_id_of(self, obj):
        value = obj
        for part in self.event_path.split("__"):
            value = getattr(value, part)
        return value


class SettingsQuerySet(ChangeAnnouncingQuerySet):
    event_path = "event_id"


class PartOfSettingsQuerySet(ChangeAnnouncingQuerySet):
    event_path = "settings__event_id"

    def _event_id_of(self, obj):
        return obj.settings_id


# The privacy notice a new registration form starts with.
DEFAULT_PRIVACY_NOTICE = gettext_noop(
    "The QuattroPole secretariat uses the data you give here only to organise this event: to confirm "
    "your registration, to tell you about changes, to plan places, workshops, lunch and buses, and to "
    "prepare the sign-in sheet. Only the secretariat and the organisers of the event see it. With the "
    "link we send you, you can see, change or cancel your registration at any time; ask the event's "
    "contact person to delete it."
)
# (How long the data are kept is not part of this text, which staff adapt per event: the form shows
# it below the notice from settings.REGISTRATION_RETENTION_MONTHS, the period the anonymisation
# applies, in the same words as the site's privacy page.)


class RegistrationSettings(models.Model):
    """The built-in registration form of one event. An event has built-in registration when
    it has these settings; otherwise its registration link (or none) applies, as before."""

    class WorkshopChoice(models.TextChoices):
        NONE = "none", _("Do not ask")
        ONE = "one", _("One workshop per registrant")
        PER_SLOT = "per_slot", _("One workshop per workshop slot of the programme")

    event = models.OneToOneField(
        Event,
        verbose_name=_("event"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="registration_settings",
    )
    opens_at = models.DateTimeField(
        _("registration opens"), null=True, blank=True, help_text=_("Empty: as soon as the event is published.")
    )
    closes_at = models.DateTimeField(
        _("registration closes"), null=True, blank=True, help_text=_("Empty: when the event starts.")
    )
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("All places together. Empty: no limit.")
    )
    other_places = models.PositiveIntegerField(
        _("places for other towns"),
        null=True,
        blank=True,
        help_text=_(
            "For people from towns without a quota of their own (below): other towns, and member cities "
            "without a quota. Empty: no limit of their own."
        ),
    )
    workshop_choice = models.CharField(
        _("workshop choice"),
        max_length=20,
        choices=WorkshopChoice.choices,
        default=WorkshopChoice.NONE,
        help_text=_("The workshops are those of the programme; give them seats below."),
    )
    ask_lunch = models.BooleanField(_("ask about lunch"), default=False)
    ask_dietary_needs = models.BooleanField(_("ask about dietary needs"), default=False)
    ask_bus = models.BooleanField(_("offer a bus from the member cities"), default=False)
    ask_language = models.BooleanField(
        _("ask for the language of the e-mails"),
        default=True,
        help_text=_("Otherwise e-mails are in the language of the page the registrant used."),
    )
    privacy_notice = models.TextField(
        _("privacy notice"),
        help_text=_("What is stored, why, for how long and who to ask. Registrants must accept it. Markdown."),
    )
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = SettingsQuerySet.as_manager()

    class Meta:
        ordering = ["-event__start"]
        verbose_name = _("registration form")
        verbose_name_plural = _("registration forms")
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True) | Q(closes_at__isnull=True) | Q(closes_at__gt=F("opens_at")),
                name="registration_closes_after_it_opens",
            )
        ]

    def __str__(self):
        return str(self.event)

    def clean(self):
        errors = {}
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = _("Registration must close after it opens.")
        event = getattr(self, "event", None) if self.event_id else None
        if event is not None:
            if self.closes_at and self.closes_at > event.start:
                errors["closes_at"] = _("Registration cannot close after the event starts.")
            if self.opens_at and self.opens_at >= event.start:
                errors["opens_at"] = _("Registration must open before the event starts.")
            if event.registration_url_de or event.registration_url_fr:
                errors["event"] = _(
                    "This event links to an external registration form. Remove the registration link from "
                    "the event first: an event has either the link or the built-in form."
                )
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def default_privacy_notice():
        """The privacy notice to start from, in each language (staff adapt it per event)."""
        notices = {}
        for code in language_codes():
            with translation.override(code):
                notices[f"privacy_notice_{code}"] = gettext(DEFAULT_PRIVACY_NOTICE)
        return notices

    def closing_moment(self):
        """When the form goes away: the closing moment, at the latest the start of the event."""
        return min(self.closes_at, self.event.start) if self.closes_at else self.event.start


class CityQuota(models.Model):
    settings = models.ForeignKey(
        RegistrationSettings, verbose_name=_("registration form"), on_delete=models.CASCADE, related_name="quotas"
    )
    city = models.ForeignKey(City, verbose_name=_("member city"), on_delete=models.PROTECT, related_name="+")
    places = models.PositiveIntegerField(_("places"))

    objects = PartOfSettingsQuerySet.as_manager()

    class Meta:
        ordering = ["city__order", "city__code"]
        verbose_name = _("quota of a member city")
        verbose_name_plural = _("quotas of the member cities")
        constraints = [models.UniqueConstraint(fields=["settings", "city"], name="one_quota_per_city")]

    def __str__(self):
        return labelled(self.city, self.places)


class WorkshopSeats(models.Model):
    settings = models.ForeignKey(
        RegistrationSettings,
        verbose_name=_("registration form"),
        on_delete=models.CASCADE,
        related_name="workshop_seats",
    )
    workshop = models.ForeignKey(Workshop, verbose_name=_("workshop"), on_delete=models.CASCADE, related_name="+")
    seats = models.PositiveIntegerField(_("seats"))

    objects = PartOfSettingsQuerySet.as_manager()

    class Meta:
        ordering = ["workshop__slot__start", "workshop__order", "workshop__id"]
        verbose_name = _("seats of a workshop")
        verbose_name_plural = _("seats of the workshops")
        constraints = [models.UniqueConstraint(fields=["settings", "workshop"], name="one_seat_count_per_workshop")]

    def __str__(self):
        return labelled(self.workshop, self.seats)

    def clean(self):
        if self.settings_id and self.workshop_id and self.workshop.slot.event_id != self.settings_id:
            raise ValidationError({"workshop": _("This workshop belongs to another event.")})


class RegistrationQuerySet(ChangeAnnouncingQuerySet):
    def active(self):
        """Registrations that hold a place, wait for one, or await the confirmation of their
        address (also once their window has passed, until the services finalise them)."""
        return self.filter(status__in=Registration.ACTIVE)

    def confirmed_address(self):
        """Registrations whose address is confirmed: confirmed or on the waiting list."""
        return self.filter(status__in=Registration.CONFIRMED_ADDRESS)

    def unconfirmed(self, now=None):
        """Registrations awaiting the confirmation of their address whose window is still open."""
        return self.filter(status__in=Registration.UNCONFIRMED, expires_at__gt=now or timezone.now())

    def overdue(self, now=None):
        """Registrations awaiting confirmation whose window has passed (not yet finalised)."""
        return self.filter(status__in=Registration.UNCONFIRMED, expires_at__lte=now or timezone.now())

    def waiting_list(self):
        """The waiting list in its order: who joined it first comes first."""
        return self.filter(status=Registration.Status.WAITLISTED).order_by("queued_at", "id")

    def by_name(self):
        return self.order_by("last_name", "first_name", "id")

    def for_token(self, token):
        """The registration a signed link names (links.py), or None for a forged, damaged or
        outdated one (anonymising gives a registration a new identifier)."""
        identifier = links.identifier(token)
        if identifier is None:
            return None
        return (
            self.select_related("event__venue", "city", "bus_city")
            .filter(uuid=identifier, anonymised_at__isnull=True)
            .first()
        )


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", pgettext_lazy("registration status", "Confirmed")
        WAITLISTED = "waitlisted", pgettext_lazy("registration status", "Waiting list")
        # The address is not confirmed yet: a place is held for the confirmation window …
        HELD = "held", pgettext_lazy("registration status", "Place held, address not confirmed yet")
        # … or, when nothing fitted, the registrant asked for the waiting list (no place in line yet).
        PENDING = "pending", pgettext_lazy("registration status", "Waiting list requested, address not confirmed yet")
        CANCELLED = "cancelled", pgettext_lazy("registration status", "Cancelled")
        EXPIRED = "expired", pgettext_lazy("registration status", "Expired, address not confirmed")

    # The address is confirmed: a place, or a place in the waiting list's line.
    CONFIRMED_ADDRESS = (Status.CONFIRMED, Status.WAITLISTED)
    # Awaiting the confirmation of the address, until ``expires_at``.
    UNCONFIRMED = (Status.HELD, Status.PENDING)
    # One of these per address and event at most.
    ACTIVE = (*CONFIRMED_ADDRESS, *UNCONFIRMED)

    uuid = models.UUIDField(_("identifier"), default=uuid.uuid4, unique=True, editable=False)
    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.PROTECT, related_name="registrations")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, editable=False)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail"))
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    city = models.ForeignKey(
        City,
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: another town."),
    )
    other_town = models.CharField(_("other town"), max_length=100, blank=True)
    workshops = models.ManyToManyField(
        Workshop, verbose_name=_("workshops"), through="WorkshopChoice", blank=True, related_name="+"
    )
    lunch = models.BooleanField(_("lunch"), null=True, blank=True, help_text=_("Empty: not asked."))
    dietary_needs = models.CharField(_("dietary needs"), max_length=300, blank=True)
    bus_city = models.ForeignKey(
        City,
        verbose_name=_("bus from"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: comes on their own."),
    )
    language = models.CharField(
        _("language of the e-mails"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    consented_at = models.DateTimeField(_("privacy notice accepted"), null=True, blank=True, editable=False)
    privacy_notice_version = models.CharField(
        _("privacy notice shown"),
        max_length=100,
        blank=True,
        editable=False,
        help_text=_("The form's notice as shown (a hash of its text) and the version of the site's privacy page."),
    )
    created = models.DateTimeField(_("registered"), default=timezone.now, editable=False)
    queued_at = models.DateTimeField(
        _("on the waiting list since"), null=True, blank=True, editable=False, help_text=_("Sets the order.")
    )
    status_changed = models.DateTimeField(_("status since"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(
        _("to be confirmed by"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("An unconfirmed registration expires then and its place is free again."),
    )
    # Who asked for an unconfirmed registration: a keyed hash of the client's network (its IPv4
    # address, or its IPv6 /64), to limit the places one client holds at once. Emptied when the
    # registration is confirmed or expires; never an address.
    client_key = models.CharField(_("client"), max_length=64, blank=True, editable=False)
    attended = models.BooleanField(_("attended"), default=False)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["event", "created", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        permissions = [("override_capacity", _("Can confirm registrations beyond places, quotas and seats"))]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=Q(status__in=["confirmed", "waitlisted", "held", "pending"]) & ~Q(email=""),
                name="one_active_registration_per_address",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["confirmed", "waitlisted", "held", "pending", "cancelled", "expired"]),
                name="registration_status_known",
            ),
            models.CheckConstraint(
                condition=~Q(status="waitlisted") | Q(queued_at__isnull=False), name="waitlisted_has_a_place_in_line"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["held", "pending"]) | Q(expires_at__isnull=False),
                name="unconfirmed_registration_expires",
            ),
        ]
        indexes = [
            models.Index(fields=["event", "status", "queued_at"]),
            models.Index(fields=["status", "expires_at"], name="registration_unconfirmed_idx"),
        ]

    def __str__(self):
        if self.anonymised_at:
            return str(_("Anonymised registration %(number)s") % {"number": self.pk})
        return f"{self.first_name} {self.last_name}"

    def get_absolute_url(self, language=None):
        """The registrant's own page (a signed link, no account)."""
        return links.manage_url(self, language=language)

    def waiting_list_position(self):
        """Place of a waitlisted registration in the waiting list (1 = next), else None."""
        if self.status != self.Status.WAITLISTED:
            return None
        ahead = (
            Registration.objects.waiting_list()
            .filter(event_id=self.event_id)
            .filter(Q(queued_at__lt=self.queued_at) | Q(queued_at=self.queued_at, id__lt=self.pk))
        )
        return ahead.count() + 1

    def online_link(self):
        """The link to join the event from home, for whoever holds a place (a place in the
        waiting list's line is not one), whoever else may see it; "" for anyone else, and once
        the event is called off. Their own page and their e-mails ask this."""
        event = self.event
        if self.status != self.Status.CONFIRMED or self.anonymised_at or event.is_cancelled:
            return ""
        return event.online_url if event.is_attended_online else ""

    @property
    def is_active(self):
        return self.status in self.ACTIVE

    @property
    def is_unconfirmed(self):
        """Awaiting the confirmation of the address (its window may have passed)."""
        return self.status in self.UNCONFIRMED

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def town(self):
        """The member city, or the other town typed in."""
        return str(self.city) if self.city_id else self.other_town


class WorkshopChoice(models.Model):
    registration = models.ForeignKey(
        Registration, verbose_name=_("registration"), on_delete=models.CASCADE, related_name="workshop_choices"
    )
    workshop = models.ForeignKey(Workshop, verbose_name=_("workshop"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["workshop__slot__start", "workshop__order", "workshop__id"]
        verbose_name = _("workshop choice")
        verbose_name_plural = _("workshop choices")
        constraints = [models.UniqueConstraint(fields=["registration", "workshop"], name="workshop_chosen_once")]

    def __str__(self):
        return str(self.workshop)


class StatusChange(models.Model):
    """One line of a registration's history: what happened, when, by whom, and why."""

    class Action(models.TextChoices):
        REGISTERED = "registered", pgettext_lazy("registration history", "Registered")
        CHANGED = "changed", _("Answers changed")
        PROMOTED = "promoted", _("Given a place from the waiting list")
        CANCELLED = "cancelled", pgettext_lazy("registration history", "Cancelled")
        MOVED = "moved", _("Moved by staff")
        ADDRESS_CONFIRMED = "address_confirmed", _("Address confirmed")
        EXPIRED = "expired", _("Expired: the address was not confirmed in time")
        ANONYMISED = "anonymised", _("Anonymised")

    registration = models.ForeignKey(
        Registration, verbose_name=_("registration"), on_delete=models.CASCADE, related_name="history"
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    action = models.CharField(_("what"), max_length=20, choices=Action.choices)
    old_status = models.CharField(_("from"), max_length=20, choices=Registration.Status.choices, blank=True)
    new_status = models.CharField(_("to"), max_length=20, choices=Registration.Status.choices, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by staff member"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    override = models.BooleanField(
        _("beyond the rules"), default=False, help_text=_("A staff member confirmed beyond places, quotas or seats.")
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("history entry")
        verbose_name_plural = _("history")

    def __str__(self):
        at = formats.date_format(timezone.localtime(self.at), "SHORT_DATETIME_FORMAT")  # local time, as the columns
        return f"{self.get_action_display()} ({at})"


class Email(models.Model):
    """An e-mail to a registrant: written when something happens, with the task that sends it
    in the same transaction, retried while the mail server is unreachable, sent at most once
    (``claimed_until`` keeps two senders apart; ``next_attempt_at`` lets a sweep find one whose
    task was lost)."""

    class Kind(models.TextChoices):
        CONFIRM_ADDRESS = "confirm_address", _("Request to confirm the address")
        CONFIRMATION = "confirmation", _("Confirmation")
        CHANGED = "changed", _("Answers changed")
        WAITLISTED = "waitlisted", _("On the waiting list")
        PROMOTED = "promoted", _("Place from the waiting list")
        CANCELLED = "cancelled", _("Cancellation")
        REMINDER = "reminder", _("Reminder")
        EVENT_CANCELLED = "event_cancelled", _("Event cancelled")
        EVENT_CHANGED = "event_changed", _("Event changed (date, place or status)")
        LINK = "link", _("Link sent again")

    # Kinds sent once per registration at most, whatever happens.
    ONCE = (Kind.REMINDER, Kind.EVENT_CANCELLED)

    registration = models.ForeignKey(
        Registration, verbose_name=_("registration"), on_delete=models.CASCADE, related_name="emails"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    position = models.PositiveIntegerField(_("position on the waiting list"), null=True, blank=True)
    created = models.DateTimeField(_("written"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    given_up_at = models.DateTimeField(_("given up"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True, default=timezone.now)
    claimed_until = models.DateTimeField(_("being sent until"), null=True, blank=True)

    class Meta:
        ordering = ["created", "id"]
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "kind"],
                condition=Q(kind__in=["reminder", "event_cancelled"]),
                name="reminder_and_cancellation_notice_once",
            )
        ]
        indexes = [models.Index(fields=["next_attempt_at"], name="registration_email_due_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.registration}"

    @property
    def state(self):
        if self.sent_at:
            return _("sent")
        if self.given_up_at:
            return _("given up")
        return _("waiting to be sent")


def change_moments(now):
    """What changes a visible event's registration box by time alone, as aggregates over events
    for ``EventQuerySet.next_change``: its registration form opening or closing, and the end of a
    registration's window to confirm its address (the place it held is free again then)::

        Event.objects.next_change(now, **change_moments(now))
    """
    visible = visible_condition(now)
    unconfirmed = Q(registrations__status__in=Registration.UNCONFIRMED, registrations__expires_at__gt=now)
    return {
        "opens": Min("registration_settings__opens_at", filter=visible & Q(registration_settings__opens_at__gt=now)),
        "closes": Min("registration_settings__closes_at", filter=visible & Q(registration_settings__closes_at__gt=now)),
        "window": Min("registrations__expires_at", filter=visible & unconfirmed),
    }
