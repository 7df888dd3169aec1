"""The history of events, their programme, people and venues (django-reversion): which models it
records, and what changed between two versions, readable by staff.

The history itself (who saved what, when, restoring) is django-reversion's: every save in the admin
is a revision, and an event's revision holds its whole programme (models.py registers the event
to follow its slots, and slots their speaker links and workshops). This module only reads it:
``history_of(model, pk)`` gives each version of one object with the differences to the version
before it — its own fields, both languages side by side as separate lines, and, for an event, the
programme items added, changed or removed, and the people, venues … edited in the same revision.
"""

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from modeltranslation.translator import NotRegistered, translator
from reversion import is_registered, register
from reversion.errors import RevertError
from reversion.models import Version


def register_models():
    """Every save in the admin (and on the translation page) is a revision: who, when, what. An
    event's revision holds its whole programme (it follows its slots, which follow their speaker
    links and workshops), so restoring a version, or recovering a deleted event, brings the
    programme back as it was. People, venues and the reference data have their own history.

    Called when the app is ready and before the admin registers its screens (the admin would
    otherwise register the models itself, following only the first level of inlines) — in both
    cases after modeltranslation has added the per-language fields, which reversion then stores
    (registered earlier, it would keep only the untranslated columns)."""
    from .models import Category, City, Event, Person, ProgrammeSlot, ProjectGroup, SlotSpeaker, Venue, Workshop

    follows = {Event: ("slots",), ProgrammeSlot: ("slotspeaker_set", "workshops")}
    for model in (Event, ProgrammeSlot, SlotSpeaker, Workshop, Person, Venue, City, Category, ProjectGroup):
        if not is_registered(model):
            register(model, follow=follows.get(model, ()))


# Bookkeeping the secretariat does not edit: not shown as changes.
BOOKKEEPING = {"id", "created", "updated", "ical_sequence", "first_published_at", "original"}
# Texts longer than this are compared word by word.
LONG_TEXT = 60


@dataclass
class FieldChange:
    label: str
    before: str
    after: str
    # For long texts: [("equal" | "delete" | "insert", text)], shown with <del>/<ins>.
    segments: list = field(default_factory=list)


@dataclass
class ObjectChange:
    label: str  # "" for the object whose history it is
    action: str  # "added", "changed" or "removed"
    fields: list = field(default_factory=list)


@dataclass
class HistoryEntry:
    version: Version
    changes: list  # of ObjectChange; empty when nothing visible changed (or the first version)
    is_first: bool = False

    @property
    def revision(self):
        return self.version.revision


def history_of(model, object_id):
    """Every version of one object, latest first, each with what changed since the one before."""
    versions = list(
        Version.objects.get_for_object_reference(model, object_id)
        .select_related("revision", "revision__user", "content_type")
        .order_by("pk")
    )
    if not versions:
        return []
    own = {version.pk for version in versions}
    by_revision = defaultdict(list)
    others = (
        Version.objects.filter(revision__in={version.revision_id for version in versions})
        .exclude(pk__in=own)
        .select_related("content_type")
        .order_by("pk")
    )
    for other in others:
        by_revision[other.revision_id].append(other)
    values = _ValueFormatter()
    entries, previous = [], None
    for version in versions:
        changes = []
        if previous is not None:
            fields = _field_changes(model, _fields(previous), _fields(version), values)
            if fields:
                changes.append(ObjectChange(label="", action="changed", fields=fields))
            changes += _related_changes(by_revision[previous.revision_id], by_revision[version.revision_id], values)
        entries.append(HistoryEntry(version=version, changes=changes, is_first=previous is None))
        previous = version
    return entries[::-1]


def _fields(version):
    try:
        return version.field_dict
    except (RevertError, FieldDoesNotExist, ValueError, TypeError):  # saved by an older model
        return {}


def _key(version):
    return (version.content_type_id, version.object_id)


def _label(version):
    model = version.content_type.model_class()
    name = capfirst(model._meta.verbose_name) if model else version.content_type.model
    return _("%(model)s “%(name)s”") % {"model": name, "name": version.object_repr}


