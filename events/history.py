"""The history of events, their programme, people and venues (django-reversion): what is recorded
at each save, and how it reads, in the reader's language.

The history itself (who saved what, when, restoring) is django-reversion's: every save in the admin
is a revision, and an event's revision holds its whole programme (``register_models``). What changed
is recorded *as data* when the save happens, from the database as it was just before it and as it
is just after (``Recorder``): for each object, the fields that differ with their old and new values,
and which programme items were added or removed. It is stored in the revision's comment as JSON,
in the shape of Django's own admin change messages (``LogEntry.get_change_message()`` reads it), with
the details under a ``"history"`` entry. Nothing is written as a sentence: ``history_of()`` writes
the summary, the labels, the names and the values when the history is shown, in the language of the
staff member reading it — a save made in the German admin reads in French in the French admin.

Comments written before this (plain sentences, in the language of whoever saved) are shown as they
are, with the differences between that version and the one before it, as they were shown then.
"""

import datetime
import difflib
import json
import re
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.text import capfirst, get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from modeltranslation.translator import NotRegistered, translator
from reversion import is_registered, register, unregister
from reversion.errors import RevertError
from reversion.models import Version

from .language import field_label, language_codes
from .models import (
    Category,
    City,
    Event,
    Person,
    ProgrammeSlot,
    ProjectGroup,
    SlotSpeaker,
    Venue,
    Workshop,
    programme_prefetch,
)
from .typography import french_typography


def register_models():
    """Every save in the admin (and on the translation page) is a revision: who, when, what. An
    event's revision holds its whole programme (it follows its slots, which follow their speaker
    links and workshops, read in three queries however long the programme), so restoring a
    version, or recovering a deleted event, brings the programme back as it was. People, venues
    and the reference data have their own history.

    Called when the app is ready and before the admin registers its screens (the admin would
    otherwise register the models itself, following only the first level of inlines) — in both
    cases after modeltranslation has added the per-language fields, which reversion then stores
    (registered earlier, it would keep only the untranslated columns)."""
    follows = {Event: event_follows(), ProgrammeSlot: ("slotspeaker_set", "workshops")}
    for model in (Event, ProgrammeSlot, SlotSpeaker, Workshop, Person, Venue, City, Category, ProjectGroup):
        if not is_registered(model):
            register(model, follow=follows.get(model, ()))


# What an event's versions hold besides its programme: the related names of the models that apps
# above events attach to an event (``also_follow``).
_EVENT_FOLLOWS = []


def event_follows():
    return ("programme_for_history", *_EVENT_FOLLOWS)


def also_follow(model):
    """Makes an event's versions hold its ``model`` objects too (a model of an app above events
    with a foreign key to Event that has a ``related_name``, e.g. its materials), so that
    restoring a version, or recovering a deleted event, brings them back as they were. Called
    from that app's ``ready()``."""
    link = next(f for f in model._meta.get_fields() if f.many_to_one and f.related_model is Event)
    name = link.remote_field.related_name  # the model names it (``related_name="materials"``)
    if name not in _EVENT_FOLLOWS:
        _EVENT_FOLLOWS.append(name)
    # Recorded as a part of the event, like a slot: what changed in it shows in the event's history.
    PARENT_LINKS[model._meta.model_name] = link.name
    PROGRAMME.add(model._meta.model_name)
    if is_registered(Event):
        unregister(Event)
        register(Event, follow=event_follows())
    if not is_registered(model):
        register(model)


# Bookkeeping the secretariat does not edit: not shown as changes.
BOOKKEEPING = {"id", "created", "updated", "ical_sequence", "first_published_at", "original"}
# The link of a programme item to the slot or event it belongs to: where it is, not what changed.
PARENT_LINKS = {"programmeslot": "event", "workshop": "slot", "slotspeaker": "slot"}
PROGRAMME = set(PARENT_LINKS)
# Texts longer than this are compared word by word.
LONG_TEXT = 60
# The key of the recorded details in a revision's comment, and their format.
RECORD = "history"
RECORD_VERSION = 1


# --- What a save changed, recorded when it happens ---------------------------------------------------


