"""The proposed programme: slots with both languages' texts, people and workshops, made from
pasted rows, and the named problems found on the way."""

import dataclasses
import datetime
import difflib
import itertools

from ..times import TimeFormatError, format_time, format_time_range, parse_time_range
from . import reading
from .content import detect_language, name_key, read_cell
from .kinds import KIND_LABELS, guess_kind
from .problems import WORKSHOPS_EXAMPLE, Problem

LANGUAGES = ("fr", "de")
_NAMES_IN_CODES = {"fr": "french", "de": "german"}


def other_language(language):
    return "de" if language == "fr" else "fr"


@dataclasses.dataclass
class ProposedSpeaker:
    """A person named after a slot's title. ``names`` holds the name as each language's text
    wrote it; ``name`` is the one to use. Matching to existing people is the caller's job:
    compare ``key`` with ``name_key(person.name)``."""

    name: str
    role_fr: str = ""
    role_de: str = ""
    affiliation_fr: str = ""
    affiliation_de: str = ""
    names: dict[str, str] = dataclasses.field(default_factory=dict)

    @property
    def key(self):
        return name_key(self.name)

    @property
    def named_in(self):
        """The languages whose text names this person."""
        return tuple(language for language in LANGUAGES if language in self.names)


@dataclasses.dataclass
class ProposedWorkshop:
    title_fr: str = ""
    title_de: str = ""

    def title(self, language):
        return getattr(self, f"title_{language}")


@dataclasses.dataclass
class SlotSource:
    """Where one language's text of a slot came from: its line in that language's paste and
    its time as written, read (``start``, ``end``) or not (``error``)."""

    line: int
    time_text: str = ""
    start: datetime.time | None = None
    end: datetime.time | None = None
    error: TimeFormatError | None = None
    doubts: list[str] = dataclasses.field(default_factory=list)  # lines read as people, maybe wrongly


@dataclasses.dataclass
class ProposedSlot:
    """One slot of the proposal. ``start`` is ``None`` when no time could be read or the
    languages disagree (a blocking problem says which). ``day`` counts the days named in the
    paste (0 = the first day). ``number`` is the slot's place in the proposal, 1-based, as
    the problems refer to it."""

    number: int = 0
    day: int = 0
    start: datetime.time | None = None
    end: datetime.time | None = None
    kind: str = "other"
    title_fr: str = ""
    title_de: str = ""
    description_fr: str = ""
    description_de: str = ""
    speakers: list[ProposedSpeaker] = dataclasses.field(default_factory=list)
    workshops: list[ProposedWorkshop] = dataclasses.field(default_factory=list)
    sources: dict[str, SlotSource] = dataclasses.field(default_factory=dict)

    def title(self, language):
        return getattr(self, f"title_{language}")

    @property
    def languages(self):
        """The languages this slot has a text in."""
        return tuple(language for language in LANGUAGES if language in self.sources)

    @property
    def line(self):
        """The first line of the paste it comes from."""
        return min(source.line for source in self.sources.values()) if self.sources else None


@dataclasses.dataclass
class ProgrammeProposal:
    """What a paste proposes. ``languages``: the languages it has texts in, ``("fr", "de")``
    for a bilingual table, one for a one-language paste (then complete it with
    ``complete_programme``). ``problems``: every named problem, the paste's first, then the
    slots' in slot order."""

    slots: list[ProposedSlot] = dataclasses.field(default_factory=list)
    languages: tuple[str, ...] = ()
    problems: list[Problem] = dataclasses.field(default_factory=list)
    paste_problems: list[Problem] = dataclasses.field(default_factory=list, repr=False)

    @property
    def is_blocked(self):
        """True when a problem must be solved before the proposal can be saved."""
        return any(problem.blocking for problem in self.problems)

    @property
    def can_confirm(self):
        return bool(self.slots) and not self.is_blocked

    def problems_for(self, slot):
        number = slot if isinstance(slot, int) else slot.number
        return [problem for problem in self.problems if problem.slot == number]

    @property
    def general_problems(self):
        """Problems of the paste as a whole (not of one slot)."""
        return [problem for problem in self.problems if problem.slot is None]