# The programme belongs to the event: items missing from a later revision were removed.
def _is_programme(version):
    return version.content_type.model in {"programmeslot", "workshop", "slotspeaker"}


def _related_changes(before_versions, after_versions, values):
    before = {_key(v): v for v in before_versions if _is_programme(v)}
    changes = []
    for version in after_versions:
        model = version.content_type.model_class()
        if model is None:
            continue
        if _is_programme(version):
            old = before.pop(_key(version), None)
            if old is None:
                fields = _field_changes(model, {}, _fields(version), values)
                changes.append(ObjectChange(label=_label(version), action="added", fields=fields))
                continue
            old_fields = _fields(old)
        else:
            # A person, venue … edited together with the event: compared with its own version before.
            old = (
                Version.objects.get_for_object_reference(model, version.object_id)
                .filter(pk__lt=version.pk)
                .order_by("-pk")
                .first()
            )
            old_fields = _fields(old) if old else {}
        fields = _field_changes(model, old_fields, _fields(version), values)
        if fields:
            changes.append(ObjectChange(label=_label(version), action="changed", fields=fields))
    changes += [ObjectChange(label=_label(v), action="removed") for v in before.values()]
    return changes


def _translated_originals(model):
    try:
        return set(translator.get_options_for_model(model).fields)
    except NotRegistered:
        return set()


def _field_label(field):
    original = getattr(field, "translated_field", None)
    if original is None:
        return capfirst(field.verbose_name)
    language = dict(settings.LANGUAGES).get(field.language, field.language)
    return f"{capfirst(original.verbose_name)} ({language})"


def _field_changes(model, before, after, values):
    """The fields that differ, in the model's order; both languages of a text as two lines."""
    originals = _translated_originals(model)
    changes = []
    for model_field in [*model._meta.concrete_fields, *model._meta.many_to_many]:
        name = model_field.attname
        if model_field.name in BOOKKEEPING or model_field.name in originals:
            continue
        if name not in before and name not in after:
            continue
        old, new = before.get(name), after.get(name)
        if _same(old, new):
            continue
        old_text, new_text = values.text(model_field, old), values.text(model_field, new)
        change = FieldChange(label=_field_label(model_field), before=old_text, after=new_text)
        if max(len(old_text), len(new_text)) > LONG_TEXT or "\n" in old_text + new_text:
            change.segments = word_diff(old_text, new_text)
        changes.append(change)
    return changes


def _same(old, new):
    empty = (None, "", [])
    if old in empty and new in empty:
        return True
    if isinstance(old, list) and isinstance(new, list):
        return sorted(map(str, old)) == sorted(map(str, new))
    return old == new


def word_diff(before, after):
    """``[(op, text)]``: the words kept, deleted and inserted from ``before`` to ``after``."""
    old, new = re.split(r"(\s+)", before), re.split(r"(\s+)", after)
    segments = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op == "equal":
            segments.append(("equal", "".join(old[i1:i2])))
            continue
        if op in ("delete", "replace"):
            segments.append(("delete", "".join(old[i1:i2])))
        if op in ("insert", "replace"):
            segments.append(("insert", "".join(new[j1:j2])))
    return segments


class _ValueFormatter:
    """A stored value as staff read it: choices by their label, dates as the language writes
    them, related objects by name (looked up once each)."""

    def __init__(self):
        self.names = {}

    def text(self, model_field, value):
        if value in (None, ""):
            return ""
        if isinstance(model_field, models.ManyToManyField):
            return ", ".join(self.name(model_field.related_model, pk) for pk in value)
        if isinstance(model_field, models.ForeignKey):
            return self.name(model_field.related_model, value)
        if model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if isinstance(model_field, models.DateTimeField) and hasattr(value, "hour"):
            return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
        if isinstance(model_field, models.DateField) and hasattr(value, "year"):
            return date_format(value, "SHORT_DATE_FORMAT")
        return str(value)

    def name(self, model, pk):
        key = (model, str(pk))
        if key not in self.names:
            obj = model._default_manager.filter(pk=pk).first()
            self.names[key] = str(obj) if obj is not None else _("(deleted, #%(pk)s)") % {"pk": pk}
        return self.names[key]