@dataclass
class ObjectState:
    """One object as the database holds it: its recorded fields (JSON values), its name in each
    language, and for a programme item the slot it belongs to."""

    model: type
    pk: str
    values: dict
    names: dict
    event: str = ""  # the pk of the event a programme item belongs to
    slot: str = ""  # the pk of the slot of a workshop or speaker
    slot_names: dict = field(default_factory=dict)

    @property
    def key(self):
        return (self.model._meta.label_lower, self.pk)


class Recorder:
    """What one save changes, for the history: ``before(obj)`` reads the objects' state before
    the save, ``after(obj)`` after it and returns the change message of that object (for its
    ``LogEntry``); ``comment()`` is the revision's comment with all of it. An event comes with its
    whole programme. ``action`` says what kind of save it was ("changed", "pasted", "restored",
    "recovered", "translated", "deleted"), ``params`` what the summary needs (a count, a date)."""

    def __init__(self, action="changed", **params):
        self.action = action
        self.params = params
        self.states = {}  # key -> ObjectState before the save (absent: it did not exist)
        self.read = set()  # the objects whose state before is known (keys of the main objects)
        self.objects = []  # the recorded changes, as JSON
        self.done = False  # whether anything was recorded (``after``)

    def before(self, *objects):
        """Read the state of ``objects`` (with their programme) as the database holds it now,
        unless it is known already (a restore reads it before reverting)."""
        todo = [obj for obj in objects if obj.pk is not None and object_key(obj) not in self.read]
        self.read.update(object_key(obj) for obj in todo)
        for state in snapshot(todo):
            self.states.setdefault(state.key, state)

    def did_not_exist(self, model, pk):
        """The object ``model`` ``pk`` was not in the database before this save (it is being
        recovered after its deletion, and reversion has put it back already)."""
        self.read.add((model._meta.label_lower, str(pk)))

    def after(self, *objects):
        """Compare ``objects`` (with their programme) as saved with their state before; returns
        Django's change message for them (a list, with the details as its last entry)."""
        main = {object_key(obj) for obj in objects}
        before = {}
        for obj in objects:
            before.update(self._states_of(obj))
        recorded = compare(before, {state.key: state for state in snapshot(objects)}, main)
        self.objects += recorded
        self.done = True
        return change_message(recorded, self.action, self.params)

    def _states_of(self, obj):
        key = object_key(obj)
        return {k: state for k, state in self.states.items() if k == key or (state.event and state.event == key[1])}

    def comment(self):
        """The revision's comment: everything recorded, as JSON."""
        return json.dumps(change_message(self.objects, self.action, self.params), ensure_ascii=False)


def object_key(obj):
    return (obj._meta.label_lower, str(obj.pk))


def snapshot(objects):
    """The ``ObjectState`` of each object as the database holds it, an event with its programme
    (slots in time order, each followed by its workshops and speakers): one query per kind of
    object, however long the programme."""
    by_model = defaultdict(list)
    for obj in objects:
        by_model[obj._meta.concrete_model].append(obj.pk)
    states = []
    for model, pks in by_model.items():
        queryset = model._default_manager.filter(pk__in=pks)
        many = [f.name for f in model._meta.many_to_many if f.remote_field.through._meta.auto_created]
        if many:
            queryset = queryset.prefetch_related(*many)
        if model is Event:
            queryset = queryset.prefetch_related(programme_prefetch(), *_EVENT_FOLLOWS)
        for obj in queryset.order_by("pk"):
            states.append(_state(obj))
            event = str(obj.pk)
            for slot in getattr(obj, "programme", ()):
                states.append(_state(slot, event=event))
                slot_names = _names(slot)
                lines = [*slot.workshops.all(), *slot.speaker_links]
                states += [_state(line, event=event, slot=str(slot.pk), slot_names=slot_names) for line in lines]
            if model is Event:
                # What apps above events attach to it (``also_follow``), in their own order.
                states += [_state(part, event=event) for name in _EVENT_FOLLOWS for part in getattr(obj, name).all()]
    return states


def _state(obj, **kwargs):
    values = {}
    for model_field in recorded_fields(type(obj)):
        if model_field.many_to_many:
            values[model_field.name] = sorted(str(related.pk) for related in getattr(obj, model_field.name).all())
        else:
            values[model_field.attname] = _json(model_field.value_from_object(obj))
    return ObjectState(model=type(obj), pk=str(obj.pk), values=values, names=_names(obj), **kwargs)


