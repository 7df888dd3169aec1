"""The programme editor's forms: one row per slot — day (for an event of several days), start,
kind, the title in each language side by side — and, in the row's detail, its end, description,
speakers and workshops, each a compact line of its own.

``ProgrammeFormSet`` is an inline formset of the event's slots; each ``SlotForm`` holds two
formsets of its own (``form.speakers``, ``form.workshops``), validated and saved with it. The
admin renders them on the event's change form (events/admin/programme.py), so that one save
keeps the event and its programme together, with one entry in the history.

Times are typed as staff write them (``ClockTimeField``: ``9h30``, ``9:30 Uhr`` …) and shown as
``09:30``; the day is chosen among the event's days (a one-day event has no day to choose: its
slots follow the event's date; an event of several days moved as a whole — a week later — takes
the rows left on their day along, ``ProgrammeFormSet.moved_by``).
``events.programme.times.place_slot`` makes the slot's moments in the event's time zone and
names a slot outside the event's days or hours, next to its field. The models' own rules apply
as well (``ProgrammeSlot.clean()``, ``Workshop.clean()``, a speaker once per slot). Rows come
back ordered by time after saving (the slots' ordering); forms sent back with errors keep
everything as typed. Deleting a slot, speaker or workshop that another
record protects is an error on its row, not a crash.

No database query per row: the slots come with their workshops and speaker links prefetched
(``ProgrammeFormSet.queryset_for``), the people to choose from are read once per page, and a sent
row's id and a speaker's person are looked up among them (``KnownChoiceField``), not read again.
Few templates per row: the editor's widgets are written by one template each (``compact``).
"""

import copy
import datetime
from collections import Counter
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.db.models import ProtectedError, RestrictedError
from django.forms.models import BaseInlineFormSet, inlineformset_factory
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.text import get_text_list
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..language import language_codes, language_name, native_name, with_language
from ..models import Person, ProgrammeSlot, SlotSpeaker, Workshop
from .completeness import ProgrammeEntry
from .fields import ClockTimeField
from .times import event_bounds, event_days, format_time, place_slot

LANGUAGES = language_codes()


def _texts(name):
    return [f"{name}_{code}" for code in LANGUAGES]


class GrowingTextarea(forms.Textarea):
    """A text box as tall as its text: a title is read in full, however long (CSS
    ``field-sizing: content``; static/js/admin-programme.js where the browser lacks it)."""

    def __init__(self, attrs=None, rows=1):
        super().__init__({"rows": rows, "cols": 30, "class": "programme-text", **(attrs or {})})


WIDGET_TEMPLATES = "admin/events/event/widgets/"


def compact(widget):
    """Have one of the editor's widgets written by one template of its own (its attributes and
    options included), not by three or more included ones: the editor of a long programme holds
    hundreds of inputs and a person select per speaker line. The HTML is Django's."""
    if isinstance(widget, forms.Select) and not widget.allow_multiple_selected:
        # A select of its own (the person select with its "add" link) has a compact template too.
        widget.template_name = getattr(widget, "compact_template_name", f"{WIDGET_TEMPLATES}select.html")
    elif isinstance(widget, forms.Textarea):
        widget.template_name = f"{WIDGET_TEMPLATES}textarea.html"
    elif isinstance(widget, (forms.TextInput, forms.NumberInput, forms.HiddenInput, forms.CheckboxInput)):
        widget.template_name = f"{WIDGET_TEMPLATES}input.html"
    return widget


def one_line(value):
    """A title is one line, whatever was pasted into its box."""
    return " ".join((value or "").split())


@dataclass
class Cell:
    """One field as the editor shows it: its widget described by its errors (and its "missing"
    mark, for a text written in the other language only)."""

    field: forms.BoundField
    language: str = ""
    missing: bool = False

    @property
    def missing_id(self):
        return f"{self.field.auto_id}_missing"

    @property
    def errors_id(self):
        return f"{self.field.auto_id}_errors"

    def widget(self):
        described = [self.missing_id] if self.missing else []
        described += [self.errors_id] if self.field.errors else []
        attrs = {"aria-describedby": " ".join(described)} if described else {}
        if self.field.errors:
            attrs["aria-invalid"] = "true"
        return self.field.as_widget(attrs=attrs)


