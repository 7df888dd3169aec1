"""Times of day as staff write them, and where a programme slot's time falls in its event.

Pure functions: text in, ``datetime.time`` (or a named error) out; no forms, no database.
The admin's time field (``events.programme.fields.ClockTimeField``) and the programme paste
parser (``events.programme.paste``) both read times through this module.

Accepted forms of a time (surrounding spaces, non-breaking and thin spaces allowed;
``h``, ``min`` and ``Uhr`` in any case):

=====================  ==========================================
French                 ``9h30``, ``9h``, ``09h30``, ``17H00``, ``9 h 30``, ``9h30min``
German                 ``9:30``, ``9.30``, ``9:30 Uhr``, ``9.30 Uhr``, ``9 Uhr``, ``9:30h``
Neutral                ``09:30``, ``09:30:00`` (seconds must be zero: a programme is kept
                       to the minute)
=====================  ==========================================

A time range (``parse_time_range``) is two times joined by a dash (``-``, ``–``, ``—``,
``−``, with or without spaces), ``à`` or ``bis``: ``9h30 – 10h15``, ``9:30-10:15 Uhr``,
``9h30 à 10h15``. One end may be a bare hour when the other is written as a time:
``9 – 17 Uhr``, ``9-17h``. The end must be after the start: a range never runs past midnight.

Rejected with a translatable message naming the reason, and a code (``TimeFormatError``):
``25h`` (``hour_range``), ``9h75`` (``minute_range``), ``9:5`` (``minute_digits``),
``9:30:15`` (``seconds``), ``abc``, ``9``, ``0930`` (``invalid``), an empty text
(``empty``), a range where one time is expected (``range_not_allowed``) and a range
that ends before it starts (``range_order``). A bare number is never a time: in pasted
text, "1 place d'Armes" or "2017" must not become 1:00 or a slot.

The canonical form staff see in the admin is ``HH:MM`` (``format_time``: ``09:30``):
the same in both staff languages, zero-padded so that a column of times lines up and reads
in order, without seconds, and what every browser, spreadsheet and Django itself reads
back. Visitors read times the way their language writes them (``events.dates``: "9h30",
"9:30 Uhr"); that is a page's business, not a form's.
"""

import dataclasses
import datetime
import re

from django.utils.translation import gettext_lazy as _

# Spaces a word processor or a PDF viewer may put in a time: no-break, narrow no-break
# (French typography: "9 h 30"), thin, figure space.
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007\u200a]+")

# One time, loosely: the digits are checked afterwards, so that "9h75" or "9:5" get a
# message saying what is wrong rather than "not a time".
_CLOCK = r"""
    (?P<hour>\d+)
    (?:
        \ ?h\ ?(?P<h_minute>\d+)?(?:\ ?min\.?)?                     # 9h, 9h30, 9 h 30, 9h30min
      | [:.](?P<minute>\d+)(?::(?P<second>\d+))?(?:\ ?(?:uhr|h))?   # 9:30, 9.30, 09:30:00, 9:30 Uhr
      | \ ?uhr                                                      # 9 Uhr
    )
"""
_CLOCK_RE = re.compile(_CLOCK, re.VERBOSE | re.IGNORECASE)

# What joins the two ends of a range: a dash of any kind, "à" or "bis".
_RANGE_SEPARATOR = r"(?:\ ?[-\u2010\u2011\u2012\u2013\u2014\u2212]\ ?|\ (?:à|bis)\ )"
_RANGE_RE = re.compile(
    rf"(?P<start>.+?){_RANGE_SEPARATOR}(?P<end>.+)",
    re.IGNORECASE,
)

# A token at the start of a line that is meant as a time (or a range), even a wrong one
# such as "9h75": one or two digits, then h, a colon or dot and digits, or "Uhr".
_LOOSE_CLOCK = r"\d{1,2}(?:\ ?h(?:\ ?\d{1,2})?(?:\ ?min\.?)?|[:.]\d{1,2}(?::\d{2})?(?:\ ?(?:uhr|h))?|\ ?uhr)"
_LOOSE_END = rf"(?:{_LOOSE_CLOCK}|\d{{1,2}})"
_LEADING_TIME_RE = re.compile(
    rf"""
    (?P<time>
        (?:{_LOOSE_CLOCK}|\d{{1,2}}(?={_RANGE_SEPARATOR}{_LOOSE_CLOCK}(?![\w.:])))   # start (bare only before a time)
        (?:{_RANGE_SEPARATOR}{_LOOSE_END})?                                  # optional end
    )
    (?![\w.:])                           # "22.11.2017", "1 Hauptstraße", "2017" are no times
    (?:\ ?[-\u2013\u2014:|]\ ?)?         # "10h – Ouverture", "10h : Ouverture"
    (?P<rest>.*)
    """,
    re.VERBOSE | re.IGNORECASE | re.DOTALL,
)