def _names(obj):
    """``str(obj)`` in each language (titles are translated)."""
    names = {}
    for code in language_codes():
        with translation.override(code):
            names[code] = str(obj)
    return names


def _json(value):
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (Decimal, uuid.UUID)):
        return str(value)
    return value


def recorded_fields(model):
    """The fields staff edit, in the model's order: per-language texts as such (not the column
    modeltranslation keeps for the active language), no bookkeeping, no link to the parent."""
    originals = _translated_originals(model)
    parent = PARENT_LINKS.get(model._meta.model_name)
    fields = []
    for model_field in model._meta.concrete_fields:
        name = model_field.name
        if name in BOOKKEEPING or name in originals or name == parent or not model_field.editable:
            continue
        fields.append(model_field)
    fields += [f for f in model._meta.many_to_many if f.remote_field.through._meta.auto_created]
    return fields


def _translated_originals(model):
    try:
        return set(translator.get_options_for_model(model).fields)
    except NotRegistered:
        return set()


def compare(before, after, main):
    """The recorded changes from ``before`` to ``after`` ({key: ObjectState}): the main objects
    first, then the programme in its order; an item removed with its slot is not named apart."""
    recorded = []
    for key, state in after.items():
        old = before.get(key)
        if old is None:
            values = [[name, None, value] for name, value in state.values.items() if not _empty(value)]
            recorded.append(_object_record(state, "added", [] if key in main else values, key in main))
            continue
        values = [
            [name, old.values.get(name), value]
            for name, value in state.values.items()
            if not _same(old.values.get(name), value)
        ]
        if values:
            recorded.append(_object_record(state, "changed", values, key in main))
    removed_slots = {state.pk for key, state in before.items() if key not in after and key[0].endswith("programmeslot")}
    for key, state in before.items():
        if key not in after and state.slot not in removed_slots:
            recorded.append(_object_record(state, "removed", []))
    return sorted(recorded, key=lambda record: not record.get("main"))


def _object_record(state, action, values, main=False):
    record = {"model": state.model._meta.label_lower, "pk": state.pk, "action": action, "names": state.names}
    if main:
        record["main"] = True
    if state.slot_names:
        record["slot"] = state.slot_names
    if values:
        record["values"] = values
    return record


def _empty(value):
    return value in (None, "", [])


def _same(old, new):
    """Equal, or both empty, or the same text but for its line ends (a browser sends a text box's
    lines as CRLF: saving a text unchanged is no change)."""
    return (_empty(old) and _empty(new)) or _lines(old) == _lines(new)


def _lines(value):
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


def change_message(objects, action="changed", params=None):
    """Django's admin change message for the recorded ``objects`` (so that ``LogEntry`` and
    ``Revision.get_comment()`` read it too), with everything the history shows as its last entry."""
    message = []
    with translation.override(None):
        for record in objects:
            model = _model(record["model"])
            if model is None:
                continue
            fields = sorted({_english_name(model, name) for name, _old, _new in record.get("values", [])})
            names = {"name": str(model._meta.verbose_name), "object": _name(record, language_codes()[0])}
            if record.get("main"):
                names = {}
            if record["action"] == "added":
                message.append({"added": names})
            elif record["action"] == "removed":
                message.append({"deleted": names})
            elif fields:
                message.append({"changed": {"fields": fields, **names}})
    message.append({RECORD: {"version": RECORD_VERSION, "action": action, "params": params or {}, "objects": objects}})
    return message


def _model(label):
    from django.apps import apps

    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _english_name(model, name):
    """The field's name as Django's change messages keep it (the message id of its label)."""
    model_field = _model_field(model, name)
    return str(getattr(model_field, "translated_field", model_field).verbose_name)


def _name(record, language=None):
    """The object's name in ``language`` (the active one), else in the other one."""
    language = language or translation.get_language()
    names = record.get("names") or {}
    return names.get(language) or next((name for name in names.values() if name), "")


# --- Reading it ---------------------------------------------------------------------------------------


