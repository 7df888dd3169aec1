"""A pasted programme placed in an event: what would be saved, what stands in the way, and saving
it once staff confirm.

``events.programme.paste`` reads the pasted text (pure: text in, proposal and named problems out).
This module takes the proposal to an event, and is what the admin's paste page shows
(events/admin/paste.py, with the forms of events/programme/paste_forms.py):

- each slot's day and times within the event (``events.programme.times.place_slot``): the first day the
  paste names is the event's first day, and so on; a slot outside the event's days or hours
  is a blocking error next to it;
- each speaker matched to the people already known by name (``name_key``: accents, case and
  courtesy titles aside), or proposed as a new person with role and affiliation in each
  language; staff may choose another of the matches, or a new person;
- each slot, workshop and new person checked as the models check them (a title too long …);
- a slot the programme already has (same time and title) is pointed out, and so is a slot of the
  workshops kind (as staff chose it) that lists none.

Nothing touches the database until ``ProgrammeImport.save()``, which adds the slots (or replaces
the programme) in one transaction; the caller records it in the history.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..language import field_label, language_codes, language_name, native_name
from ..models import Person, ProgrammeSlot, SlotSpeaker, Workshop
from .paste import missing_workshops, name_key
from .paste.proposal import other_language
from .times import event_bounds, event_days, format_time, place_slot

NEW_PERSON = "new"


# --- The plan -----------------------------------------------------------------------------------


@dataclass
class PlannedSpeaker:
    """A person named in the paste: the people already known by that name, and the choice made
    (an existing person's id as text, or ``NEW_PERSON``)."""

    proposed: object  # ProposedSpeaker
    matches: list
    field_name: str
    choice: str = NEW_PERSON

    @property
    def person(self):
        return next((person for person in self.matches if str(person.pk) == self.choice), None)

    @property
    def is_new(self):
        return self.person is None

    def texts(self):
        """Role and affiliation as the paste gives them, per language: [(code, name, text)]."""
        rows = []
        for code in language_codes():
            parts = [getattr(self.proposed, f"role_{code}", ""), getattr(self.proposed, f"affiliation_{code}", "")]
            rows.append((code, native_name(code), ", ".join(part for part in parts if part)))
        return rows

    def differs(self):
        """Where the known person's role or affiliation is not what the paste says: that page keeps its own."""
        person = self.person
        if person is None:
            return []
        return [
            (native_name(code), getattr(person, f"{name}_{code}") or "", getattr(self.proposed, f"{name}_{code}"))
            for code in language_codes()
            for name in ("role", "affiliation")
            if getattr(self.proposed, f"{name}_{code}")
            and getattr(self.proposed, f"{name}_{code}") != getattr(person, f"{name}_{code}")
        ]


@dataclass
class PlannedSlot:
    proposed: object  # ProposedSlot
    field_name: str  # of its kind
    kind: str
    day: datetime.date | None = None
    start: datetime.datetime | None = None
    end: datetime.datetime | None = None
    speakers: list = field(default_factory=list)
    problems: list = field(default_factory=list)  # the parser's Problems for this slot
    errors: list = field(default_factory=list)  # blocking, in words
    notes: list = field(default_factory=list)  # worth a look, in words

    @property
    def number(self):
        return self.proposed.number

    @property
    def is_blocked(self):
        return bool(self.errors) or any(problem.blocking for problem in self.problems)

    def time_text(self):
        start, end = self.proposed.start, self.proposed.end
        if start is None:
            return "–"
        return format_time(start) + (f"–{format_time(end)}" if end else "")

    def titles(self):
        """[(code, the language's name for a sentence, title)]"""
        return [(code, language_name(code), self.proposed.title(code)) for code in language_codes()]

    def descriptions(self):
        texts = [(code, native_name(code), getattr(self.proposed, f"description_{code}")) for code in language_codes()]
        return texts if any(text for _code, _name, text in texts) else []

    def workshops(self):
        return [
            [(code, native_name(code), workshop.title(code)) for code in language_codes()]
            for workshop in self.proposed.workshops
        ]


class ProgrammeImport:
    """The proposal of a paste placed in ``event``. ``can_add_people``: whether the staff member
    may create people (new speakers need it)."""

    def __init__(self, event, proposal, *, can_add_people=True, two_pastes=False):
        self.event = event
        self.proposal = proposal
        self.can_add_people = can_add_people
        self.two_pastes = two_pastes  # the lines of problems then count in each language's paste
        self.tz = event.tzinfo
        self.days = event_days(event.start, event.end, self.tz)
        self.existing = list(event.slots.all()) if event.pk else []
        self.slots = self._plan()

    # --- Planning ---------------------------------------------------------------------------

    def _plan(self):
        keys = {speaker.key for slot in self.proposal.slots for speaker in slot.speakers}
        known = {}
        for person in Person.objects.order_by("name", "id"):
            key = name_key(person.name)
            if key in keys:
                known.setdefault(key, []).append(person)
        planned = []
        for slot in self.proposal.slots:
            plan = PlannedSlot(
                proposed=slot,
                field_name=f"kind-{slot.number}",
                kind=slot.kind,
            )
            for index, speaker in enumerate(slot.speakers, start=1):
                matches = known.get(speaker.key, [])
                plan.speakers.append(
                    PlannedSpeaker(
                        proposed=speaker,
                        matches=matches,
                        field_name=f"person-{slot.number}-{index}",
                        choice=str(matches[0].pk) if matches else NEW_PERSON,
                    )
                )
            planned.append(plan)
        self._check(planned)
        return planned

    def choose(self, kinds, people):
        """Apply staff's choices: ``kinds`` {slot number: kind}, ``people`` {field name: choice}."""
        for plan in self.slots:
            plan.kind = kinds.get(plan.number, plan.kind)
            for speaker in plan.speakers:
                speaker.choice = people.get(speaker.field_name, speaker.choice)
        self._check(self.slots)

    def _check(self, planned):
        for plan in planned:
            plan.errors, plan.notes = [], []
            # A slot without workshops is pointed out when its kind, as staff chose it, is "workshops".
            problems = self.proposal.problems_for(plan.proposed)
            problems = [problem for problem in problems if problem.code != "no_workshops"]
            plan.problems = problems + missing_workshops(plan.proposed, plan.kind)
            self._place(plan)
            self._validate(plan)
            self._compare(plan)

    def _place(self, plan):
        slot = plan.proposed
        plan.day = plan.start = plan.end = None
        if slot.day >= len(self.days):
            plan.errors.append(
                ngettext(
                    "The paste names a day %(number)d, but the event lasts %(count)d day.",
                    "The paste names a day %(number)d, but the event lasts %(count)d days.",
                    len(self.days),
                )
                % {"number": slot.day + 1, "count": len(self.days)}
            )
            return
        plan.day = self.days[slot.day]
        if slot.start is None:
            return  # the parser's blocking problem says why
        event_start, event_end = event_bounds(self.event.start, self.event.end)
        placed = place_slot(plan.day, slot.start, slot.end, event_start=event_start, event_end=event_end, tz=self.tz)
        plan.errors += [error.message for error in placed.errors]
        if placed.is_valid:
            plan.start, plan.end = placed.start, placed.end

    def _validate(self, plan):
        """The models' own checks, on unsaved objects."""
        if plan.start is None:
            return
        slot = self.build_slot(plan)
        objects = [(slot, ["event"])]
        objects += [(workshop, ["slot"]) for workshop in self.build_workshops(plan, slot)]
        objects += [(self.build_person(speaker.proposed), []) for speaker in plan.speakers if speaker.is_new]
        for obj, exclude in objects:
            try:
                obj.full_clean(exclude=exclude, validate_unique=False)
            except ValidationError as error:
                plan.errors += describe(obj, error)
        seen = Counter(speaker.person.pk for speaker in plan.speakers if speaker.person)
        for speaker in plan.speakers:
            if speaker.person and seen[speaker.person.pk] > 1:
                plan.errors.append(
                    _("%(name)s is named twice in this slot: choose another person or a new one.")
                    % {"name": speaker.person.name}
                )
                seen[speaker.person.pk] = 0

    def _compare(self, plan):
        if plan.start is None:
            return
        titles = {plan.proposed.title(code) for code in language_codes()} - {""}
        for slot in self.existing:
            if slot.start == plan.start and titles & {getattr(slot, f"title_{code}") for code in language_codes()}:
                plan.notes.append(
                    _("The programme already has this slot (%(time)s “%(title)s”): adding it would list it twice.")
                    % {"time": format_time(timezone.localtime(slot.start, self.tz)), "title": slot.title}
                )

    # --- What it comes to -------------------------------------------------------------------

    def build_slot(self, plan):
        slot = ProgrammeSlot(event=self.event, start=plan.start, end=plan.end, kind=plan.kind)
        for code in language_codes():
            setattr(slot, f"title_{code}", plan.proposed.title(code))
            setattr(slot, f"description_{code}", getattr(plan.proposed, f"description_{code}"))
        return slot

    def build_workshops(self, plan, slot):
        workshops = []
        for order, proposed in enumerate(plan.proposed.workshops):
            workshop = Workshop(slot=slot, order=order)
            for code in language_codes():
                setattr(workshop, f"title_{code}", proposed.title(code))
            workshops.append(workshop)
        return workshops

    @staticmethod
    def build_person(proposed):
        person = Person(name=proposed.name)
        for code in language_codes():
            for name in ("role", "affiliation"):
                setattr(person, f"{name}_{code}", getattr(proposed, f"{name}_{code}", ""))
        return person

    @property
    def new_people(self):
        """The people to create, once each however often the paste names them."""
        people = {}
        for plan in self.slots:
            for speaker in plan.speakers:
                if speaker.is_new:
                    people.setdefault(speaker.proposed.key, speaker.proposed)
        return list(people.values())

    @property
    def general_problems(self):
        return self.proposal.general_problems

    @property
    def errors(self):
        """Blocking reasons that concern the whole paste, in words."""
        errors = []
        if self.new_people and not self.can_add_people:
            errors.append(
                _("You may not add people: choose people already known for every speaker, or ask a colleague.")
            )
        return errors

    @property
    def is_blocked(self):
        return (
            not self.slots
            or self.proposal.is_blocked
            or bool(self.errors)
            or any(plan.is_blocked for plan in self.slots)
        )

    @property
    def can_confirm(self):
        return not self.is_blocked

    @property
    def is_one_language(self):
        return len(self.proposal.languages) == 1

    @property
    def missing_language(self):
        """The language still to paste, for a one-language paste."""
        return other_language(self.proposal.languages[0]) if self.is_one_language else None

    def counts(self):
        return {
            "slots": len(self.slots),
            "workshops": sum(len(plan.proposed.workshops) for plan in self.slots),
            "speakers": sum(len(plan.speakers) for plan in self.slots),
            "new_people": len(self.new_people),
        }

    # --- Saving ---------------------------------------------------------------------------

    @transaction.atomic
    def save(self, *, replace=False):
        """Add the slots to the event (after removing its programme, with ``replace``); returns
        the new slots. Saved through the ORM, one object at a time, so that the page cache and
        the history see every change."""
        if self.is_blocked:
            raise ValueError("A blocked proposal cannot be saved.")
        if replace:
            for slot in self.event.slots.all():
                slot.delete()
        created_people = {}
        slots = []
        for plan in self.slots:
            slot = self.build_slot(plan)
            slot.save()
            for workshop in self.build_workshops(plan, slot):
                workshop.save()
            for order, speaker in enumerate(plan.speakers):
                person = speaker.person
                if person is None:
                    person = created_people.get(speaker.proposed.key)
                    if person is None:
                        person = self.build_person(speaker.proposed)
                        person.save()
                        created_people[speaker.proposed.key] = person
                SlotSpeaker.objects.create(slot=slot, person=person, order=order)
            slots.append(slot)
        self.event.save(update_fields=["updated"])
        return slots


def describe(obj, error):
    """A model's validation errors as sentences naming the field: "Title (Deutsch): …"."""
    lines = []
    for name, messages in error.message_dict.items():
        try:
            label = field_label(obj._meta.get_field(name))
        except FieldDoesNotExist:  # the object's own errors (NON_FIELD_ERRORS)
            label = capfirst(obj._meta.verbose_name)
        lines += [f"{label}: {message}" for message in messages]
    return lines