# "“9h75” is not a time: the minutes must be between 00 and 59." The reason alone says what
# is wrong; the pasted-programme problems use the same sentence.
NOT_A_TIME = _("“%(value)s” is not a time: %(reason)s.")
EMPTY = _("Enter a time, e.g. 9h30 or 9:30.")
REASONS = {
    "invalid": _("write it as 9h30, 9:30 or 9:30 Uhr"),
    "hour_range": _("the hour must be between 0 and 23"),
    "minute_range": _("the minutes must be between 00 and 59"),
    "minute_digits": _("write the minutes with two digits, as in 9h05 or 9:05"),
    "seconds": _("give it to the minute, without seconds"),
    "range_not_allowed": _("it is a range; enter a single time"),
    "range_order": _("the end must be after the start"),
}


class TimeFormatError(ValueError):
    """A text that is not a time. ``code`` names the problem (``"empty"`` or a key of
    ``REASONS``); ``message`` is the lazy, translatable template and ``params`` its values
    (``value``, the text as typed, and ``reason``), as Django's
    ``ValidationError(message, code=code, params=params)`` takes them."""

    def __init__(self, code, value):
        self.code = code
        if code == "empty":
            self.message, self.params = EMPTY, {}
        else:
            self.message, self.params = NOT_A_TIME, {"value": value, "reason": REASONS[code]}
        super().__init__(code, value)

    @property
    def reason(self):
        return self.params.get("reason", self.message)

    def __str__(self):
        """The message in the active language."""
        return str(self.message) % self.params


def normalise_spaces(text):
    """``text`` with every run of (no-break, thin, ordinary) spaces made one space, stripped."""
    return _SPACES.sub(" ", text or "").strip()


def parse_time(text):
    """The ``datetime.time`` that ``text`` writes (see the module docstring for the forms);
    raises ``TimeFormatError``."""
    value = normalise_spaces(text)
    if not value:
        raise TimeFormatError("empty", value)
    try:
        return _clock(value, value)
    except TimeFormatError as error:
        if error.code == "invalid" and _split_range(value):
            raise TimeFormatError("range_not_allowed", value) from None
        raise


def parse_time_range(text):
    """``(start, end)`` from a time or a range: ``"9h30"`` gives ``(09:30, None)``,
    ``"9h30 – 10h15"`` gives ``(09:30, 10:15)``; raises ``TimeFormatError``."""
    value = normalise_spaces(text)
    if not value:
        raise TimeFormatError("empty", value)
    if _CLOCK_RE.fullmatch(value):
        return _clock(value, value), None
    parts = _split_range(value)
    if not parts:
        raise TimeFormatError("invalid", value)
    start_text, end_text = parts
    start_bare, end_bare = start_text.isdigit(), end_text.isdigit()
    start = _clock(start_text + "h" if start_bare else start_text, value)
    end = _clock(end_text + "h" if end_bare else end_text, value)
    if end <= start:
        raise TimeFormatError("range_order", value)
    return start, end


def split_leading_time(text):
    """``(time_text, rest)`` when ``text`` begins with something written as a time or a
    time range — even an impossible one such as ``9h75``, so that the caller can name the
    problem — followed by a space, a separator (``–``, ``:``) or nothing; else ``None``.

    ``"10h15 L'immigration…"`` gives ``("10h15", "L'immigration…")``, ``"9h30 - 17h"``
    gives ``("9h30 - 17h", "")``; ``"22. Novembre"``, ``"2017"`` and ``"1 place d'Armes"``
    give ``None``. Spaces in ``text`` are made single first."""
    match = _LEADING_TIME_RE.fullmatch(normalise_spaces(text))
    if not match:
        return None
    return match["time"], match["rest"].strip()


def looks_like_time(text):
    """True when the whole of ``text`` is written as a time or range, valid or not."""
    found = split_leading_time(text)
    return found is not None and not found[1]


def format_time(value):
    """The canonical form of a time for staff: ``09:30`` (no seconds)."""
    return f"{value.hour:02d}:{value.minute:02d}"


def format_time_range(start, end=None):
    """``09:30`` or ``09:30–10:15``."""
    return format_time(start) if end is None else f"{format_time(start)}–{format_time(end)}"


def _split_range(value):
    match = _RANGE_RE.fullmatch(value)
    if not match:
        return None
    start, end = match["start"].strip(), match["end"].strip()
    clocks = bool(_CLOCK_RE.fullmatch(start)), bool(_CLOCK_RE.fullmatch(end))
    ok = (clocks[0] or start.isdigit()) and (clocks[1] or end.isdigit()) and any(clocks)
    return (start, end) if ok else None