@dataclass
class FieldChange:
    label: str
    before: str
    after: str
    # The language of a translated text ("de", "fr"), marked on its cells; None: the page's.
    language: str | None = None
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
    summary: list  # sentences, in the reader's language (an older entry: as it was written)
    changes: list  # of ObjectChange; empty when nothing visible changed (or the first version)
    is_first: bool = False
    is_legacy: bool = False  # written as a sentence, before changes were recorded as data

    @property
    def revision(self):
        return self.version.revision


def read_record(comment):
    """The details recorded in a revision's comment, or ``None`` for a comment written as a
    sentence (before changes were recorded as data)."""
    if not comment or not comment.startswith("["):
        return None
    try:
        message = json.loads(comment)
    except ValueError:
        return None
    if not isinstance(message, list):
        return None
    for part in message:
        if isinstance(part, dict) and isinstance(part.get(RECORD), dict):
            return part[RECORD]
    return None


def history_of(model, object_id):
    """Every version of one object, latest first, each with what the save changed, in the
    active language."""
    versions = list(
        Version.objects.get_for_object_reference(model, object_id)
        .select_related("revision", "revision__user", "content_type")
        .order_by("pk")
    )
    if not versions:
        return []
    records = [read_record(version.revision.comment) for version in versions]
    values = _ValueFormatter()
    for record in records:
        if record is not None:
            values.want(record)
    legacy = _LegacyHistory(model, versions, records, values)
    entries = []
    for index, (version, record) in enumerate(zip(versions, records, strict=True)):
        if record is not None:
            own = (model._meta.label_lower, str(object_id))
            sentences = summary(record, own)
            if translation.get_language() == "fr":  # names the secretariat typed, as French writes them
                sentences = [french_typography(sentence) for sentence in sentences]
            entry = HistoryEntry(version=version, summary=sentences, changes=changes(record, own, values))
        else:
            comment = version.revision.get_comment()
            entry = HistoryEntry(
                version=version,
                summary=[comment] if comment else [],
                changes=legacy.changes(index),
                is_first=not index,
                is_legacy=True,
            )
        entries.append(entry)
    return entries[::-1]


def summary(record, own=None):
    """What the save did, in sentences of the active language; ``own`` (model label, pk): the
    object whose history is read, whose changes need not name it."""
    action, params = record.get("action"), record.get("params") or {}
    if action == "pasted":
        return [programme_message(params.get("count", 0), params.get("replaced", False))]
    if action in ("restored", "recovered"):
        moment = _moment(params.get("date"))
        if action == "restored":
            return [_("Restored the version saved on %(date)s.") % {"date": moment}]
        return [_("Brought back after its deletion, as saved on %(date)s.") % {"date": moment}]
    if action == "deleted":
        return [_("Deleted.")]
    if action == "translated":
        count = params.get("count", 0)
        return [
            ngettext(
                "Texts of %(count)d object translated side by side.",
                "Texts of %(count)d objects translated side by side.",
                count,
            )
            % {"count": count}
        ]
    sentences = []
    for obj in record.get("objects", []):
        model = _model(obj.get("model", ""))
        if model is None:
            continue
        is_own = (obj.get("model"), obj.get("pk")) == own
        if obj.get("action") == "added" and obj.get("main"):
            created = _("Created: %(object)s.") % {"object": _object_label(model, obj)}
            sentences.append(_("Created.") if is_own else created)
            continue
        label = _object_label(model, obj)
        names = [name for name, _old, _new in obj.get("values", []) if _has_field(model, name)]
        fields = get_text_list([_field_label(model, name) for name in names], _("and"))
        if obj.get("action") == "changed" and not names:
            continue
        if obj.get("action") == "added":
            sentences.append(_("Added: %(object)s.") % {"object": label})
        elif obj.get("action") == "removed":
            sentences.append(_("Removed: %(object)s.") % {"object": label})
        elif is_own:
            sentences.append(_("Changed: %(fields)s.") % {"fields": fields})
        else:
            sentences.append(_("%(object)s – changed: %(fields)s.") % {"fields": fields, "object": label})
    return sentences or [_("Saved without changes.")]