def text_cells(form, name):
    """The cells of a text in every language, "missing" where the other language has it."""
    values = {code: str(form[f"{name}_{code}"].value() or "").strip() for code in LANGUAGES}
    return [Cell(form[f"{name}_{code}"], code, missing=any(values.values()) and not values[code]) for code in LANGUAGES]


def missing_languages(form, name):
    """Names of the languages in which a text of ``form`` is missing (the other one has it), as
    a sentence says them ("auf Französisch", "en allemand")."""
    return [language_name(cell.language) for cell in text_cells(form, name) if cell.missing]


class RemovalPossible(Exception):
    """Ends a trial removal that nothing refused (see ``protecting``), undoing it."""


def protecting(instance):
    """The records that keep ``instance`` from being deleted (``on_delete=PROTECT`` or
    ``RESTRICT``, also of what its deletion would take along), found the way Django finds them:
    by deleting a copy of it in a savepoint that is always rolled back. Django refuses before it
    deletes anything (``ProtectedError``, ``RestrictedError``); when it does not refuse, the
    trial is undone, and so is every ``on_commit`` callback it registered."""
    trial = copy.copy(instance)  # Django sets a deleted object's pk to None: not the form's one
    try:
        with transaction.atomic(using=router.db_for_write(type(instance))):
            trial.delete()
            raise RemovalPossible
    except RemovalPossible:
        return []
    except ProtectedError as error:
        return list(error.protected_objects)
    except RestrictedError as error:
        return list(error.restricted_objects)


def protected_error(instance):
    """The error for deleting ``instance`` while other records protect it, or ``None``."""
    if instance.pk is None:
        return None
    protected = protecting(instance)
    if not protected:
        return None
    counts = Counter(_("%(kind)s “%(name)s”") % {"kind": obj._meta.verbose_name, "name": obj} for obj in protected)
    objects = [name if count == 1 else f"{name} (× {count})" for name, count in sorted(counts.items())]
    return ValidationError(
        _("“%(object)s” cannot be removed while these refer to it: %(protected)s."),
        code="deleting_protected",
        params={"object": str(instance), "protected": get_text_list(objects, _("and"))},
    )


def marked_for_removal(formset, form):
    """Whether ``form`` is ticked for removal: its formset's "DELETE" box, once the form is cleaned."""
    return formset.can_delete and bool((getattr(form, "cleaned_data", None) or {}).get("DELETE"))


def check_removals(formset):
    """Name, on its row and above the list, every object marked for removal that another record
    protects (a workshop a registrant chose); raises the formset's error."""
    problems = []
    for form in formset.forms:
        if not (formset.can_delete and getattr(form, "cleaned_data", None) is not None):
            continue
        if marked_for_removal(formset, form):
            error = protected_error(form.instance)
            if error:
                form.add_error(None, error)
                problems.append(error)
    if problems:
        raise ValidationError(problems)


class KnownChoiceField(forms.ModelChoiceField):
    """A choice of an object the page has read already (the rows of a formset, the people to
    choose from): the submitted id is looked up among them, not in one query per field."""

    def __init__(self, *args, objects=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.objects = objects if objects is not None else {}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return self.objects[str(value)]
        except KeyError:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            ) from None


def check_named_once(formset):
    """Name, on its line, a person chosen twice for one slot (the form's ``once_per_slot``)."""
    name = getattr(formset.form, "once_per_slot", None)
    seen = set()
    for form in formset.forms if name else ():
        value = (getattr(form, "cleaned_data", None) or {}).get(name)
        if value is None or marked_for_removal(formset, form):
            continue
        if value.pk in seen:
            form.add_error(
                name,
                ValidationError(
                    _("%(name)s is already a speaker of this slot."), code="named_twice", params={"name": value}
                ),
            )
        seen.add(value.pk)


