"""Forms for translating an event: every text of the event and its programme in German and French,
side by side, saved together.

Translation work only: texts, never times, order or which slots exist (the programme itself has
one editor, on the event's change form). The forms are ordinary ModelForms of the texts of one
object each (``TextsForm``), so the models' own validation applies (``Event.clean()``: a title and
a slug in at least one language, slugs unique; ``ProgrammeSlot.clean()``, ``Workshop.clean()``;
the languages each model requires, as in the admin). ``EventTexts`` gathers them in programme order
for the side-by-side page (events/admin/translation.py) and for any other screen that needs them.
"""

from dataclasses import dataclass, field

from django import forms
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import translator

from .dates import clock
from .language import labelled, language_codes, native_name, shown_text
from .models import Event
from .programme import editor_forms
from .programme.completeness import (
    PEOPLE_OF_THE_EVENT,
    by_language,
    missing_texts,
    programme_of,
    translated_fields,
    with_texts,
)

# Models whose texts other events share: changing them here changes them everywhere.
SHARED_MODELS = {"person", "venue", "category", "city", "projectgroup"}


class TextsForm(forms.ModelForm):
    """The translated texts of one object, every language. Each field says its language (``lang``,
    so browsers check the spelling in the right one); each text knows whether it is missing."""

    def __init__(self, *args, editable=True, **kwargs):
        super().__init__(*args, **kwargs)
        required = translator.get_options_for_model(self._meta.model).required_languages
        for name, form_field in self.fields.items():
            original, code = name.rsplit("_", 1)
            # required_languages: the languages every text needs, or {language: [texts]}.
            form_field.required = original in required.get(code, ()) if isinstance(required, dict) else code in required
            form_field.widget.attrs["lang"] = code
            if isinstance(form_field.widget, forms.Textarea):
                form_field.widget.attrs["rows"] = 3
            form_field.disabled = not editable
        self.editable = editable

    def rows(self):
        """One row per text: its name and its field in each language, with "missing" marks."""
        rows = []
        for name in self.text_names():
            cells = []
            values = {code: str(self[f"{name}_{code}"].value() or "").strip() for code in language_codes()}
            for code in language_codes():
                bound = self[f"{name}_{code}"]
                missing = self.is_missing(name, code, values)
                cells.append(Cell(language=code, language_name=native_name(code), field=bound, missing=missing))
            label = self._meta.model._meta.get_field(name).verbose_name
            rows.append(Row(name=name, label=label, cells=cells))
        return rows

    def text_names(self):
        """The texts shown, in the model's order (the names without their language)."""
        return [name for name in translated_fields(self._meta.model) if f"{name}_{language_codes()[0]}" in self.fields]

    def is_missing(self, name, code, values):
        """Whether the text ``name`` is missing in ``code``, its ``values`` by language as typed:
        by default, when another language has it."""
        return not values[code] and any(value for other, value in values.items() if other != code)

    @property
    def missing_count(self):
        return sum(cell.missing for row in self.rows() for cell in row.cells)


@dataclass
class Cell(editor_forms.Cell):
    """One language of one text: its field, and whether it is missing (the other language has it),
    shown as the programme editor shows its fields, with the language's name."""

    language_name: str = ""


@dataclass
class Row:
    name: str
    label: str
    cells: list


def texts_form_class(model, form=TextsForm, exclude=()):
    """A ``TextsForm`` (or subclass ``form``) for ``model``: its translated fields but ``exclude``, each language."""
    names = [name for name in translated_fields(model) if name not in exclude]
    fields = [f"{name}_{code}" for name in names for code in language_codes()]
    return forms.modelform_factory(model, form=form, fields=fields, formfield_callback=formfield)


def formfield(db_field, **kwargs):
    # Addresses typed without a scheme ("www.example.org") are taken as https, as in the admin.
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


@dataclass
class Block:
    """One object's texts on the page: a heading, its form, and how deep it sits in the programme."""

    heading: str
    form: TextsForm
    level: int = 0  # 0: the event, a slot, a venue …; 1: a workshop or a speaker under its slot
    shared: bool = False
    note: str = ""  # shown under the heading (where else a shared text appears)


@dataclass
class Section:
    heading: str
    blocks: list = field(default_factory=list)