def programme_message(count, replace):
    """What pasting a programme did (events/admin/paste.py)."""
    if replace:
        return ngettext(
            "The programme was replaced by the pasted one: %(count)d slot.",
            "The programme was replaced by the pasted one: %(count)d slots.",
            count,
        ) % {"count": count}
    return ngettext(
        "%(count)d pasted slot was added to the programme.",
        "%(count)d pasted slots were added to the programme.",
        count,
    ) % {"count": count}


def _moment(value):
    moment = parse_datetime(value or "")
    if moment is None:
        return value or ""
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def changes(record, own, values):
    """The recorded objects as the history's tables show them: the object whose history it is
    (``own``: model label, pk) first and without a heading, then the programme and anything else
    saved with it."""
    result = []
    for obj in record.get("objects", []):
        obj_model = _model(obj.get("model", ""))
        if obj_model is None:
            continue
        fields = [
            _field_change(obj_model, name, old, new, values)
            for name, old, new in obj.get("values", [])
            if _has_field(obj_model, name)
        ]
        is_own = (obj.get("model"), obj.get("pk")) == own
        if is_own and not fields:
            continue
        label = "" if is_own else _object_label(obj_model, obj)
        result.append(ObjectChange(label=label, action=obj["action"], fields=fields))
    result.sort(key=lambda change: bool(change.label))
    return result


def _has_field(model, name):
    try:
        _model_field(model, name)
    except FieldDoesNotExist:
        return False
    return True


def _object_label(model, obj):
    """ "Programme slot “10:00 Exposé”", "Speaker “Vincent Ferry” in “10:00 Exposé”": in the active
    language, the names as they were at the save."""
    kind = capfirst(model._meta.verbose_name)
    if obj.get("slot"):
        return _("%(model)s “%(name)s” in “%(slot)s”") % {
            "model": kind,
            "name": _name(obj),
            "slot": _name({"names": obj["slot"]}),
        }
    return _("%(model)s “%(name)s”") % {"model": kind, "name": _name(obj)}


def _field_label(model, name):
    """ "Titre (allemand)" / "Titel (Deutsch)": the field's name, with the language of a text kept
    in both, in the active language."""
    return field_label(_model_field(model, name))


def _model_field(model, name):
    for model_field in [*model._meta.concrete_fields, *model._meta.many_to_many]:
        if name in (model_field.attname, model_field.name):
            return model_field
    raise FieldDoesNotExist(name)


def _field_change(model, name, old, new, values):
    model_field = _model_field(model, name)
    old_text = _lines(values.text(model_field, _python(model_field, old)))
    new_text = _lines(values.text(model_field, _python(model_field, new)))
    return _text_change(model, name, model_field, old_text, new_text)


def _text_change(model, name, model_field, old_text, new_text):
    """One field's before and after as shown: marked with the language of a translated text, in
    French typography where French is shown, long texts as a word diff."""
    language = getattr(model_field, "language", None)  # modeltranslation's per-language fields
    if language == "fr" or (language is None and translation.get_language() == "fr"):
        old_text, new_text = french_typography(old_text), french_typography(new_text)
    change = FieldChange(label=_field_label(model, name), before=old_text, after=new_text, language=language)
    if max(len(old_text), len(new_text)) > LONG_TEXT or "\n" in old_text + new_text:
        change.segments = word_diff(old_text, new_text)
    return change