class EditorFormSet(BaseInlineFormSet):
    """What the editor's formsets (slots, and each slot's speakers and workshops) share: a row's
    hidden id is checked against the rows read with the formset (Django would read each one again)."""

    @cached_property
    def rows_by_pk(self):
        return {str(obj.pk): obj for obj in self.get_queryset()}

    def add_fields(self, form, index):
        super().add_fields(form, index)
        name = self.model._meta.pk.name
        field = form.fields[name]
        form.fields[name] = KnownChoiceField(
            queryset=field.queryset, objects=self.rows_by_pk, initial=field.initial, required=False, widget=field.widget
        )
        for field in form.fields.values():
            compact(field.widget)

    @cached_property
    def management_form(self):
        form = super().management_form
        for field in form.fields.values():
            compact(field.widget)
        return form

    def kept_forms(self):
        """The forms of a valid formset that will be saved: filled in, not marked for removal."""
        return [
            form
            for form in self.forms
            if form.cleaned_data
            and not marked_for_removal(self, form)
            and (form.instance.pk is not None or form.has_changed())
        ]


class LineFormSet(EditorFormSet):
    """A slot's speakers or workshops. The lines come prefetched with the slot (``items``), so
    that showing a programme costs no query per slot; ``order`` numbers the lines."""

    def __init__(self, *args, items=None, **kwargs):
        self._items = items
        super().__init__(*args, **kwargs)

    def get_queryset(self):
        if self._items is None or self.instance.pk is None:
            return super().get_queryset()
        return self._items

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if index is None:
            return kwargs  # the empty form, the script's model of a new line (numbered by the script)
        kwargs["number"] = index + 1
        if index >= self.initial_form_count():
            kwargs["initial"] = {**kwargs.get("initial", {}), "order": index}  # a new line goes last
        return kwargs

    def clean(self):
        check_removals(self)
        super().clean()
        check_named_once(self)

    @property
    def can_add(self):
        return self.form.can_add


class CellsMixin:
    @cached_property
    def cells(self):
        """Every field as a ``Cell``, by name (for the template)."""
        return {name: Cell(self[name]) for name in self.fields}