def _clock(text, value):
    """The time ``text`` (one clock, no range) writes; errors quote ``value``, the whole input."""
    match = _CLOCK_RE.fullmatch(text)
    if not match:
        raise TimeFormatError("invalid", value)
    hour_digits = match["hour"]
    minute_digits = match["h_minute"] or match["minute"]
    if len(hour_digits) > 2:
        raise TimeFormatError("invalid", value)
    if minute_digits is not None and len(minute_digits) != 2:
        raise TimeFormatError("minute_digits", value)
    if match["second"] is not None and (len(match["second"]) != 2 or int(match["second"]) != 0):
        raise TimeFormatError("seconds", value)
    hour, minute = int(hour_digits), int(minute_digits or 0)
    if hour > 23:
        raise TimeFormatError("hour_range", value)
    if minute > 59:
        raise TimeFormatError("minute_range", value)
    return datetime.time(hour, minute)


# --- A slot's time within its event ---------------------------------------------------------

SLOT_MESSAGES = {
    "day_outside": _("Choose one of the event's days."),
    "before_event": _("The event starts at %(time)s; the slot cannot start earlier."),
    "after_event": _("The event ends at %(time)s; the slot cannot start later."),
    "end_not_after_start": _("The end must be after the start."),
    "end_after_event": _("The event ends at %(time)s; the slot cannot end later."),
    "no_such_time": _("%(time)s does not exist on that day: the clocks go forward."),
}


@dataclasses.dataclass(frozen=True)
class SlotTimeError:
    """Why a slot's day or time does not fit its event, for the form field ``field``
    (``"day"``, ``"start"`` or ``"end"``). ``message`` is the text in the active language;
    ``validation_error()`` gives what a form's ``add_error(field, …)`` takes."""

    field: str
    code: str
    params: dict = dataclasses.field(default_factory=dict)

    @property
    def template(self):
        return SLOT_MESSAGES[self.code]

    @property
    def message(self):
        return str(self.template) % self.params

    def validation_error(self):
        from django.core.exceptions import ValidationError

        return ValidationError(self.template, code=self.code, params=self.params)


@dataclasses.dataclass(frozen=True)
class PlacedSlot:
    """A slot's start and end as aware datetimes in the event's time zone (``None`` where
    they could not be made), and what does not fit the event."""

    start: datetime.datetime | None
    end: datetime.datetime | None
    errors: tuple[SlotTimeError, ...] = ()

    @property
    def is_valid(self):
        return not self.errors


def event_days(event_start, event_end, tz):
    """The calendar days an event covers, in its time zone ``tz``: a one-day event has one,
    so the editor need not ask which."""
    first = event_start.astimezone(tz).date()
    last = event_end.astimezone(tz).date()
    return [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]


def place_slot(day, start, end=None, *, event_start, event_end, tz):
    """Combine the chosen ``day`` with the ``start`` (and optional ``end``) time of a slot
    into aware datetimes in the event's time zone ``tz``, and name what does not fit the
    event that runs from ``event_start`` to ``event_end`` (aware datetimes).

    A slot starts within the event (from its start up to its end inclusive, so that a last
    item may be set at the closing time) and ends after it starts (on the same day: an
    end time earlier than the start is an error, not the next morning) and no later than
    the event. A time that does not exist on that day (skipped when the clocks go forward)
    is named. Pure: the event is given by its bounds, nothing is read from the database."""
    errors = []
    if day not in event_days(event_start, event_end, tz):
        return PlacedSlot(None, None, (SlotTimeError("day", "day_outside"),))
    start_at, problem = _aware(day, start, tz, "start")
    errors += problem
    end_at = None
    if end is not None:
        end_at, problem = _aware(day, end, tz, "end")
        errors += problem
    # A slot can only start too early on the event's first day and too late on its last:
    # the times named are those of that day.
    local_start, local_end = event_start.astimezone(tz), event_end.astimezone(tz)
    if start_at is not None:
        if start_at < event_start:
            errors.append(SlotTimeError("start", "before_event", {"time": format_time(local_start)}))
        elif start_at > event_end:
            errors.append(SlotTimeError("start", "after_event", {"time": format_time(local_end)}))
    if end_at is not None and start_at is not None:
        if end_at <= start_at:
            errors.append(SlotTimeError("end", "end_not_after_start"))
        elif end_at > event_end:
            errors.append(SlotTimeError("end", "end_after_event", {"time": format_time(local_end)}))
    return PlacedSlot(start_at, end_at, tuple(errors))


def event_bounds(event_start, event_end):
    """An event's start and end to the minute, as a programme is kept: a start at 9:30:20 lets a
    slot begin at 9:30, an end at 16:59:40 lets one end at 17:00."""
    start = event_start.replace(second=0, microsecond=0)
    end = event_end.replace(second=0, microsecond=0)
    if end < event_end:
        end += datetime.timedelta(minutes=1)
    return start, end


def _aware(day, clock, tz, field):
    """``day`` at ``clock`` in ``tz``, or ``None`` and an error when that moment was skipped."""
    moment = datetime.datetime.combine(day, clock, tzinfo=tz)
    round_trip = moment.astimezone(datetime.UTC).astimezone(tz)
    if round_trip.replace(tzinfo=None) != moment.replace(tzinfo=None):
        return None, [SlotTimeError(field, "no_such_time", {"time": format_time(clock)})]
    return moment, []