def _python(model_field, value):
    """A recorded JSON value as the field holds it (moments, dates and decimals were written as text)."""
    if value is None or model_field.many_to_many or isinstance(model_field, (models.FileField, models.ForeignKey)):
        return value
    try:
        return model_field.to_python(value)
    except ValidationError:
        return value


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
    them, related objects by their current name (read in one query per kind of object)."""

    def __init__(self):
        self.wanted = defaultdict(set)
        self.names = {}

    def want(self, record):
        """Note the related objects a record names, to read them all at once."""
        for obj in record.get("objects", []):
            model = _model(obj.get("model", ""))
            for name, old, new in obj.get("values", []) if model else ():
                try:
                    model_field = _model_field(model, name)
                except FieldDoesNotExist:
                    continue
                if model_field.is_relation:
                    for value in (old, new):
                        pks = value if isinstance(value, list) else [value]
                        self.wanted[model_field.related_model].update(str(pk) for pk in pks if pk is not None)

    def text(self, model_field, value):
        if value in (None, "", []):
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
            wanted = self.wanted.pop(model, set()) | {str(pk)}
            found = {str(obj.pk): str(obj) for obj in model._default_manager.filter(pk__in=wanted)}
            for other in wanted:
                self.names[(model, other)] = found.get(other) or _("(deleted, #%(pk)s)") % {"pk": other}
        return self.names[key]


# --- Entries written before changes were recorded as data ---------------------------------------------


class _LegacyHistory:
    """What an older entry changed, as it was shown then: the differences between its version and
    the one before it (which may not be what the database held before that save)."""

    def __init__(self, model, versions, records, values):
        self.model = model
        self.versions = versions
        self.values = values
        self.by_revision = defaultdict(list)
        legacy = {versions[i].revision_id for i, record in enumerate(records) if record is None}
        legacy |= {versions[i - 1].revision_id for i, record in enumerate(records) if record is None and i}
        own = {version.pk for version in versions}
        others = (
            Version.objects.filter(revision__in=legacy)
            .exclude(pk__in=own)
            .select_related("content_type")
            .order_by("pk")
            if legacy
            else ()
        )
        for other in others:
            self.by_revision[other.revision_id].append(other)

    def changes(self, index):
        if not index:
            return []
        previous, version = self.versions[index - 1], self.versions[index]
        changes = []
        fields = _legacy_field_changes(self.model, _fields(previous), _fields(version), self.values)
        if fields:
            changes.append(ObjectChange(label="", action="changed", fields=fields))
        return changes + self._related(self.by_revision[previous.revision_id], self.by_revision[version.revision_id])

    def _related(self, before_versions, after_versions):
        before = {_version_key(v): v for v in before_versions if v.content_type.model in PROGRAMME}
        changes = []
        for version in after_versions:
            model = version.content_type.model_class()
            if model is None:
                continue
            if version.content_type.model in PROGRAMME:
                old = before.pop(_version_key(version), None)
                if old is None:
                    fields = _legacy_field_changes(model, {}, _fields(version), self.values)
                    changes.append(ObjectChange(label=_legacy_label(version), action="added", fields=fields))
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
            fields = _legacy_field_changes(model, old_fields, _fields(version), self.values)
            if fields:
                changes.append(ObjectChange(label=_legacy_label(version), action="changed", fields=fields))
        changes += [ObjectChange(label=_legacy_label(v), action="removed") for v in before.values()]
        return changes


def _fields(version):
    try:
        return version.field_dict
    except (RevertError, FieldDoesNotExist, ValueError, TypeError):  # saved by an older model
        return {}


def _version_key(version):
    return (version.content_type_id, version.object_id)


def _legacy_label(version):
    """The object as its version names it: a slot or workshop by its title in the active language."""
    model = version.content_type.model_class()
    kind = capfirst(model._meta.verbose_name) if model else version.content_type.model
    name = version_name(version) if version.content_type.model in PROGRAMME else version.object_repr
    return _("%(model)s “%(name)s”") % {"model": kind, "name": name}


def version_name(version):
    """The object as ``version`` saved it, named in the active language (its per-language title:
    the name reversion kept is in the language of whoever saved it)."""
    model = version.content_type.model_class()
    originals = _translated_originals(model) if model else set()
    if not originals:
        return version.object_repr
    concrete = {f.attname for f in model._meta.concrete_fields if f.name not in originals}
    try:
        return str(model(**{key: value for key, value in _fields(version).items() if key in concrete}))
    except (TypeError, ValueError, FieldDoesNotExist):
        return version.object_repr


def _legacy_field_changes(model, before, after, values):
    """The fields that differ between two versions, in the model's order."""
    changes = []
    for model_field in recorded_fields(model):
        name = model_field.attname
        if name not in before and name not in after:
            continue
        old, new = before.get(name), after.get(name)
        if _legacy_same(old, new):
            continue
        old_text, new_text = values.text(model_field, old), values.text(model_field, new)
        changes.append(_text_change(model, name, model_field, old_text, new_text))
    return changes


def _legacy_same(old, new):
    if isinstance(old, list) and isinstance(new, list):
        return sorted(map(str, old)) == sorted(map(str, new))
    return _same(old, new)
