"""Puts the events' demo content (``content``, posters by ``poster``) in the database; the
project's ``manage.py load_demo`` (quattropole_site/management/commands/load_demo.py) runs it,
then the demo parts of the apps built on events.

Idempotent: every row is found by its natural key (city and category code, project group and
venue name, person name, event slug_de) and updated, and a demo event's programme is replaced,
so running it again leaves the same rows. Posters are drawn once and kept.
"""

import datetime
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation

from ..models import (
    Category,
    City,
    Event,
    Person,
    ProgrammeSlot,
    ProjectGroup,
    SlotSpeaker,
    Venue,
    Workshop,
)
from . import content
from .poster import draw_poster


def upsert(model, lookup, values):
    """update_or_create that validates (full_clean) before saving."""
    obj = model.objects.filter(**lookup).first() or model(**lookup)
    for name, value in values.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    return obj


# The facts of an event (status, attendance, languages) as a new event has them.
FACTS_DEFAULTS = {
    **{f"held_in_{code}": False for code in Event.Language.values},
    "interpretation_kind": Event.Interpretation.NONE,
    "interpretation_from": "",
    "interpretation_to": "",
    "sign_language": False,
    "event_status": Event.EventStatus.SCHEDULED,
    "previous_start": None,
    "attendance_mode": Event.AttendanceMode.IN_PERSON,
    "online_url": "",
    "online_url_visibility": Event.OnlineUrlVisibility.REGISTRANTS,
}


