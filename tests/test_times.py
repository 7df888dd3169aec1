"""events.programme.times: times of day as staff write them, and a slot's time within its event;
events.programme.fields.ClockTimeField, which the admin's programme editor takes them with.
Pure: no database."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.utils import translation

from events.programme.fields import ClockTimeField
from events.programme.times import (
    TimeFormatError,
    event_days,
    format_time,
    format_time_range,
    looks_like_time,
    parse_time,
    parse_time_range,
    place_slot,
    split_leading_time,
)

T = datetime.time
PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9h30", T(9, 30)),
        ("9h", T(9, 0)),
        ("09h30", T(9, 30)),
        ("17H00", T(17, 0)),
        ("9 h 30", T(9, 30)),
        ("9h30min", T(9, 30)),
        ("09:30", T(9, 30)),
        ("9:30", T(9, 30)),
        ("9.30", T(9, 30)),
        ("9:30 Uhr", T(9, 30)),
        ("9.30 Uhr", T(9, 30)),
        ("9 Uhr", T(9, 0)),
        ("17 UHR", T(17, 0)),
        ("9:30h", T(9, 30)),
        ("09:30:00", T(9, 30)),
        ("0h", T(0, 0)),
        ("23:59", T(23, 59)),
        ("  9h30  ", T(9, 30)),
        ("\u00a09\u202fh\u202f30\u00a0", T(9, 30)),  # no-break and narrow no-break spaces
        ("9:30\u00a0Uhr", T(9, 30)),
    ],
)
def test_times_as_people_write_them(text, expected):
    assert parse_time(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("25h", "hour_range"),
        ("24:00", "hour_range"),
        ("9h75", "minute_range"),
        ("9:60", "minute_range"),
        ("9:5", "minute_digits"),
        ("9h5", "minute_digits"),
        ("9:30:15", "seconds"),
        ("abc", "invalid"),
        ("9", "invalid"),
        ("0930", "invalid"),
        ("930h", "invalid"),
        ("9h30 pm", "invalid"),
        ("", "empty"),
        ("   ", "empty"),
        ("9h30 – 10h15", "range_not_allowed"),
    ],
)
def test_bad_times_are_named(text, code):
    with pytest.raises(TimeFormatError) as caught:
        parse_time(text)
    assert caught.value.code == code


@pytest.mark.parametrize(
    ("language", "text", "message"),
    [
        ("de", "9h75", "„9h75“ ist keine Uhrzeit: Die Minuten müssen zwischen 00 und 59 liegen."),
        (
            "fr",
            "9h75",
            "«\u00a09h75\u00a0» n’est pas une heure\u00a0: les minutes doivent être comprises entre 00 et 59.",
        ),
        ("de", "25h", "„25h“ ist keine Uhrzeit: Die Stunde muss zwischen 0 und 23 liegen."),
        ("fr", "25h", "«\u00a025h\u00a0» n’est pas une heure\u00a0: l’heure doit être comprise entre 0 et 23."),
        ("de", "9:5", "„9:5“ ist keine Uhrzeit: Schreiben Sie die Minuten zweistellig, etwa 9:05 oder 9h05."),
        (
            "fr",
            "9:5",
            "«\u00a09:5\u00a0» n’est pas une heure\u00a0: écrivez les minutes avec deux chiffres, comme 9h05 ou 9:05.",
        ),
        ("de", "abc", "„abc“ ist keine Uhrzeit: Schreiben Sie sie als 9:30, 9:30 Uhr oder 9h30."),
        ("fr", "abc", "«\u00a0abc\u00a0» n’est pas une heure\u00a0: écrivez-la sous la forme 9h30, 9:30 ou 9:30 Uhr."),
        ("de", "", "Geben Sie eine Uhrzeit ein, z. B. 9:30 oder 9h30."),
        ("fr", "", "Saisissez une heure, par exemple 9h30 ou 9:30."),
    ],
)
def test_messages_in_both_languages(language, text, message):
    with pytest.raises(TimeFormatError) as caught:
        parse_time(text)
    with translation.override(language):
        assert str(caught.value) == message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9h30", (T(9, 30), None)),
        ("9h30 – 10h15", (T(9, 30), T(10, 15))),
        ("9h30-10h15", (T(9, 30), T(10, 15))),
        ("9h30 — 10h15", (T(9, 30), T(10, 15))),
        ("9:30 - 10:15 Uhr", (T(9, 30), T(10, 15))),
        ("9h30 à 10h15", (T(9, 30), T(10, 15))),
        ("9:30 bis 10:15", (T(9, 30), T(10, 15))),
        ("9 – 17 Uhr", (T(9, 0), T(17, 0))),
        ("9-17h", (T(9, 0), T(17, 0))),
        ("9h30\u00a0–\u00a017h", (T(9, 30), T(17, 0))),
    ],
)
def test_time_ranges(text, expected):
    assert parse_time_range(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [("10h15 – 9h", "range_order"), ("10h – 10h", "range_order"), ("9 - 17", "invalid"), ("9h – 25h", "hour_range")],
)
def test_bad_time_ranges(text, code):
    with pytest.raises(TimeFormatError) as caught:
        parse_time_range(text)
    assert caught.value.code == code


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10h15 L'immigration en Grande Région", ("10h15", "L'immigration en Grande Région")),
        ("10h – Ouverture", ("10h", "Ouverture")),
        ("10h : Ouverture", ("10h", "Ouverture")),
        ("9:30 Uhr Empfang", ("9:30 Uhr", "Empfang")),
        ("9h30 - 17h", ("9h30 - 17h", "")),
        ("9h75 Accueil", ("9h75", "Accueil")),  # wrong, but meant as a time: the caller names it
        ("22. Novembre/November 2017 – 9h30 - 17h", None),
        ("22.11.2017", None),
        ("2017", None),
        ("1 place d'Armes", None),
        ("1 Hauptstraße", None),
        ("Accueil 9h30", None),
    ],
)
def test_a_time_at_the_start_of_a_line(text, expected):
    assert split_leading_time(text) == expected


def test_looks_like_time():
    assert looks_like_time("9h75") and looks_like_time("9:30 – 10:15")
    assert not looks_like_time("9h30 Accueil") and not looks_like_time("Accueil")


def test_canonical_form_has_no_seconds():
    assert format_time(T(9, 30)) == "09:30"
    assert format_time(T(17, 0, 45)) == "17:00"
    assert format_time_range(T(9, 30), T(10, 15)) == "09:30–10:15"
    assert format_time_range(T(9, 30)) == "09:30"


# --- A slot in its event --------------------------------------------------------------------

EVENT_2017 = {
    "event_start": datetime.datetime(2017, 11, 22, 9, 30, tzinfo=PARIS),
    "event_end": datetime.datetime(2017, 11, 22, 17, 0, tzinfo=PARIS),
    "tz": PARIS,
}
DAY = datetime.date(2017, 11, 22)


def test_event_days():
    assert event_days(EVENT_2017["event_start"], EVENT_2017["event_end"], PARIS) == [DAY]
    start = datetime.datetime(2027, 3, 5, 18, tzinfo=PARIS)
    end = datetime.datetime(2027, 3, 7, 13, tzinfo=PARIS)
    assert event_days(start, end, PARIS) == [datetime.date(2027, 3, d) for d in (5, 6, 7)]
    # 23:30 UTC is already the next day in Paris.
    utc_start = datetime.datetime(2027, 3, 4, 23, 30, tzinfo=datetime.UTC)
    assert event_days(utc_start, end, PARIS)[0] == datetime.date(2027, 3, 5)


def test_slot_on_the_event_day_becomes_aware_datetimes():
    placed = place_slot(DAY, T(10, 15), T(10, 45), **EVENT_2017)
    assert placed.is_valid
    assert placed.start == datetime.datetime(2017, 11, 22, 10, 15, tzinfo=PARIS)
    assert placed.end == datetime.datetime(2017, 11, 22, 10, 45, tzinfo=PARIS)
    assert placed.start.utcoffset() == datetime.timedelta(hours=1)
    # The first and the last moment of the event are inside it.
    assert place_slot(DAY, T(9, 30), **EVENT_2017).is_valid
    assert place_slot(DAY, T(16, 15), T(17, 0), **EVENT_2017).is_valid


@pytest.mark.parametrize(
    ("day", "start", "end", "field", "code", "message_de"),
    [
        (
            datetime.date(2017, 11, 23),
            T(10),
            None,
            "day",
            "day_outside",
            "Wählen Sie einen der Tage der Veranstaltung.",
        ),
        (
            DAY,
            T(8, 0),
            None,
            "start",
            "before_event",
            "Die Veranstaltung beginnt um 09:30; der Programmpunkt kann nicht früher beginnen.",
        ),
        (
            DAY,
            T(17, 30),
            None,
            "start",
            "after_event",
            "Die Veranstaltung endet um 17:00; der Programmpunkt kann nicht später beginnen.",
        ),
        (DAY, T(10, 15), T(10, 0), "end", "end_not_after_start", "Das Ende muss nach dem Beginn liegen."),
        (
            DAY,
            T(16, 15),
            T(17, 30),
            "end",
            "end_after_event",
            "Die Veranstaltung endet um 17:00; der Programmpunkt kann nicht später enden.",
        ),
    ],
)
def test_slot_outside_the_event_is_named(day, start, end, field, code, message_de):
    placed = place_slot(day, start, end, **EVENT_2017)
    assert not placed.is_valid
    [error] = placed.errors
    assert (error.field, error.code) == (field, code)
    with translation.override("de"):
        assert error.message == message_de
        assert error.validation_error().messages == [message_de]


def test_slot_error_in_french():
    [error] = place_slot(DAY, T(8, 0), **EVENT_2017).errors
    with translation.override("fr"):
        assert error.message == (
            "L’événement commence à 09:30\u00a0; le point du programme ne peut pas commencer plus tôt."
        )


def test_a_time_skipped_by_the_clocks_is_named():
    # 26 March 2028: clocks in Paris go from 2:00 to 3:00.
    start = datetime.datetime(2028, 3, 25, 20, tzinfo=PARIS)
    end = datetime.datetime(2028, 3, 26, 12, tzinfo=PARIS)
    placed = place_slot(datetime.date(2028, 3, 26), T(2, 30), event_start=start, event_end=end, tz=PARIS)
    assert [(e.field, e.code) for e in placed.errors] == [("start", "no_such_time")]
    assert placed.start is None


def test_multi_day_event_bounds_only_its_first_and_last_day():
    bounds = {
        "event_start": datetime.datetime(2027, 3, 5, 18, tzinfo=PARIS),
        "event_end": datetime.datetime(2027, 3, 7, 13, tzinfo=PARIS),
        "tz": PARIS,
    }
    [error] = place_slot(datetime.date(2027, 3, 5), T(17, 0), **bounds).errors
    assert (error.code, error.params) == ("before_event", {"time": "18:00"})
    assert place_slot(datetime.date(2027, 3, 6), T(8, 0), T(23, 0), **bounds).is_valid
    [error] = place_slot(datetime.date(2027, 3, 7), T(12, 0), T(14, 0), **bounds).errors
    assert (error.code, error.params) == ("end_after_event", {"time": "13:00"})


# --- The form field -------------------------------------------------------------------------


class SlotTimesForm(forms.Form):
    start = ClockTimeField()
    end = ClockTimeField(required=False)


@pytest.mark.parametrize("typed", ["9h30", "09:30", "9.30", "9:30 Uhr", "9 h 30"])
def test_field_cleans_what_staff_type(typed):
    form = SlotTimesForm({"start": typed, "end": "10h15"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"start": T(9, 30), "end": T(10, 15)}


def test_field_shows_the_canonical_form_without_seconds():
    form = SlotTimesForm(initial={"start": T(9, 30), "end": datetime.datetime(2017, 11, 22, 10, 15, 30)})
    html = str(form["start"]) + str(form["end"])
    assert 'value="09:30"' in html and 'value="10:15"' in html
    assert "09:30:00" not in html and 'type="text"' in html


def test_field_error_in_the_staff_language_keeps_what_was_typed():
    with translation.override("fr"):
        form = SlotTimesForm({"start": "9h75", "end": "10h15"})
        assert not form.is_valid()
        assert form.errors["start"] == [
            "«\u00a09h75\u00a0» n’est pas une heure\u00a0: les minutes doivent être comprises entre 00 et 59."
        ]
        html = str(form["start"]) + str(form["end"])
    assert 'value="9h75"' in html  # as typed, next to its error
    assert 'value="10:15"' in html  # understood: shown as it will be saved


def test_field_required_and_optional():
    form = SlotTimesForm({"start": "", "end": ""})
    assert not form.is_valid() and list(form.errors) == ["start"]
    form = SlotTimesForm({"start": "14h", "end": ""})
    assert form.is_valid() and form.cleaned_data["end"] is None


def test_field_unchanged_when_the_same_time_is_typed_differently():
    form = SlotTimesForm({"start": "9h30", "end": ""}, initial={"start": T(9, 30), "end": None})
    assert not form.has_changed()
    form = SlotTimesForm({"start": "9h45", "end": ""}, initial={"start": T(9, 30), "end": None})
    assert form.changed_data == ["start"]
