"""The event domain: events with their programme, people, venues and cities.

Texts a visitor reads are translated FR/DE by django-modeltranslation (see
translation.py); code reads ``event.title`` and gets the active language, with
fallback to the other one. This module imports nothing of views, admin or templates.
"""

import datetime
import uuid
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Min, Q, Subquery, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .images import CleanImageField, validate_image
from .language import other_language, shown_text, translated_value
from .slugs import slug_from_title, unique_slug

# Path words of the event URLs; no event slug may be one of them.
RESERVED_SLUGS = {"vergangene", "passes", "kalender", "calendrier", "feed", "programm", "programme"}


class City(models.Model):
    """A member city of the QuattroPole network."""

    name = models.CharField(_("name"), max_length=100)
    code = models.SlugField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("Short, language-neutral identifier used in filter links, e.g. “metz”."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("city")
        verbose_name_plural = _("cities")

    def __str__(self):
        return self.name or self.code


class Category(models.Model):
    """The kind of an event (the seed's "Art"), e.g. “QuattroPole”, “Culture”."""

    name = models.CharField(_("name"), max_length=100)
    code = models.SlugField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("Short, language-neutral identifier used in filter links."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.name or self.code


class ProjectGroup(models.Model):
    """A QuattroPole working group that organises events."""

    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["id"]
        verbose_name = _("project group")
        verbose_name_plural = _("project groups")

    def __str__(self):
        return self.name


class Venue(models.Model):
    class TimeZone(models.TextChoices):
        PARIS = "Europe/Paris", _("France (Europe/Paris)")
        BERLIN = "Europe/Berlin", _("Germany (Europe/Berlin)")
        LUXEMBOURG = "Europe/Luxembourg", _("Luxembourg (Europe/Luxembourg)")

    name = models.CharField(_("name"), max_length=200, help_text=_("E.g. “Hôtel de Ville” / “Rathaus”."))
    street = models.CharField(_("street"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    locality = models.CharField(_("locality"), max_length=100)
    country = models.CharField(_("country"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=40, choices=TimeZone.choices, default=TimeZone.PARIS)
    # Accessibility: OpenAgenda's five flags (accessible to people with this impairment), and a
    # note per language for what the flags do not say. Entered once, shown on every event here.
    access_motor = models.BooleanField(
        _("step-free (motor impairment)"),
        default=False,
        help_text=_("Wheelchair users get in and around without steps: entrance, rooms, toilet."),
    )
    access_hearing = models.BooleanField(
        _("hearing impairment"), default=False, help_text=_("E.g. an induction loop in the hall.")
    )
    access_visual = models.BooleanField(
        _("visual impairment"), default=False, help_text=_("E.g. tactile guidance, guide dogs welcome.")
    )
    access_psychic = models.BooleanField(
        _("psychic impairment"), default=False, help_text=_("E.g. a quiet room to withdraw to.")
    )
    access_intellectual = models.BooleanField(
        _("intellectual impairment"), default=False, help_text=_("E.g. signs and materials in easy language.")
    )
    accessibility_note = models.TextField(
        _("accessibility note"),
        blank=True,
        help_text=_("What the flags do not say: entrance, accessible toilet, parking, who to call."),
    )
    accessibility_example = models.BooleanField(
        _("accessibility values are examples"),
        default=False,
        help_text=_("Shown as example data: the values were not taken from the venue (the demo)."),
    )

    class Meta:
        ordering = ["locality", "id"]
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        constraints = [
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | (Q(latitude__gte=-90) & Q(latitude__lte=90) & Q(longitude__gte=-180) & Q(longitude__lte=180)),
                name="venue_coordinates_valid",
            )
        ]

    def __str__(self):
        return f"{self.name}, {self.locality}"

    def save(self, *args, **kwargs):
        """A moved address or time zone is a new calendar revision of every event held here,
        so that calendar apps that subscribed update the place (see Event.save())."""
        moved = False
        if self.pk is not None and not self._state.adding:
            fields = [f"{name}_{code}" for name in ("name", "locality", "country") for code in ("de", "fr")]
            fields += ["street", "postal_code", "latitude", "longitude", "time_zone"]
            stored = Venue.objects.filter(pk=self.pk).values(*fields).first()
            moved = stored is not None and any(stored[name] != getattr(self, name) for name in fields)
        super().save(*args, **kwargs)
        if moved:
            self.events.update(ical_sequence=F("ical_sequence") + 1, updated=timezone.now())

    def clean(self):
        if (self.latitude is None) != (self.longitude is None):
            field = "longitude" if self.longitude is None else "latitude"
            raise ValidationError({field: _("Enter both latitude and longitude, or neither.")})

    @property
    def tzinfo(self):
        return ZoneInfo(self.time_zone)

    @property
    def country_code(self):
        """The ISO 3166 code of the venue's country ("FR", "DE", "LU"): the network's venues are in
        three countries, each with its one time zone."""
        return VENUE_COUNTRY_CODES[self.time_zone]

    @property
    def accessibility(self):
        """The accessibility flags that are set, as (field name, label) in OpenAgenda's order."""
        return [
            (name, Venue._meta.get_field(name).verbose_name) for name in ACCESSIBILITY_FIELDS if getattr(self, name)
        ]

    @property
    def address_lines(self):
        lines = [self.name, self.street, " ".join(p for p in (self.postal_code, self.locality) if p)]
        return [line for line in lines if line]

    @property
    def map_url(self):
        """A link to OpenStreetMap: the coordinates when known, otherwise a search for the address."""
        if self.latitude is not None and self.longitude is not None:
            return (
                f"https://www.openstreetmap.org/?mlat={self.latitude}&mlon={self.longitude}"
                f"#map=17/{self.latitude}/{self.longitude}"
            )
        from urllib.parse import urlencode

        query = ", ".join(p for p in (self.street, self.postal_code, self.locality, self.country) if p)
        return "https://www.openstreetmap.org/search?" + urlencode({"query": query})


class Person(models.Model):
    """A speaker, moderator, host or contact person."""

    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=300, blank=True, help_text=_("E.g. “Chercheur” / “Forscher”."))
    affiliation = models.CharField(
        _("affiliation"), max_length=300, blank=True, help_text=_("E.g. “Ville de Luxembourg” / “Stadt Luxemburg”.")
    )
    photo = CleanImageField(_("photo"), upload_to="people/", blank=True, validators=[validate_image])
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return self.name

    @property
    def description(self):
        """“Chercheur au …, Groupe …”: role and affiliation in the active language."""
        return ", ".join(part for part in (self.role, self.affiliation) if part)


def visible_condition(now):
    """The rule, as a condition: an event is visible to visitors at ``now`` when it is set to
    "Published" and has no "publish at" moment, or one that has come. Everything that decides
    visibility uses it, through ``EventQuerySet.published()`` or, in one aggregate query (the page
    cache's next state change), directly."""
    return Q(status=Event.Status.PUBLISHED) & (Q(publish_at__isnull=True) | Q(publish_at__lte=now))


def registration_link_closes_at(deadline):
    """Registration through a link closes at the first moment after its deadline day, in the
    site's time zone; None without a deadline. The one copy of the rule: the event page
    (``Event.registration_closes_at``) and the page cache (``EventQuerySet.next_change``) ask it."""
    if not deadline:
        return None
    next_day = deadline + datetime.timedelta(days=1)
    return datetime.datetime.combine(next_day, datetime.time.min, tzinfo=timezone.get_default_timezone())


def scheduled_condition(now):
    """Set to "Published", waiting for a "publish at" moment after ``now``."""
    return Q(status=Event.Status.PUBLISHED, publish_at__gt=now)


class EventQuerySet(models.QuerySet):
    """The questions the site asks about events. Visibility is a function of time, decided here
    and only here (``visible_condition``): everything a visitor can reach (lists, event pages,
    calendars, feeds, the sitemap, structured data) starts from ``published(now)``."""

    def published(self, now=None):
        """Visible to visitors at ``now`` (default: this moment): status "Published" and no
        "publish at" moment, or one that has come."""
        return self.filter(visible_condition(now or timezone.now()))

    def scheduled(self, now=None):
        """Published, but waiting for their "publish at" moment."""
        return self.filter(scheduled_condition(now or timezone.now()))

    def next_change(self, now=None, **moments):
        """The next moment after ``now`` (default: this moment) at which a public page of these
        events changes by time alone, or None when nothing is ahead: a visible event starts or
        ends, its registration link closes (``registration_link_closes_at``), or a scheduled event
        appears (its "publish at": until then every page shows the same events).

        ``moments`` are more ``Min()`` aggregates over the events' related rows, whose earliest
        future value counts too: the registration app's (``registration.models.change_moments``)
        for what changes a registration box. One query, whatever the number of events. The page
        cache keeps a page no longer than this::

            Event.objects.next_change(now, **change_moments(now))  # datetime or None
        """
        now = now or timezone.now()
        visible, scheduled = visible_condition(now), scheduled_condition(now)
        not_passed = Q(registration_deadline__gte=timezone.localdate(now))
        found = self.filter(visible | scheduled).aggregate(
            start=Min("start", filter=visible & Q(start__gt=now)),
            end=Min("end", filter=visible & Q(end__gt=now)),
            deadline=Min("registration_deadline", filter=visible & not_passed),
            publication=Min("publish_at", filter=scheduled),
            **moments,
        )
        found["deadline"] = registration_link_closes_at(found["deadline"])
        future = [moment for moment in found.values() if moment is not None and moment > now]
        return min(future) if future else None

    def gone(self, now=None):
        """Events that visitors could see once and cannot now: unpublished (set back to draft,
        or postponed to a later "publish at") after having been visible. Their addresses answer
        410 Gone rather than 404 Not Found."""
        now = now or timezone.now()
        return self.filter(first_published_at__lte=now).exclude(visible_condition(now))

    def upcoming(self, now=None, start_hint=True):
        """Not yet ended, soonest first: an event in progress is still upcoming.

        ``start_hint`` adds a condition that changes nothing in the result (every event not yet
        ended starts no earlier than the earliest of them) but lets the database read the
        (status, start) index from that point on, instead of reading past every ended event to
        find the first few. Counting all upcoming events is faster without it."""
        now = now or timezone.now()
        upcoming = self.filter(end__gte=now)
        if start_hint:
            earliest = Event.objects.filter(status__in=Event.Status.values, end__gte=now).order_by("start")
            upcoming = upcoming.filter(start__gte=Subquery(earliest.values("start")[:1]))
        return upcoming.order_by("start", "id")

    def past(self, now=None):
        """Ended, latest first. (An ended event also started before ``now``: said too, so that the
        database reads the (status, start) index from ``now`` backwards.)"""
        now = now or timezone.now()
        return self.filter(end__lt=now, start__lt=now).order_by("-start", "-id")

    def for_listing(self):
        return self.select_related("category", "venue").prefetch_related("cities")

    def by_slug(self, slug, language=None):
        """Events whose slug in ``language`` is ``slug``, or, where that slug is missing,
        whose slug in the fallback language is. modeltranslation applies its fallback
        only when reading attributes, not in filter(), so the fallback is spelt out here."""
        language = language or translation.get_language()
        other = other_language(language)
        return self.filter(
            Q(**{f"slug_{language}": slug})
            | (Q(**{f"slug_{language}": ""}) | Q(**{f"slug_{language}__isnull": True})) & Q(**{f"slug_{other}": slug})
        )


class Event(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    class EventStatus(models.TextChoices):
        """Whether the event happens as announced (stored; a cancellation is ``is_cancelled``,
        kept by registration's cancelling, and "full" is derived from registration:
        ``PublicStatus`` is what visitors see)."""

        SCHEDULED = "scheduled", pgettext_lazy("event status", "Scheduled")
        POSTPONED = "postponed", pgettext_lazy("event status", "Postponed")
        RESCHEDULED = "rescheduled", pgettext_lazy("event status", "Rescheduled")
        MOVED_ONLINE = "moved_online", pgettext_lazy("event status", "Moved online")

    class PublicStatus(models.TextChoices):
        """What a visitor is told: the stored status, or cancelled, or full."""

        SCHEDULED = "scheduled", pgettext_lazy("event status", "Scheduled")
        POSTPONED = "postponed", pgettext_lazy("event status", "Postponed")
        RESCHEDULED = "rescheduled", pgettext_lazy("event status", "Rescheduled")
        MOVED_ONLINE = "moved_online", pgettext_lazy("event status", "Moved online")
        FULL = "full", pgettext_lazy("event status", "Fully booked")
        CANCELLED = "cancelled", pgettext_lazy("event status", "Cancelled")

    class AttendanceMode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        MIXED = "mixed", _("In person and online")

    class OnlineUrlVisibility(models.TextChoices):
        PUBLIC = "public", _("Everyone, on the event page")
        REGISTRANTS = "registrants", _("Registrants only")

    class Language(models.TextChoices):
        DE = "de", _("German")
        FR = "fr", _("French")
        LB = "lb", _("Luxembourgish")
        EN = "en", _("English")
        OTHER = "other", _("another language")

    class Interpretation(models.TextChoices):
        NONE = "none", _("No interpretation")
        SIMULTANEOUS = "simultaneous", _("Simultaneous interpretation")
        CONSECUTIVE = "consecutive", _("Consecutive interpretation")

    class RegistrationState(models.TextChoices):
        NONE = "none", _("No registration")
        OPEN = "open", _("Registration open")
        CLOSED = "closed", _("Registration closed")
        ENDED = "ended", _("Event ended")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        blank=True,
        help_text=_("The last part of the address, per language; unique within a language."),
    )
    kicker = models.CharField(
        _("kicker"),
        max_length=200,
        blank=True,
        help_text=_("Line above the title, e.g. “QuattroPole-Konferenz – kommunale Sozialpolitik”."),
    )
    teaser = models.TextField(_("teaser"), blank=True, help_text=_("One or two sentences shown in lists."))
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="events")
    cities = models.ManyToManyField(City, verbose_name=_("participating cities"), blank=True, related_name="events")
    project_group = models.ForeignKey(
        ProjectGroup,
        verbose_name=_("organising project group"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    venue = models.ForeignKey(
        Venue, verbose_name=_("venue"), on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    poster = CleanImageField(_("poster"), upload_to="posters/", blank=True, validators=[validate_image])
    poster_alt = models.CharField(
        _("poster text alternative"),
        max_length=300,
        blank=True,
        help_text=_("What the poster shows, for people who cannot see it."),
    )
    registration_url = models.URLField(
        _("registration link"), blank=True, help_text=_("Each language may have its own form.")
    )
    registration_deadline = models.DateField(
        _("registration deadline"),
        null=True,
        blank=True,
        help_text=_("Last day on which people can register (inclusive)."),
    )
    interpretation = models.CharField(
        _("interpretation note"),
        max_length=200,
        blank=True,
        help_text=_("Only what the interpretation fields do not say, e.g. “in the plenary sessions only”."),
    )
    # The languages the event is held in, and its interpretation (facts a visitor decides by).
    held_in_de = models.BooleanField(_("in German"), default=False)
    held_in_fr = models.BooleanField(_("in French"), default=False)
    held_in_lb = models.BooleanField(_("in Luxembourgish"), default=False)
    held_in_en = models.BooleanField(_("in English"), default=False)
    held_in_other = models.BooleanField(_("in another language"), default=False)
    interpretation_kind = models.CharField(
        _("interpretation"), max_length=20, choices=Interpretation.choices, default=Interpretation.NONE
    )
    interpretation_from = models.CharField(
        _("interpreted from"), max_length=5, choices=Language.choices[:4], blank=True
    )
    interpretation_to = models.CharField(_("interpreted into"), max_length=5, choices=Language.choices[:4], blank=True)
    sign_language = models.BooleanField(
        _("sign-language interpretation"), default=False, help_text=_("Interpreted into sign language.")
    )
    # Whether it happens as announced, and how one takes part.
    event_status = models.CharField(
        _("event status"),
        max_length=20,
        choices=EventStatus.choices,
        default=EventStatus.SCHEDULED,
        help_text=_(
            "Postponed: the new date is not known yet (the old one stays). Rescheduled: enter the new "
            "date above; the previous one is kept and shown. Cancelling is below, under Publication."
        ),
    )
    previous_start = models.DateTimeField(
        _("previous start"),
        null=True,
        blank=True,
        help_text=_("For a rescheduled event: when it was to start before. Filled in when the start changes."),
    )
    attendance_mode = models.CharField(
        _("attendance"), max_length=20, choices=AttendanceMode.choices, default=AttendanceMode.IN_PERSON
    )
    online_url = models.URLField(_("online link"), blank=True, help_text=_("Where people join from home."))
    online_url_visibility = models.CharField(
        _("online link shown to"),
        max_length=20,
        choices=OnlineUrlVisibility.choices,
        default=OnlineUrlVisibility.REGISTRANTS,
    )
    moderator = models.ForeignKey(
        Person,
        verbose_name=_("moderator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moderated_events",
    )
    contact = models.ForeignKey(
        Person,
        verbose_name=_("contact person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact_for_events",
    )
    host = models.ForeignKey(
        Person,
        verbose_name=_("host"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hosted_events",
    )
    host_letter = models.TextField(_("invitation letter"), blank=True, help_text=_("Markdown."))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    publish_at = models.DateTimeField(
        _("publish at"),
        null=True,
        blank=True,
        help_text=_(
            "With the status “Published”, the event appears on the site at this moment by itself. "
            "Leave empty to publish at once."
        ),
    )
    first_published_at = models.DateTimeField(
        _("first published"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When visitors could first see the event; its addresses answer “gone” if it is unpublished."),
    )
    is_cancelled = models.BooleanField(
        _("cancelled"),
        default=False,
        help_text=_("The event stays on the site, marked as cancelled; calendars that subscribed are told."),
    )
    calendar_uid = models.UUIDField(
        _("calendar identity"),
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text=_("The event's UID in every calendar file; never changes."),
    )
    ical_sequence = models.PositiveIntegerField(
        _("calendar revision"),
        default=0,
        editable=False,
        help_text=_("Counts changes of time, venue, status or cancellation, so calendar apps update their copy."),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-start", "-id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="event_ends_after_start"),
            models.UniqueConstraint(fields=["slug_de"], condition=Q(slug_de__gt=""), name="event_slug_de_unique"),
            models.UniqueConstraint(fields=["slug_fr"], condition=Q(slug_fr__gt=""), name="event_slug_fr_unique"),
        ]
        # The lists: upcoming (by end, with the start for the earliest one), past and by year (by start).
        indexes = [
            # The lists: upcoming events from the earliest not yet ended, and their count, read
            # from the index alone (publish_at, which visibility asks, is in it; PostgreSQL only).
            models.Index(fields=["status", "end", "start"], include=["publish_at"], name="event_status_end_start"),
            models.Index(fields=["status", "start"]),
        ]

    def __str__(self):
        return shown_text(self, "title")  # with French typography when it is French

    def save(self, *args, **kwargs):
        """Count a new calendar revision (iCalendar SEQUENCE) when what a calendar app
        shows changes: time, venue, status or cancellation; not for a corrected typo."""
        update_fields = kwargs.get("update_fields")
        relevant = [
            name
            for name in CALENDAR_RELEVANT_FIELDS
            if update_fields is None or {name, name.removesuffix("_id")} & set(update_fields)
        ]
        if relevant and self.pk is not None and not self._state.adding:
            stored = Event.objects.filter(pk=self.pk).values(*relevant, "ical_sequence").first()
            if stored and any(stored[name] != getattr(self, name) for name in relevant):
                # The larger one: a restored earlier version may carry a smaller number.
                self.ical_sequence = max(stored["ical_sequence"], self.ical_sequence) + 1
                if update_fields is not None:
                    kwargs["update_fields"] = {*update_fields, "ical_sequence"}
        if self.status == self.Status.PUBLISHED and (update_fields is None or "status" in update_fields):
            self.note_publication()
            if update_fields is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "first_published_at"}
        super().save(*args, **kwargs)

    # --- URLs ---------------------------------------------------------------------

    def get_absolute_url(self, language=None):
        return self.page_url("events:detail", language)

    def slug_in(self, language):
        return translated_value(self, "slug", language)

    def get_programme_url(self, language=None):
        """The bilingual programme, for printing."""
        return self.page_url("events:programme", language)

    def page_url(self, url_name, language=None):
        """The address of one of the event's pages (a URL name taking the slug) in ``language``;
        remembered on the instance (a page asks for the same addresses several times)."""
        language = language or translation.get_language() or settings.LANGUAGE_CODE
        slug = self.slug_in(language)
        known = self.__dict__.setdefault("_page_urls", {})
        if (url_name, language, slug) not in known:
            with translation.override(language):
                known[url_name, language, slug] = reverse(url_name, kwargs={"slug": slug})
        return known[url_name, language, slug]

    def get_calendar_url(self, language=None):
        """The address of the event's calendar file (.ics) in ``language``."""
        return self.page_url("events:event_calendar", language)

    # --- Validation ----------------------------------------------------------------

    def fill_empty_slugs(self):
        """Gives each language that has a title but no slug one made from the title, as that
        language spells it (events/slugs.py), unique among the events. A slug already there,
        however spelt, is never changed: published addresses keep working."""
        max_length = Event._meta.get_field("slug_de").max_length
        for code, _name in settings.LANGUAGES:
            title, field = getattr(self, f"title_{code}", None), f"slug_{code}"
            if title and not getattr(self, field, None):

                def taken(slug, field=field):
                    return slug in RESERVED_SLUGS or Event.objects.filter(**{field: slug}).exclude(pk=self.pk).exists()

                slug = slug_from_title(title, code, max_length)
                if slug:
                    setattr(self, field, unique_slug(slug, taken, max_length))

    def clean(self):
        errors = {}
        self.fill_empty_slugs()
        if self.start and self.end and self.end <= self.start:
            errors["end"] = _("The end must be after the start.")
        if not (self.title_de or self.title_fr):
            errors["title_de"] = _("Give the event a title in at least one language.")
        if not (self.slug_de or self.slug_fr):
            errors["slug_de"] = _("Give the event a slug in at least one language.")
        for code, _name in settings.LANGUAGES:
            slug = getattr(self, f"slug_{code}", None)
            if not slug:
                continue
            if slug in RESERVED_SLUGS:
                errors[f"slug_{code}"] = _("“%(slug)s” is reserved for a page of the site.") % {"slug": slug}
            elif Event.objects.filter(**{f"slug_{code}": slug}).exclude(pk=self.pk).exists():
                errors[f"slug_{code}"] = _("Another event already uses this slug in this language.")
        if (
            self.registration_deadline
            and self.start
            and self.registration_deadline > timezone.localtime(self.start).date()
        ):
            errors["registration_deadline"] = _("The registration deadline cannot be after the event starts.")
        if self.publish_at and self.end and self.publish_at >= self.end:
            errors["publish_at"] = _("The event would appear only after it has ended.")
        errors.update(self.facts_errors())
        if errors:
            raise ValidationError(errors)

    def facts_errors(self):
        """What does not hold together in the status, attendance and language fields."""
        errors = {}
        if self.attendance_mode != self.AttendanceMode.IN_PERSON and not self.online_url:
            errors["online_url"] = _("An event people join online needs its online link.")
        if self.event_status == self.EventStatus.MOVED_ONLINE and self.attendance_mode == self.AttendanceMode.IN_PERSON:
            errors["attendance_mode"] = _("An event moved online is attended online: choose “Online”.")
        if self.event_status == self.EventStatus.RESCHEDULED and not self.previous_start:
            errors["previous_start"] = _("A rescheduled event keeps its previous start: enter it.")
        if self.previous_start and self.start and self.previous_start == self.start:
            errors["previous_start"] = _("The previous start is the same as the new one.")
        if self.interpretation_kind != self.Interpretation.NONE:
            if not (self.interpretation_from and self.interpretation_to):
                errors["interpretation_to"] = _("Name the languages interpreted from and into.")
            elif self.interpretation_from == self.interpretation_to:
                errors["interpretation_to"] = _("Interpretation needs two different languages.")
        return errors

    # --- State ----------------------------------------------------------------------

    @property
    def is_published(self):
        """Set to "Published" (perhaps waiting for its "publish at" moment: see is_visible)."""
        return self.status == self.Status.PUBLISHED

    def is_visible(self, now=None):
        """Shown to visitors at ``now``: the same rule as ``Event.objects.published(now)``."""
        return self.is_published and (self.publish_at is None or self.publish_at <= (now or timezone.now()))

    def is_scheduled(self, now=None):
        return self.is_published and not self.is_visible(now)

    def note_publication(self, now=None):
        """Remember when visitors first see the event: now, or its "publish at" moment if later.
        Kept once it has passed, so that unpublishing later answers 410 Gone; moved while the
        event has not been visible yet (a schedule changed before it came)."""
        now = now or timezone.now()
        if self.first_published_at is None or self.first_published_at > now:
            self.first_published_at = max(now, self.publish_at or now)

    def has_ended(self, now=None):
        return self.end < (now or timezone.now())

    @property
    def programme_for_history(self):
        """The slots with their workshops and speaker links (and people), as django-reversion
        follows them into each version of the event (events/history.py): three queries, however
        long the programme."""
        return self.slots.prefetch_related(
            "workshops", models.Prefetch("slotspeaker_set", queryset=SlotSpeaker.objects.select_related("person"))
        )

    @property
    def tzinfo(self):
        """The time zone the event keeps: its venue's, else the site's."""
        return self.venue.tzinfo if self.venue_id else timezone.get_default_timezone()

    def is_in_progress(self, now=None):
        now = now or timezone.now()
        return self.start <= now <= self.end

    def registration_closes_at(self):
        """When registration through the link closes (``registration_link_closes_at``)."""
        return registration_link_closes_at(self.registration_deadline)

    @property
    def languages(self):
        """The codes of the languages the event is held in: ["de", "fr"]."""
        return [code for code in self.Language.values if getattr(self, f"held_in_{code}")]

    def public_status(self, full=False):
        """What visitors are told about the event (``PublicStatus``); ``full`` when the
        registration app says no place is left (events does not know it)."""
        if self.is_cancelled:
            return self.PublicStatus.CANCELLED
        if self.event_status == self.EventStatus.SCHEDULED and full:
            return self.PublicStatus.FULL
        return self.PublicStatus(self.event_status)

    @property
    def online_link_is_public(self):
        return bool(self.online_url) and self.online_url_visibility == self.OnlineUrlVisibility.PUBLIC

    @property
    def is_attended_online(self):
        return self.attendance_mode != self.AttendanceMode.IN_PERSON

    @property
    def place(self):
        """The venue people go to; None for an event held only online (its venue, if one is
        still recorded, is not where anyone goes)."""
        if not self.venue_id or self.attendance_mode == self.AttendanceMode.ONLINE:
            return None
        return self.venue

    def registration_state(self, now=None):
        now = now or timezone.now()
        if not self.registration_url:
            return self.RegistrationState.NONE
        if self.has_ended(now):
            return self.RegistrationState.ENDED
        if self.is_cancelled:
            return self.RegistrationState.CLOSED
        closes = self.registration_closes_at()
        if (closes and now >= closes) or now >= self.start:
            return self.RegistrationState.CLOSED
        return self.RegistrationState.OPEN


# A change to one of these is a new revision of the event in people's calendars.
CALENDAR_RELEVANT_FIELDS = (
    "start",
    "end",
    "venue_id",
    "status",
    "is_cancelled",
    "event_status",
    "attendance_mode",
    "online_url",
)

VENUE_COUNTRY_CODES = {
    Venue.TimeZone.PARIS: "FR",
    Venue.TimeZone.BERLIN: "DE",
    Venue.TimeZone.LUXEMBOURG: "LU",
}

# OpenAgenda's five accessibility flags, on the venue (the step-free one first: the list filters by it).
ACCESSIBILITY_FIELDS = ("access_motor", "access_hearing", "access_visual", "access_psychic", "access_intellectual")

# The texts of an event kept in French and German (registered in translation.py).
TRANSLATED_EVENT_FIELDS = (
    "title",
    "slug",
    "kicker",
    "teaser",
    "description",
    "poster_alt",
    "registration_url",
    "interpretation",
    "host_letter",
)


class ProgrammeSlot(models.Model):
    class Kind(models.TextChoices):
        RECEPTION = "reception", _("Reception")
        OPENING = "opening", _("Opening")
        TALK = "talk", _("Talk")
        DISCUSSION = "discussion", _("Discussion")
        WORKSHOPS = "workshops", _("Workshops")
        MEAL = "meal", _("Meal")
        SYNTHESIS = "synthesis", _("Synthesis")
        ROUND_TABLE = "round_table", _("Round table")
        CLOSING = "closing", _("Closing")
        OTHER = "other", _("Other")

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="slots")
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    speakers = models.ManyToManyField(
        Person, verbose_name=_("speakers"), through="SlotSpeaker", blank=True, related_name="slots"
    )

    class Meta:
        ordering = ["start", "id"]
        verbose_name = _("programme slot")
        verbose_name_plural = _("programme")
        constraints = [
            models.CheckConstraint(condition=Q(end__isnull=True) | Q(end__gt=F("start")), name="slot_ends_after_start")
        ]

    def __str__(self):
        return f"{timezone.localtime(self.start):%H:%M} {shown_text(self, 'title')}"

    def clean(self):
        errors = {}
        if not (self.title_de or self.title_fr):
            errors["title_de"] = _("Give the slot a title in at least one language.")
        if self.start and self.end and self.end <= self.start:
            errors["end"] = _("The end must be after the start.")
        event = getattr(self, "event", None)  # set, though maybe unsaved, in the admin's inline
        if event is not None and self.start and event.start and event.end:
            first_day = timezone.localtime(event.start).date()
            last_day = timezone.localtime(event.end).date()
            if not first_day <= timezone.localtime(self.start).date() <= last_day:
                errors["start"] = _("The slot must take place on the event's days.")
            elif self.end and timezone.localtime(self.end).date() > last_day:
                errors["end"] = _("The slot must take place on the event's days.")
        if errors:
            raise ValidationError(errors)


class SlotSpeaker(models.Model):
    slot = models.ForeignKey(ProgrammeSlot, verbose_name=_("slot"), on_delete=models.CASCADE)
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        constraints = [models.UniqueConstraint(fields=["slot", "person"], name="slot_speaker_once")]

    def __str__(self):
        return str(self.person)


class Workshop(models.Model):
    slot = models.ForeignKey(ProgrammeSlot, verbose_name=_("slot"), on_delete=models.CASCADE, related_name="workshops")
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")

    def __str__(self):
        return shown_text(self, "title")

    def clean(self):
        if not (self.title_de or self.title_fr):
            raise ValidationError({"title_de": _("Give the workshop a title in at least one language.")})


def load_programme(event):
    """What the pages of one event show beyond its own row, in four queries whatever the
    programme's size: ``event.cities.all()`` and ``event.programme`` (slots in order, each with
    ``slot.speaker_links`` and ``slot.workshops.all()``), as lists of events load them."""
    prefetch_related_objects([event], "cities", programme_prefetch())
    return event


def programme_prefetch():
    """The whole programme of an event in three queries, whatever its size: ``event.programme``
    (slots in order), each with ``slot.workshops.all()`` and ``slot.speaker_links`` (with people)."""
    return models.Prefetch(
        "slots",
        queryset=ProgrammeSlot.objects.prefetch_related(
            "workshops",
            models.Prefetch(
                "slotspeaker_set",
                queryset=SlotSpeaker.objects.select_related("person"),
                to_attr="speaker_links",
            ),
        ),
        to_attr="programme",
    )