class DemoLoader:
    """``DemoLoader().load()`` loads the demo and returns its events; ``summary(events)`` says
    what was loaded. ``redraw_posters``: draw the posters even if they exist; ``no_posters``: leave
    the posters as they are (faster, e.g. in tests). ``load_reference_data()`` alone loads the
    cities, categories, project groups, venues and people (``make_sample_events`` builds on them)."""

    def __init__(self, *, redraw_posters=False, no_posters=False):
        self.redraw_posters = redraw_posters
        self.no_posters = no_posters
        self.posters_drawn = 0

    def load(self):
        with translation.override("de"), transaction.atomic():
            self.load_reference_data()
            today = timezone.localdate()
            events = [self.load_event(content.CONFERENCE_2017, content.CONFERENCE_2017["date"])]
            for data in content.SAMPLE_EVENTS:
                events.append(self.load_event(data, today + datetime.timedelta(days=data["days_ahead"])))
        return events

    def summary(self, events):
        """What was loaded, in a line, then one line per event."""
        lines = [
            f"Demo content loaded: {len(self.cities)} cities, {len(self.categories)} categories, "
            f"{len(self.venues)} venues, {len(self.people)} people, {len(events)} events "
            f"({ProgrammeSlot.objects.filter(event__in=events).count()} programme slots, "
            f"{Workshop.objects.filter(slot__event__in=events).count()} workshops); "
            + (
                "posters left as they were."
                if self.no_posters
                else f"{self.posters_drawn} poster(s) drawn, {len(events) - self.posters_drawn} kept."
            )
        ]
        lines += [f"  {event.start:%Y-%m-%d}  {event.title_de}  /  {event.title_fr}" for event in events]
        return lines

    def load_reference_data(self):
        self.cities = {
            code: upsert(City, {"code": code}, {"name_fr": name_fr, "name_de": name_de, "order": order})
            for code, name_fr, name_de, order in content.CITIES
        }
        self.categories = {
            code: upsert(Category, {"code": code}, {"name_fr": name_fr, "name_de": name_de})
            for code, name_fr, name_de in content.CATEGORIES
        }
        self.groups = {
            key: upsert(ProjectGroup, {"name_de": name_de}, {"name_fr": name_fr})
            for key, (name_fr, name_de) in content.PROJECT_GROUPS.items()
        }
        self.venues = {
            key: upsert(Venue, {"name_de": fields["name_de"], "locality_de": fields["locality_de"]}, fields)
            for key, fields in content.VENUES.items()
        }
        defaults = {"role_fr": "", "role_de": "", "affiliation_fr": "", "affiliation_de": "", "email": "", "phone": ""}
        self.people = {
            name: upsert(Person, {"name": name}, {**defaults, **fields}) for name, fields in content.PEOPLE.items()
        }

    def load_event(self, data, day):
        venue = self.venues[data["venue"]]
        tz = ZoneInfo(venue.time_zone)

        def at(hour_minute):
            return datetime.datetime.combine(day, datetime.time(*hour_minute), tzinfo=tz)

        deadline = data.get("registration_deadline")
        if "registration_days_before" in data:
            deadline = day - datetime.timedelta(days=data["registration_days_before"])
        fields = {
            f"{name}_{lang}": data.get(f"{name}_{lang}", "")
            for name in (
                "title",
                "kicker",
                "teaser",
                "description",
                "registration_url",
                "interpretation",
                "host_letter",
            )
            for lang in ("fr", "de")
        }
        fields.update(
            slug_fr=data["slug_fr"],
            poster_alt_fr=data["poster"]["alt_fr"],
            poster_alt_de=data["poster"]["alt_de"],
            category=self.categories[data["category"]],
            project_group=self.groups.get(data.get("project_group")),
            venue=venue,
            start=at(data["start"]),
            end=at(data["end"]),
            registration_deadline=deadline,
            moderator=self.people.get(data.get("moderator")),
            contact=self.people.get(data.get("contact")),
            host=self.people.get(data.get("host")),
            status=Event.Status.PUBLISHED,
        )
        # Status, attendance, languages: what the data says, the rest as for any new event.
        fields.update(FACTS_DEFAULTS, **data.get("facts", {}))
        if "previous_days_ahead" in data:
            previous_day = timezone.localdate() + datetime.timedelta(days=data["previous_days_ahead"])
            fields["previous_start"] = datetime.datetime.combine(previous_day, datetime.time(*data["start"]), tzinfo=tz)
        event = upsert(Event, {"slug_de": data["slug_de"]}, fields)
        event.cities.set([self.cities[code] for code in data["cities"]])
        self.replace_programme(event, data["programme"], at)
        if not self.no_posters:
            self.ensure_poster(event, data["poster"])
        return event

    def replace_programme(self, event, programme, at):
        """Makes the event's programme the given one, slot by slot and workshop by workshop in
        order, updating the rows in place: rows that others refer to (a workshop chosen by a
        registrant) keep their identity, so the command can run again at any time."""
        slots = list(event.slots.order_by("start", "id"))
        for index, item in enumerate(programme):
            slot = slots[index] if index < len(slots) else ProgrammeSlot(event=event)
            slot.start, slot.end, slot.kind = at(item["time"]), None, item["kind"]
            slot.title_fr, slot.title_de = item["title_fr"], item["title_de"]
            slot.description_fr = slot.description_de = ""
            slot.full_clean()
            slot.save()
            slot.slotspeaker_set.all().delete()
            for order, name in enumerate(item["speakers"], start=1):
                SlotSpeaker.objects.create(slot=slot, person=self.people[name], order=order)
            workshops = list(slot.workshops.order_by("order", "id"))
            for order, (title_fr, title_de) in enumerate(item["workshops"], start=1):
                workshop = workshops[order - 1] if order <= len(workshops) else Workshop(slot=slot)
                workshop.title_fr, workshop.title_de, workshop.order = title_fr, title_de, order
                workshop.description_fr = workshop.description_de = ""
                workshop.full_clean()
                workshop.save()
            for workshop in workshops[len(item["workshops"]) :]:
                workshop.delete()
        for slot in slots[len(programme) :]:
            slot.delete()

    def ensure_poster(self, event, poster):
        """Draws the poster unless the event already has this file; never leaves a second copy."""
        name = event.poster.field.generate_filename(event, poster["filename"])
        storage = event.poster.storage
        if not self.redraw_posters and storage.exists(name):
            if event.poster.name != name:
                event.poster.name = name
                event.save(update_fields=["poster"])
            return
        if storage.exists(name):
            storage.delete(name)
        image = draw_poster(
            title_fr=event.title_fr,
            title_de=event.title_de,
            cities=poster["cities"],
            date_line=poster["date_line"],
            place_line=poster["place_line"],
        )
        event.poster.save(poster["filename"], ContentFile(image), save=False)
        event.save(update_fields=["poster"])
        self.posters_drawn += 1