# --- Parsing ----------------------------------------------------------------------------------


def parse_programme(text, language=None, *, order=LANGUAGES):
    """Read a pasted programme.

    ``text``      what was pasted;
    ``language``  ``"fr"`` or ``"de"`` for a one-language paste (time | text), ``None`` to
                  tell it from the text (a bilingual table needs nothing);
    ``order``     the languages of a bilingual table's columns, left to right (the
                  invitation's order, French then German, by default).

    A one-language paste whose language is not given is read as French or German from its
    words; if it holds both languages one after the other (a PDF copies a left column then a
    right one) or row by row, they are paired. Returns a ``ProgrammeProposal``."""
    text = reading.normalise(text)
    if not text.strip():
        return _finish([], (), [Problem("empty", blocking=True)])
    found = reading.read(text)
    problems = [_leftover_problem(leftover, language) for leftover in found.leftovers]
    problems += [_column_problem(row, found.columns, language) for row in found.rows if row.extra]
    if not found.rows:
        return _finish([], (), [Problem("no_programme", blocking=True), *problems])
    if found.columns >= 3:
        return _bilingual(found.rows, order, problems)
    return _one_language(found.rows, language, order, problems)


def complete_programme(first, text):
    """``first``, a one-language proposal, completed by ``text``: the same programme pasted
    in the other language (read as that language). Rows are paired by day and time, in
    order; a row in one paste only stays one-language and is named; where the two pastes
    have as many rows but different times, the rows are paired in order and the times named
    as differing. With nothing in ``first``, this is ``parse_programme(text)``."""
    if not first.slots:
        return parse_programme(text)
    if len(first.languages) != 1:
        return _finish(
            first.slots, first.languages, [*first.paste_problems, Problem("already_bilingual", blocking=True)]
        )
    present = first.languages[0]
    second = parse_programme(text, other_language(present))
    if any(problem.code == f"reads_like_{_NAMES_IN_CODES[present]}" for problem in second.paste_problems):
        # The same language pasted twice: its texts must not land in the other language.
        problem = Problem(f"{_NAMES_IN_CODES[present]}_already_present", blocking=True)
        return _finish(first.slots, first.languages, [*_in_language(first), problem])
    return merge_languages(first, second)


def merge_languages(first, second):
    """Two one-language proposals of different languages paired into one (see
    ``complete_programme``). Each paste's own problems are kept, marked with its language."""
    first_problems = _in_language(first)
    if not second.slots:
        return _finish(first.slots, first.languages, [*first_problems, *_in_language(second)])
    if len(first.languages) != 1 or len(second.languages) != 1:
        return _finish(first.slots, first.languages, [*first_problems, Problem("already_bilingual", blocking=True)])
    if first.languages == second.languages:
        code = f"{_NAMES_IN_CODES[first.languages[0]]}_already_present"
        return _finish(first.slots, first.languages, [*first_problems, Problem(code, blocking=True)])
    slots = [_merge_slots(*pair) if len(pair) == 2 else pair[0] for pair in _align(first.slots, second.slots)]
    return _finish(slots, LANGUAGES, [*first_problems, *_in_language(second)])


def _in_language(proposal):
    """The paste's problems, marked with the language of a one-language paste."""
    if len(proposal.languages) != 1:
        return list(proposal.paste_problems)
    language = proposal.languages[0]
    return [
        problem if problem.language else dataclasses.replace(problem, language=language)
        for problem in proposal.paste_problems
    ]


