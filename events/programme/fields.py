"""Form fields for staff input, reading text the way people write it (no database).

``ClockTimeField`` takes a time of day as staff type it — ``9h30``, ``9h``, ``09:30``,
``9.30``, ``9:30 Uhr`` (all forms: ``events.programme.times``) — and cleans it to a
``datetime.time``; its widget shows the canonical ``09:30`` (no seconds). Drop it into any
form, e.g. a programme slot's start and end next to a choice of the event's day::

    start = ClockTimeField(label=_("Start"))
    end = ClockTimeField(label=_("End"), required=False)

Wrong input gets the parser's own message ("“9h75” is not a time: the minutes must be
between 00 and 59."), in the staff member's language, and stays in the box as typed.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError

from .times import TimeFormatError, format_time, parse_time


class ClockTimeInput(forms.TextInput):
    """A short text box for a time: a text input, not ``type="time"``, so that ``9h30``
    can be typed; a ``time`` value is shown as ``09:30``, typed text as typed."""

    def __init__(self, attrs=None):
        defaults = {"class": "clock-time", "size": "8", "autocomplete": "off", "spellcheck": "false"}
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, datetime.datetime | datetime.time):
            return format_time(value)
        return super().format_value(value)


class ClockTimeField(forms.Field):
    """A time of day, to the minute, as staff write it; cleans to ``datetime.time`` (or
    ``None`` when empty and not required).

    A ``datetime`` given as initial value is shown by its clock face: convert it to the
    event's time zone first (``timezone.localtime(slot.start, event.tzinfo)``)."""

    widget = ClockTimeInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.time().replace(second=0, microsecond=0)
        if isinstance(value, datetime.time):
            return value.replace(second=0, microsecond=0, tzinfo=None)
        try:
            return parse_time(str(value))
        except TimeFormatError as error:
            raise ValidationError(error.message, code=error.code, params=error.params) from None

    def prepare_value(self, value):
        """Text that reads as a time is shown in the canonical form when the form comes
        back (say, another field had an error): ``9h30`` becomes ``09:30``; text that is
        not a time stays as typed, next to its error."""
        if isinstance(value, str):
            try:
                return format_time(parse_time(value))
            except TimeFormatError:
                return value
        return value

    def has_changed(self, initial, data):
        """``9h30`` typed over an initial 09:30 is no change."""
        if self.disabled:
            return False
        try:
            return self.to_python(initial) != self.to_python(data)
        except ValidationError:
            return True