class Texts:
    """The texts of one object (and of the objects whose texts go with it) as ``TextsForm``s in
    sections, for the side-by-side translation page (events/admin/translation.py), saved together.

    A subclass fills ``sections`` with ``block()`` and says what the page tells the translator.
    ``can_edit(model)`` tells whether the staff member may change that model's objects; the others
    are shown, not editable."""

    # What the page says (a subclass's): its first sentence, what is on it; the button that saves
    # and returns to the object's form; the link back to it.
    intro = return_label = back_label = ""

    def __init__(self, obj, data=None, *, can_edit=lambda model: True):
        self.object = obj
        self.data = data
        self.can_edit = can_edit
        self.sections = []
        self._forms = []

    def block(self, obj, heading, level=0, note="", form=TextsForm, exclude=()):
        """The texts of ``obj`` under ``heading``: a ``Block`` with its form, kept for saving."""
        model = type(obj)
        texts_form = texts_form_class(model, form, exclude)(
            self.data, instance=obj, prefix=f"{model._meta.model_name}-{obj.pk}", editable=self.can_edit(model)
        )
        self._forms.append(texts_form)
        return Block(heading=heading, form=texts_form, level=level, shared=bool(note), note=note)

    @property
    def forms(self):
        return list(self._forms)

    def is_valid(self):
        results = [form.is_valid() for form in self._forms]  # every form, to show every error
        return all(results)

    @property
    def errors_count(self):
        return sum(bool(form.errors) for form in self._forms)

    def missing(self):
        """``{language: count}`` of texts missing in each language, as the forms hold them."""
        counts = dict.fromkeys(language_codes(), 0)
        for form in self._forms:
            for row in form.rows():
                for cell in row.cells:
                    counts[cell.language] += cell.missing
        return counts

    def missing_counts(self):
        """``{language: count}`` of the texts missing, as the page's summary counts them."""
        return self.missing()

    def changed_forms(self):
        return [form for form in self._forms if form.editable and form.has_changed()]

    @transaction.atomic
    def save(self):
        """Saves the texts that changed; returns the changed forms."""
        changed = self.changed_forms()
        for form in changed:
            form.save()
        return changed


class EventTexts(Texts):
    """Every translatable text of ``event`` as forms, in the order of the event's page: the event,
    then the programme slot by slot (each with its workshops and the people speaking), then the
    event's other people, its venue, category, project group and cities."""

    intro = _(
        "Every text of the event and its programme, German and French side by side. Texts written in one "
        "language only are marked “missing”. Save once when you are done; the programme’s slots and times are "
        "changed on the event’s form."
    )
    return_label = _("Save and return to the event")
    back_label = _("Back to the event without saving")

    def __init__(self, event, data=None, *, can_edit=lambda model: True):
        super().__init__(event, data, can_edit=can_edit)
        self.event = event
        shared_note = _("Shared: a change here applies to every event that names it.")

        def block(obj, heading, level=0):
            note = shared_note if type(obj)._meta.model_name in SHARED_MODELS else ""
            return self.block(obj, heading, level, note)

        self.sections.append(Section(_("Event"), [block(event, str(event))]))

        seen_people = set()
        programme = Section(_("Programme"))
        for entry in programme_of(event):
            slot = entry.slot
            programme.blocks.append(
                block(slot, f"{clock(timezone.localtime(slot.start))} · {shown_text(slot, 'title')}")
            )
            for workshop, _prefix in entry.workshops:
                heading = _("Workshop: %(title)s") % {"title": workshop}
                programme.blocks.append(block(workshop, heading, level=1))
            for person in entry.speakers:
                if person.pk in seen_people:
                    continue
                seen_people.add(person.pk)
                programme.blocks.append(block(person, _("Speaker: %(name)s") % {"name": person.name}, level=1))
        if programme.blocks:
            self.sections.append(programme)

        people = Section(_("People"))
        for attribute in PEOPLE_OF_THE_EVENT:
            person = getattr(event, attribute)
            if person is None or person.pk in seen_people:
                continue
            seen_people.add(person.pk)
            label = Event._meta.get_field(attribute).verbose_name
            people.blocks.append(block(person, labelled(str(label).capitalize(), person.name)))
        if people.blocks:
            self.sections.append(people)

        place = Section(_("Venue, category and cities"))
        related = [
            (event.venue, Event._meta.get_field("venue").verbose_name),
            (event.category, Event._meta.get_field("category").verbose_name),
            (event.project_group, Event._meta.get_field("project_group").verbose_name),
            *((city, _("city")) for city in event.cities.all()),
        ]
        for obj, label in related:
            if obj is not None:
                place.blocks.append(block(obj, labelled(str(label).capitalize(), obj)))
        if place.blocks:
            self.sections.append(place)

    @classmethod
    def load(cls, pk):
        """The event with everything the page shows, in a fixed number of queries."""
        return with_texts().get(pk=pk)

    def missing_counts(self):
        """What the event still lacks in each language, as its change form and the list count it."""
        return {code: len(items) for code, items in by_language(missing_texts(self.event)).items()}

    @transaction.atomic
    def save(self):
        """Saves the texts that changed; returns the changed forms. The event's "updated" moment
        moves when any of its texts did (calendars and the sitemap tell when it was last revised)."""
        changed = super().save()
        if changed and not any(form.instance is self.event for form in changed):
            self.event.save(update_fields=["updated"])
        return changed