def _bilingual(rows, order, problems):
    widths = [_width(row.halves[index] for row in rows) for index in range(2)]
    slots = []
    for row in rows:
        halves = [
            _slot_from_half(half, language, row.day, widths[index])
            for index, (half, language) in enumerate(zip(row.halves, order, strict=False))
        ]
        present = [slot for slot in halves if slot is not None]
        if present:
            slots.append(present[0] if len(present) == 1 else _merge_slots(*present))
    detected = [detect_language(*_words(rows, index)) for index in range(2)]
    if detected == [order[1], order[0]]:
        problems.append(Problem("columns_swapped", blocking=True))
    return _finish(slots, LANGUAGES, problems)


def _one_language(rows, language, order, problems):
    halves = [(row, row.halves[0]) for row in rows]
    if language is not None:
        found = detect_language(*_texts(halves))
        if found is not None and found != language:
            problems.append(Problem(f"reads_like_{_NAMES_IN_CODES[found]}"))
        return _finish(_slots(halves, language), (language,), problems)
    # Both languages one after the other (a left column, then a right one)?
    blocks = _blocks(halves)
    if len(blocks) == 2:
        languages = [detect_language(*_texts(block)) for block in blocks]
        if None not in languages and languages[0] != languages[1]:
            first = _finish(_slots(blocks[0], languages[0]), (languages[0],), [])
            second = _finish(_slots(blocks[1], languages[1]), (languages[1],), [])
            merged = merge_languages(first, second)
            return _finish(merged.slots, LANGUAGES, problems)
    # Row by row, one language after the other (a PDF copies cell by cell)?
    if len(halves) >= 2 and len(halves) % 2 == 0:
        languages = [detect_language(*_texts(halves[start::2])) for start in (0, 1)]
        if None not in languages and languages[0] != languages[1]:
            pairs = zip(_slots(halves[0::2], languages[0]), _slots(halves[1::2], languages[1]), strict=True)
            return _finish([_merge_slots(a, b) for a, b in pairs], LANGUAGES, problems)
    language = detect_language(*_texts(halves))
    if language is None:
        problems.append(Problem("language_unknown", blocking=True))
        language = order[0]
    return _finish(_slots(halves, language), (language,), problems)


def _slots(halves, language):
    """One-language slots from (row, half) pairs whose halves all have a time."""
    width = _width(half for _row, half in halves)
    return [_slot_from_half(half, language, row.day, width) for row, half in halves]


def _width(halves):
    """How long the lines of a column of wrapped text get: a line ends short of it only
    where its paragraph ends. ``None`` for table cells, whose lines are paragraphs."""
    lengths = [len(line.strip()) for half in halves if half.wrapped for line in half.text.split("\n")]
    return max(lengths, default=None)


def _slot_from_half(half, language, day, width=None):
    """A one-language slot from one half of a row, or ``None`` when the half is empty.
    ``width``: how long the lines of this column get (see ``content.read_cell``)."""
    if half.is_empty:
        return None
    source = SlotSource(half.line, half.time_text.strip())
    if source.time_text:
        try:
            source.start, source.end = parse_time_range(source.time_text)
        except TimeFormatError as error:
            source.error = error
    content = read_cell(half.text, half.wrapped, width)
    source.doubts = content.doubts
    slot = ProposedSlot(day=day, start=source.start, end=source.end, sources={language: source})
    setattr(slot, f"title_{language}", content.title)
    setattr(slot, f"description_{language}", "\n\n".join(content.description))
    for person in content.people:
        speaker = ProposedSpeaker(person.name, names={language: person.name})
        setattr(speaker, f"role_{language}", person.role)
        setattr(speaker, f"affiliation_{language}", person.affiliation)
        slot.speakers.append(speaker)
    slot.workshops = [ProposedWorkshop(**{f"title_{language}": title}) for title in content.workshops]
    return slot


