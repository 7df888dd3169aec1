"""Is an event complete in both languages? The one place that answers it.

``missing_texts(event)`` lists every text a visitor reads that is written in one language and not
in the other: the event's own fields, every programme slot and workshop, the role and affiliation of
every person it names (speakers, moderator, contact, host), and the venue, category, project group
and cities it uses. Each entry says, in the staff member's language, what is missing and where to
fix it. A text empty in both languages is not missing: it is simply not used.

The events list, the event's change form, the publishing confirmation and the side-by-side
translation page all ask this module. The query count does not grow with the programme: load events
with ``with_texts()`` (one query per kind of related object, for any number of events), or pass the
programme as the change form holds it (``programme=``, ``cities=``) to check unsaved input.
"""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from modeltranslation.translator import translator

from ..dates import clock
from ..language import language_codes
from ..models import TRANSLATED_EVENT_FIELDS, Event, Person, ProgrammeSlot, Workshop, programme_prefetch

PEOPLE_OF_THE_EVENT = ("moderator", "contact", "host")


@dataclass(frozen=True)
class MissingText:
    """One text written in the other language but not in ``language``."""

    language: str  # where it is missing: "de" or "fr"
    label: str  # what is missing, for staff: "Workshop “Bildung” (11:00): title"
    url: str  # where to fix it: the field on the event's change form or on the related object's page
    field_id: str = ""  # the field's HTML id when it is on the event's change form: "id_slots-2-title_fr"
    obj: object = None  # the object holding the text
    field: str = ""  # the translated field: "title"


@dataclass
class ProgrammeEntry:
    """A slot as the completeness check reads it, with the prefix of its form on the event's change
    form ("slots-0"), its workshops (each with its form prefix) and its speakers."""

    slot: ProgrammeSlot
    prefix: str
    workshops: list = field(default_factory=list)  # [(Workshop, prefix)]
    speakers: list = field(default_factory=list)  # [Person]


def with_texts(queryset=None):
    """Events with everything ``missing_texts()`` reads, in a fixed number of queries."""
    queryset = Event.objects.all() if queryset is None else queryset
    return queryset.select_related("category", "project_group", "venue", *PEOPLE_OF_THE_EVENT).prefetch_related(
        "cities", programme_prefetch()
    )


def programme_of(event):
    """The saved programme of ``event`` in programme order, as the change form numbers it."""
    slots = getattr(event, "programme", None)
    if slots is None:
        slots = event.slots.prefetch_related("workshops", "slotspeaker_set__person")
    entries = []
    for index, slot in enumerate(slots):
        links = getattr(slot, "speaker_links", None)
        if links is None:
            links = slot.slotspeaker_set.all()
        prefix = f"slots-{index}"
        entries.append(
            ProgrammeEntry(
                slot=slot,
                prefix=prefix,
                workshops=[(w, f"{prefix}-workshops-{n}") for n, w in enumerate(slot.workshops.all())],
                speakers=[link.person for link in links],
            )
        )
    return entries


def translated_fields(model):
    """The names of the model's fields kept in both languages, in the model's order."""
    names = translator.get_options_for_model(model).fields
    return [field.name for field in model._meta.fields if field.name in names]


def missing_languages(obj, name):
    """The languages in which ``obj.<name>`` is empty while another language has it."""
    values = {code: getattr(obj, f"{name}_{code}", None) or "" for code in language_codes()}
    if not any(value.strip() for value in values.values()):
        return []
    return [code for code, value in values.items() if not value.strip()]


def verbose_name(model, name):
    return str(model._meta.get_field(name).verbose_name)


def missing_texts(event, *, programme=None, cities=None):
    """Every visitor-facing text of ``event`` missing in one language, in the order of the event's
    page: the event, its programme, its people, its venue, category, project group and cities.

    ``programme`` (a list of ``ProgrammeEntry``) and ``cities`` replace the saved ones, to check
    what a form holds before it is saved."""
    check = _Checker(event)
    for name in TRANSLATED_EVENT_FIELDS:
        check.on_event_form(event, name, capfirst(verbose_name(Event, name)), f"id_{name}")

    people = {}
    for entry in programme_of(event) if programme is None else programme:
        slot = entry.slot
        when = clock(timezone.localtime(slot.start)) if slot.start else "–"
        for name in translated_fields(ProgrammeSlot):
            label = _("Programme %(time)s “%(title)s”: %(field)s") % {
                "time": when,
                "title": slot.title,
                "field": verbose_name(ProgrammeSlot, name),
            }
            check.on_event_form(slot, name, label, f"id_{entry.prefix}-{name}")
        for workshop, prefix in entry.workshops:
            for name in translated_fields(Workshop):
                label = _("Workshop “%(title)s” (%(time)s): %(field)s") % {
                    "title": workshop.title,
                    "time": when,
                    "field": verbose_name(Workshop, name),
                }
                check.on_event_form(workshop, name, label, f"id_{prefix}-{name}")
        for person in entry.speakers:
            people.setdefault(person.pk, (person, _("Speaker")))

    for attribute in PEOPLE_OF_THE_EVENT:
        person = getattr(event, attribute)
        if person is not None:
            people.setdefault(person.pk, (person, capfirst(verbose_name(Event, attribute))))
    for person, role in people.values():
        for name in translated_fields(Person):
            label = _("%(role)s %(name)s: %(field)s") % {
                "role": role,
                "name": person.name,
                "field": verbose_name(Person, name),
            }
            check.on_own_page(person, name, label)

    related = [
        (event.venue, _("Venue “%(name)s”: %(field)s")),
        (event.category if event.category_id else None, _("Category “%(name)s”: %(field)s")),
        (event.project_group, _("Project group “%(name)s”: %(field)s")),
    ]
    if cities is None:
        cities = event.cities.all() if event.pk else []
    related += [(city, _("City “%(name)s”: %(field)s")) for city in cities]
    for obj, template in related:
        if obj is None:
            continue
        for name in translated_fields(type(obj)):
            label = template % {"name": obj, "field": verbose_name(type(obj), name)}
            check.on_own_page(obj, name, label)
    return check.missing


def by_language(missing):
    """``{"de": [...], "fr": [...]}``: the missing texts per language, in both languages' order."""
    grouped = {code: [] for code in language_codes()}
    for item in missing:
        grouped[item.language].append(item)
    return grouped


class _Checker:
    """Collects the missing texts with where to fix them."""

    def __init__(self, event):
        self.missing = []
        self.change_url = reverse("admin:events_event_change", args=[event.pk]) if event.pk else ""

    def on_event_form(self, obj, name, label, field_id):
        for code in missing_languages(obj, name):
            self.missing.append(
                MissingText(
                    language=code,
                    label=label,
                    url=f"{self.change_url}#{field_id}_{code}",
                    field_id=f"{field_id}_{code}",
                    obj=obj,
                    field=name,
                )
            )

    def on_own_page(self, obj, name, label):
        for code in missing_languages(obj, name):
            url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
            self.missing.append(
                MissingText(language=code, label=label, url=f"{url}#id_{name}_{code}", obj=obj, field=name)
            )