class LineForm(CellsMixin, forms.ModelForm):
    """A line under a slot. A new line is left out while only its place was touched (the
    script numbers the lines it adds). ``can_add`` and ``can_change`` follow the staff member's
    permissions on speakers or workshops (see ``line_formset``), as Django's inlines do."""

    can_add = True
    can_change = True

    def __init__(self, *args, number=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.number = number  # the line's place, from 1 (None for the empty form)
        if self.instance.pk is not None and not self.can_change:
            for field in self.fields.values():
                field.disabled = True  # shown, not editable

    def has_changed(self):
        if self.instance.pk is None:
            return self.can_add and any(name != "order" for name in self.changed_data)
        return self.can_change and super().has_changed()

    @property
    def is_blank(self):
        """A new line nothing was typed into (the script replaces these with "Add" buttons)."""
        return self.instance.pk is None and not (self.is_bound and self.has_changed())


class SpeakerForm(LineForm):
    """A speaker of the slot: a person already known (people are shared by every event, and
    edited on their own page), and their place among the slot's speakers.

    The person is chosen among the people read once for the whole page (``People``) and put on
    the speaker link by ``clean()``; it is not one of the form's model fields, so that the model's
    check of the link does not read the person again (the formset checks a person named twice)."""

    person = KnownChoiceField(queryset=Person.objects.none(), label=_("Person"))
    once_per_slot = "person"

    class Meta:
        model = SlotSpeaker
        fields = ["order"]
        widgets = {"order": forms.NumberInput(attrs={"min": 0, "class": "programme-order"})}

    def __init__(self, *args, people=None, person_widget=None, **kwargs):
        super().__init__(*args, **kwargs)
        people = people or People.read()
        field = self.fields["person"]
        if self.instance.person_id is not None:
            self.initial.setdefault("person", self.instance.person_id)
        field.objects = people.objects
        field.choices = people.chosen(self["person"].value()) if people.searched else people.choices
        if person_widget is not None:
            field.widget = person_widget(field.widget)
        self.fields["order"].label = _("Order")
        self.order_fields(["person", "order"])

    def clean(self):
        data = super().clean()
        if data.get("person") is not None:
            self.instance.person = data["person"]
        return data

    @property
    def person_note(self):
        """Who the person is (role, affiliation), for a speaker already saved and not changed."""
        person = self.instance.person if self.instance.person_id else None
        if person is None or str(self["person"].value()) != str(person.pk):
            return ""
        return person.description


class WorkshopForm(LineForm):
    class Meta:
        model = Workshop
        fields = [*_texts("title"), *_texts("description"), "order"]
        widgets = {
            **{name: GrowingTextarea() for name in _texts("title")},
            **{name: GrowingTextarea(rows=2) for name in _texts("description")},
            "order": forms.NumberInput(attrs={"min": 0, "class": "programme-order"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in (*_texts("title"), *_texts("description")):
            language = name.rsplit("_", 1)[1]
            self.fields[name].required = False  # a title in one language is enough (clean())
            self.fields[name].label = format_label(self.fields[name].label, language)
            self.fields[name].widget.attrs["lang"] = language
        self.fields["order"].label = _("Order")

    def clean(self):
        data = super().clean()
        for name in _texts("title"):
            if name in data:
                data[name] = one_line(data[name])
        return data

    def title_cells(self):
        return text_cells(self, "title")

    def description_cells(self):
        return text_cells(self, "description")

    @property
    def has_description(self):
        return any(str(self[name].value() or "").strip() for name in _texts("description"))

    @property
    def details_open(self):
        return self.has_description or any(self[name].errors for name in _texts("description"))

    @property
    def description_marker(self):
        return description_marker(self)


def format_label(label, language):
    """ "Titel (Deutsch)", "Titre (allemand)": a field's label with the language it is in, named
    as everywhere in the admin (``events.language.with_language``)."""
    base = str(label).rsplit(" [", 1)[0]  # modeltranslation's "title [de]"
    return with_language(base, language)


def description_marker(form):
    """What the row's detail says about the description: missing in a language, written in both,
    or nothing (``None``) when there is none."""
    missing = missing_languages(form, "description")
    if missing:
        return {"state": "missing", "text": _("Description missing in %(language)s") % {"language": missing[0]}}
    if any(str(form[name].value() or "").strip() for name in _texts("description")):
        return {"state": "filled", "text": _("Description in both languages")}
    return None


def line_formset(model, form, *, can_add=True, can_change=True, can_delete=True):
    """The formset of a slot's speakers or workshops for what the staff member may do: a blank
    line to add one only with ``can_add``, "Remove" boxes only with ``can_delete``."""
    form = type(form.__name__, (form,), {"can_add": can_add, "can_change": can_change})
    return inlineformset_factory(
        ProgrammeSlot, model, form=form, formset=LineFormSet, extra=1 if can_add else 0, can_delete=can_delete
    )


SpeakerFormSet = line_formset(SlotSpeaker, SpeakerForm)
WorkshopFormSet = line_formset(Workshop, WorkshopForm)


class SlotForm(CellsMixin, forms.ModelForm):
    """One slot of the programme: its row (day, start, kind, the titles) and its detail (end,
    description, speakers, workshops). ``editor`` is the ``ProgrammeFormSet`` it belongs to."""

    start = ClockTimeField(label=_("Start"))
    end = ClockTimeField(label=_("End"), required=False)

    class Meta:
        model = ProgrammeSlot
        fields = ["kind", *_texts("title"), *_texts("description")]
        widgets = {
            **{name: GrowingTextarea() for name in _texts("title")},
            **{name: GrowingTextarea(rows=2) for name in _texts("description")},
        }

    def __init__(self, *args, editor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.editor = editor
        self.tz = editor.tz if editor else timezone.get_default_timezone()
        self.stored = (self.instance.start, self.instance.end)
        for name in (*_texts("title"), *_texts("description")):
            language = name.rsplit("_", 1)[1]
            self.fields[name].required = False  # a title in one language is enough (clean())
            self.fields[name].label = format_label(self.fields[name].label, language)
            self.fields[name].widget.attrs["lang"] = language
        self.fields["kind"].label = _("Kind")
        self.read_only = bool(self.instance.pk and editor and not editor.can_change)
        if self.instance.start:
            local_start = timezone.localtime(self.instance.start, self.tz)
            self.initial.setdefault("start", local_start.time())
            if self.instance.end:
                self.initial.setdefault("end", timezone.localtime(self.instance.end, self.tz).time())
        days = editor.days if editor else []
        stored_day = timezone.localtime(self.instance.start, self.tz).date() if self.instance.start else None
        self.stored_day = stored_day
        # Rows sent without a day were shown when the event had one day: no day to ask of them
        # in this save (``place``).
        asked = not (self.is_bound and self.add_prefix("day") not in self.data)
        if len(days) > 1 and asked:
            choices = [(day.isoformat(), day_label(day)) for day in days]
            if stored_day and stored_day not in days:
                choices.append((stored_day.isoformat(), _("%(day)s (not a day of the event)") % {"day": stored_day}))
            self.fields["day"] = forms.TypedChoiceField(
                label=_("Day"), choices=choices, coerce=datetime.date.fromisoformat
            )
            self.initial.setdefault("day", (stored_day or editor.default_day).isoformat())
            self.order_fields(["day", "start", "kind"])
        else:
            self.order_fields(["start", "kind"])
        if self.read_only:
            for field in self.fields.values():
                field.disabled = True  # shown, not editable
        nested = {"data": self.data if self.is_bound else None, "files": self.files if self.is_bound else None}
        links = workshops = None
        if self.instance.pk:
            links, workshops = list(self.instance.slotspeaker_set.all()), list(self.instance.workshops.all())
        people_kwargs = {"people": editor.people, "person_widget": editor.person_widget} if editor else {}
        self.speakers = (editor.speaker_formset if editor else SpeakerFormSet)(
            instance=self.instance,
            prefix=f"{self.prefix}-speakers",
            items=links,
            form_kwargs=people_kwargs,
            **nested,
        )
        self.workshops = (editor.workshop_formset if editor else WorkshopFormSet)(
            instance=self.instance, prefix=f"{self.prefix}-workshops", items=workshops, **nested
        )
        self.nested = (self.speakers, self.workshops)

    # --- Validation -----------------------------------------------------------------------

    def clean(self):
        data = super().clean()
        for name in _texts("title"):
            if name in data:
                data[name] = one_line(data[name])
        self.place(data)
        if not all(formset.is_valid() for formset in self.nested):
            raise ValidationError(_("Check the speakers and workshops of this slot."), code="lines")
        return data

    def place(self, data):
        """Make the slot's start and end in the event's time zone from its day and times."""
        start, end = data.get("start"), data.get("end")
        event = self.editor.instance if self.editor else None
        if start is None or event is None or not (event.start and event.end):
            return  # the time's own error, or the event's dates are wrong: said there
        days = self.editor.days
        if "day" in self.fields:
            day = data.get("day")
            if day is None:
                return
            if day == self.stored_day and self.editor.moved_by:
                # A row left on its day follows the event moved as a whole, as on a one-day event.
                day += datetime.timedelta(days=self.editor.moved_by)
        elif len(days) > 1 and self.stored_day:
            # A row of an event of one day until now, which now has several: it stays on its day
            # (moved with the event), or goes to the first day if that is no longer the event's.
            day = self.stored_day + datetime.timedelta(days=self.editor.moved_by)
            day = day if day in days else days[0]
        elif days:
            day = days[0]
        else:
            return
        event_start, event_end = event_bounds(event.start, event.end)
        placed = place_slot(day, start, end, event_start=event_start, event_end=event_end, tz=self.tz)
        for error in placed.errors:
            self.add_error(error.field if error.field in self.fields else "start", error.validation_error())
        if placed.is_valid:
            self.instance.start, self.instance.end = placed.start, placed.end

    def has_changed(self):
        if super().has_changed() or any(formset.has_changed() for formset in self.nested):
            return True
        # A one-day event moved to another date takes its programme along.
        placed = (self.instance.start, self.instance.end)
        return bool(self.instance.pk and getattr(self, "cleaned_data", None) and placed != self.stored)

    def save_lines(self):
        """Save the slot's speakers and workshops (the formset calls it after saving the slot)."""
        for formset in self.nested:
            formset.instance = self.instance
            formset.save()

    # --- What the editor shows --------------------------------------------------------------

    def title_cells(self):
        return text_cells(self, "title")

    def description_cells(self):
        return text_cells(self, "description")

    @property
    def number(self):
        """The row's number, counted from 1 ("" for the template of a new row)."""
        index = self.prefix.rsplit("-", 1)[-1]
        return int(index) + 1 if index.isdigit() else ""

    @property
    def is_new(self):
        return self.instance.pk is None

    @property
    def errors_in_detail(self):
        detail = ("end", *_texts("description"))
        return any(self[name].errors for name in detail) or any(
            formset.non_form_errors() or any(form.errors for form in formset.forms) for formset in self.nested
        )

    def line_count(self, formset):
        """The lines a formset holds now: saved or filled in, not marked for removal."""
        count = 0
        for form in formset.forms:
            removed = form.is_bound and form["DELETE"].value()
            if removed:
                continue
            if form.instance.pk is not None or (form.is_bound and form.has_changed()):
                count += 1
        return count

    @cached_property
    def markers(self):
        """What the closed detail says about what it holds, in words (not colour alone)."""
        markers = []
        end = self["end"].value()
        if end and not self["end"].errors:
            end_text = format_time(end) if isinstance(end, datetime.time) else end
            markers.append({"state": "filled", "text": _("ends %(time)s") % {"time": end_text}})
        description = description_marker(self)
        if description:
            markers.append(description)
        speakers = self.line_count(self.speakers)
        if speakers:
            text = ngettext("%(count)d speaker", "%(count)d speakers", speakers) % {"count": speakers}
            markers.append({"state": "filled", "text": text})
        workshops = self.line_count(self.workshops)
        if workshops:
            text = ngettext("%(count)d workshop", "%(count)d workshops", workshops) % {"count": workshops}
            markers.append({"state": "filled", "text": text})
            untranslated = {
                language
                for form in self.workshops.forms
                if not (form.is_bound and form["DELETE"].value())
                for name in ("title", "description")
                for language in missing_languages(form, name)
            }
            for language in sorted(untranslated):
                text = _("workshop texts missing in %(language)s") % {"language": language}
                markers.append({"state": "missing", "text": text})
        if self.errors_in_detail:
            markers.append({"state": "error", "text": _("errors")})
        return markers

    @property
    def details_open(self):
        """Open when it holds something to read (people, workshops, a description) or an error."""
        return bool(
            self.errors_in_detail
            or self.line_count(self.speakers)
            or self.line_count(self.workshops)
            or any(str(self[name].value() or "").strip() for name in _texts("description"))
        )


@dataclass
class People:
    """The people to choose a speaker from, read once per page: the select's choices (by name,
    with what they do where two share a name), and the people by id. ``searched``: the select
    searches people as you type (the admin's), and a chosen person's holds that person alone."""

    choices: list
    objects: dict
    searched: bool = False

    @classmethod
    def read(cls, searched=False):
        people = list(Person.objects.all())
        names = Counter(person.name for person in people)
        choices = [("", "---------")]
        for person in people:
            label = person.name
            if names[person.name] > 1 and person.description:
                label = f"{person.name} ({person.description})"
            choices.append((person.pk, label))
        return cls(choices, {str(person.pk): person for person in people}, searched)

    def chosen(self, value):
        """The choices of a select that searches: the empty one and the person ``value`` names
        (the search finds any other). A line with no one chosen yet offers everyone, so that
        the editor's blank line adds a speaker without JavaScript too."""
        person = self.objects.get(str(value)) if value not in (None, "") else None
        if person is None:
            return self.choices
        return self.choices[:1] + [(person.pk, self.labels[person.pk])]

    @cached_property
    def labels(self):
        return dict(self.choices[1:])


def day_label(day):
    """ "Mittwoch, 22.11.2017" / "mercredi, 22/11/2017": a day to choose among the event's."""
    return f"{date_format(day, 'l')}, {date_format(day, 'SHORT_DATE_FORMAT')}"


class ProgrammeFormSet(EditorFormSet):
    """The event's slots. Set by the admin on the class it makes per request: ``person_widget``
    wraps the person select (with the admin's "add another person" link); ``can_change`` (saved
    slots are shown, not editable, without it), ``speaker_formset`` and ``workshop_formset``
    follow the staff member's permissions (``line_formset``)."""

    person_widget = None
    people_searched = False
    can_change = True
    speaker_formset = SpeakerFormSet
    workshop_formset = WorkshopFormSet

    @classmethod
    def queryset_for(cls, queryset):
        """The slots with what their rows show, in three queries for any programme."""
        return queryset.prefetch_related(
            "workshops", models.Prefetch("slotspeaker_set", queryset=SlotSpeaker.objects.select_related("person"))
        )

    @property
    def tz(self):
        return self.instance.tzinfo

    @cached_property
    def days(self):
        """The event's days in its time zone (none while its dates are not known)."""
        event = self.instance
        if not (event.start and event.end) or event.end < event.start:
            return []
        return event_days(event.start, event.end, self.tz)

    @cached_property
    def moved_by(self):
        """By how many days this form moves the whole event: its first and its last day by the
        same number (a week later, say), else 0 — an event made longer or shorter keeps its rows
        on their days. Rows left on their day follow it (``SlotForm.place``). One query, asked
        only when a saved row of an event of several days is placed."""
        event = self.instance
        if not (event.pk and self.days):
            return 0
        stored = type(event).objects.filter(pk=event.pk).values_list("start", "end").first()
        if not (stored and all(stored)) or stored[1] < stored[0]:
            return 0
        before = event_days(*stored, self.tz)
        shift = self.days[0] - before[0]
        return shift.days if self.days[-1] - before[-1] == shift else 0

    @property
    def has_days(self):
        return len(self.days) > 1

    @cached_property
    def default_day(self):
        """A new slot's day: the day of the last slot, else the event's first."""
        stored = [slot.start for slot in self.get_queryset() if slot.start]
        if stored:
            return timezone.localtime(max(stored), self.tz).date()
        return self.days[0] if self.days else timezone.localdate()

    @cached_property
    def people(self):
        return People.read(searched=self.people_searched)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "editor": self}

    @cached_property
    def line_templates(self):
        """Empty speaker and workshop lines, for the script's "Add" buttons; ``slots-__slot__``
        stands for the slot's prefix."""
        slot = ProgrammeSlot(event=self.instance)
        speakers = self.speaker_formset(
            instance=slot,
            prefix=f"{self.prefix}-__slot__-speakers",
            form_kwargs={"people": self.people, "person_widget": self.person_widget},
        )
        workshops = self.workshop_formset(instance=slot, prefix=f"{self.prefix}-__slot__-workshops")
        return {"speaker": speakers.empty_form, "workshop": workshops.empty_form}

    def clean(self):
        check_removals(self)
        super().clean()

    def save_new(self, form, commit=True):
        slot = super().save_new(form, commit)
        if commit:
            form.save_lines()
        return slot

    def save_existing(self, form, obj, commit=True):
        slot = super().save_existing(form, obj, commit)
        if commit:
            form.save_lines()
        return slot

    def entries(self):
        """The programme as the form holds it (not yet saved), for the completeness check:
        slots not removed, with their workshops and speakers, in time order."""
        entries = [
            ProgrammeEntry(
                slot=form.instance,
                prefix=form.prefix,
                workshops=[(line.instance, line.prefix) for line in form.workshops.kept_forms()],
                speakers=[line.cleaned_data["person"] for line in form.speakers.kept_forms()],
            )
            for form in self.kept_forms()
        ]
        far = timezone.now().replace(year=9999)
        return sorted(entries, key=lambda entry: entry.slot.start or far)

    def languages(self):
        return [(code, native_name(code)) for code in LANGUAGES]