def _merge_slots(a, b):
    """One slot from two one-language slots of the same row."""
    slot = ProposedSlot(day=a.day, sources={**a.sources, **b.sources})
    for language, part in ((a.languages[0], a), (b.languages[0], b)):
        for field in ("title", "description"):
            setattr(slot, f"{field}_{language}", getattr(part, f"{field}_{language}"))
    slot.start, slot.end = _agreed_time(slot.sources.values())
    slot.speakers = _merge_speakers(a.speakers, b.speakers, b.languages[0])
    slot.workshops = [
        ProposedWorkshop(
            title_fr=(x.title_fr if x else "") or (y.title_fr if y else ""),
            title_de=(x.title_de if x else "") or (y.title_de if y else ""),
        )
        for x, y in itertools.zip_longest(a.workshops, b.workshops)
    ]
    return slot


def _agreed_time(sources):
    """The time all readable sources agree on, else ``(None, None)``."""
    read = {(source.start, source.end) for source in sources if source.start is not None}
    starts = {start for start, _end in read}
    ends = {end for _start, end in read if end is not None}
    if len(starts) == 1 and len(ends) <= 1:
        return starts.pop(), (ends.pop() if ends else None)
    return None, None


def _merge_speakers(first, second, language):
    merged = [dataclasses.replace(speaker, names=dict(speaker.names)) for speaker in first]
    by_key = {speaker.key: speaker for speaker in merged}
    for person in second:
        match = by_key.get(person.key)
        if match is None:
            merged.append(person)
            continue
        match.names[language] = person.names[language]
        setattr(match, f"role_{language}", getattr(person, f"role_{language}"))
        setattr(match, f"affiliation_{language}", getattr(person, f"affiliation_{language}"))
    return merged


def _align(first, second):
    """Pairs of slots with the same day and time, in order; where the two sides differ,
    runs of equal length are paired in order (their times are named as differing) and the
    rest stay alone."""
    keys = [[(slot.day, slot.start) if slot.start else (slot.day, "?", index) for index, slot in enumerate(side)]
            for side in (first, second)]  # fmt: skip
    matcher = difflib.SequenceMatcher(None, keys[0], keys[1], autojunk=False)
    result = []
    for tag, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        a, b = first[a_start:a_end], second[b_start:b_end]
        if tag == "equal" or (tag == "replace" and len(a) == len(b)):
            result += [(x, y) for x, y in zip(a, b, strict=True)]
        else:
            result += [(slot,) for slot in sorted(a + b, key=_slot_order)]
    return result


def _slot_order(slot):
    return (slot.day, slot.start or datetime.time.max)


def _blocks(halves):
    """The rows split where the time goes back (within a day)."""
    blocks, previous = [[]], None
    for row, half in halves:
        try:
            start = parse_time_range(half.time_text)[0]
        except TimeFormatError:
            start = None
        if start is not None and previous is not None and (row.day, start) < previous:
            blocks.append([])
        blocks[-1].append((row, half))
        if start is not None:
            previous = (row.day, start)
    return blocks


def _texts(halves):
    """The words and times of some halves, for ``detect_language``."""
    return [read_cell(half.text, half.wrapped).words for _row, half in halves], [half.time_text for _r, half in halves]


def _words(rows, index):
    return _texts([(row, row.halves[index]) for row in rows if len(row.halves) > index])


# --- Problems ---------------------------------------------------------------------------------


def _leftover_problem(leftover, language):
    excerpt = " ".join(leftover.text.split())
    if len(excerpt) > 120:
        excerpt = excerpt[:119].rstrip() + "…"
    return Problem(
        "ignored_text", {"excerpt": excerpt}, line=leftover.line, end_line=leftover.end_line, language=language
    )


def _column_problem(row, columns, language):
    excerpt = " | ".join(row.extra)
    if len(excerpt) > 80:
        excerpt = excerpt[:79].rstrip() + "…"
    count = max(columns, 2) + len(row.extra)
    return Problem(
        "column_count", {"count": count, "excerpt": excerpt}, blocking=True, line=row.line, language=language
    )


def _finish(slots, languages, paste_problems):
    """Number the slots, guess their kinds and name their problems."""
    problems = list(paste_problems)
    languages = tuple(language for language in LANGUAGES if language in languages)
    previous = None
    for number, slot in enumerate(slots, start=1):
        slot.number = number
        titles = {language: slot.title(language) for language in slot.languages}
        slot.kind, suggestions = guess_kind(titles, bool(slot.speakers), bool(slot.workshops))
        problems += _slot_problems(slot, languages, suggestions)
        if slot.start is not None:
            if previous is not None and (slot.day, slot.start) < (previous.day, previous.start):
                problems.append(_slot_problem(slot, "times_go_back", time=slot.start, previous=previous.start))
            previous = slot
    return ProgrammeProposal(slots, languages, problems, list(paste_problems))


def _slot_problem(slot, code, blocking=False, language=None, **params):
    """A problem of ``slot``, pointing at the line of ``language``'s text (by default the
    first language the slot has)."""
    language = language or slot.languages[0]
    line = slot.sources[language].line
    params = {key: format_time(value) if isinstance(value, datetime.time) else value for key, value in params.items()}
    return Problem(code, params, blocking=blocking, line=line, language=language, slot=slot.number)


def _slot_problems(slot, languages, suggestions):
    problems = []
    sources = slot.sources
    for language, source in sources.items():
        if source.error is not None:
            problems.append(
                _slot_problem(
                    slot,
                    "unreadable_time",
                    slot.start is None,
                    language,
                    value=source.time_text,
                    reason=source.error.reason,
                )
            )
        for line in source.doubts:
            problems.append(_slot_problem(slot, "people_or_title", False, language, excerpt=_short(line)))
    if not any(source.time_text for source in sources.values()):
        problems.append(_slot_problem(slot, "missing_time", True))
    readable = {language: s for language, s in sources.items() if s.start is not None}
    if len(readable) == 2 and slot.start is None:
        shown = {language: format_time_range(s.start, s.end) for language, s in readable.items()}
        problems.append(_slot_problem(slot, "times_differ", True, time_fr=shown["fr"], time_de=shown["de"]))
    titled = [language for language in LANGUAGES if slot.title(language)]
    if not titled:
        problems.append(_slot_problem(slot, "no_title", True))
    elif len(languages) == 2 and len(titled) == 1:
        code = f"only_in_{_NAMES_IN_CODES[titled[0]]}"
        problems.append(_slot_problem(slot, code, title=_short(slot.title(titled[0]))))
    if len(titled) == 2:
        for speaker in slot.speakers:
            if len(speaker.named_in) == 1:
                code = f"speaker_only_in_{_NAMES_IN_CODES[speaker.named_in[0]]}"
                problems.append(_slot_problem(slot, code, name=speaker.name))
            elif speaker.names["fr"] != speaker.names["de"]:
                problems.append(
                    _slot_problem(
                        slot, "name_spellings_differ", name_fr=speaker.names["fr"], name_de=speaker.names["de"]
                    )
                )
        counts = {language: sum(1 for w in slot.workshops if w.title(language)) for language in LANGUAGES}
        if counts["fr"] != counts["de"]:
            problems.append(_slot_problem(slot, "workshops_differ", count_fr=counts["fr"], count_de=counts["de"]))
    problems += missing_workshops(slot)
    kinds = {language: kind for language, kind in suggestions.items() if kind}
    if len(set(kinds.values())) > 1:
        problems.append(
            _slot_problem(
                slot,
                "kinds_differ",
                kind_fr=KIND_LABELS[kinds["fr"]],
                kind_de=KIND_LABELS[kinds["de"]],
                kind=KIND_LABELS[slot.kind],
            )
        )
    return problems


def missing_workshops(slot, kind=None):
    """The problem of a slot of the workshops kind — its guessed kind, or ``kind`` as staff chose
    it — that names no workshop (a list, empty when there is none)."""
    if (kind or slot.kind) != "workshops" or slot.workshops:
        return []
    return [_slot_problem(slot, "no_workshops", kind=KIND_LABELS["workshops"], example=WORKSHOPS_EXAMPLE)]


def _short(title, length=60):
    return title if len(title) <= length else title[: length - 1].rstrip() + "…"
