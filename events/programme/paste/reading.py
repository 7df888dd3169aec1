"""From pasted text to programme rows: which cells are times, which are texts, which lines
belong to which row, and what is left over.

Two ways text arrives:

*Tabular* (the text has tabs): copied from a Word or LibreOffice Writer table, a spreadsheet
or a tab-separated file. Cells are separated by tabs, rows by line breaks. A cell with line
breaks comes either quoted (spreadsheets: ``"…"``, with ``""`` for a quote) or — from a word
processor — unquoted, so that a row spills over several lines: a line that does not begin
with a time continues the last cell of the row above, its further cells continue the row.
Word writes a bullet as ``•`` + tab; that tab is no column.

*Plain* (no tab at all): copied from a PDF, an e-mail or typed. A line beginning with a
time begins a row (``9h30 Accueil des participants``); wide gaps (two spaces or more, as a
PDF viewer keeps columns) separate the columns, so that ``9h30  Accueil  9:30  Empfang`` is
a bilingual row; a line without a time continues the row above (a wrapped line), and in a
bilingual row its pieces go to the French or German text by where they stand on the line.

In both, a blank line ends a row: lines after it that begin no row (the heading, the
interpreting note under the table) are *left out* and reported. A line naming a weekday
("Jeudi 23 novembre", "Donnerstag, 23. November") or a day number ("Jour 2", "2. Tag")
between rows begins a new day of a programme of several days.
"""

import dataclasses
import re

from ..times import split_leading_time

# Characters that start a bullet line, as Word, LibreOffice and PDF viewers copy them
# (U+F0B7 and friends are the Symbol and Wingdings bullets of Word's private-use area).
BULLETS = "•◦▪▫‣·○●■□➢►✓\uf0b7\uf0a7\uf076\uf0d8\uf0fc\uf0a8"

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\v\f\x85]")
_ODD_SPACES = re.compile(r"[\u00a0\u202f\u2007\u2009\u200a\u2002\u2003\u3000]")
_WORD_BULLET_TAB = re.compile(rf"(?m)^([ ]*[{BULLETS}*\-–o]|[ ]*\d{{1,2}}[.)])\t")
_QUOTED_CELL = re.compile(r'"((?:[^"]|"")*)"(?=\t|\n|\Z)')
_PLAIN_CELL = re.compile(r"[^\t\n]*")
_GAP_SEGMENT = re.compile(r"\S+(?: \S+)*")
_WEEKDAYS = (
    "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|"
    "montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonnabend|sonntag"
)
_DAY_HEADING = re.compile(
    rf"[\W_]*(?:(?P<weekday>{_WEEKDAYS})\b|(?:jour|tag|day)\s+\d\b|\d\.?\s*tag\b|\d(?:er|e|ème)\s+jour\b)",
    re.IGNORECASE,
)


@dataclasses.dataclass
class Half:
    """One language's part of a row: the text of its time cell and of its text cell.
    ``wrapped`` tells whether line breaks in ``text`` are a PDF's wrapping (plain text)
    or the cell's own paragraphs (a table)."""

    line: int
    time_text: str = ""
    text: str = ""
    wrapped: bool = False
    offset: int = 0  # where the time stands on its line (plain text with columns)

    @property
    def is_empty(self):
        return not (self.time_text.strip() or self.text.strip())


@dataclasses.dataclass
class Row:
    """A programme row: one half (time | text) or two (French | German in the order
    pasted), with what stood in columns beyond those."""

    line: int
    day: int
    halves: list[Half]
    extra: list[str] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Leftover:
    """Lines that are part of no row."""

    line: int
    end_line: int
    text: str


@dataclasses.dataclass
class Reading:
    rows: list[Row]
    leftovers: list[Leftover]
    columns: int  # 4, 3, 2 (time | text) or 0 when no row was found


def normalise(text):
    """Unify line breaks and spaces, drop invisible characters (zero-width spaces, soft
    hyphens, byte-order marks)."""
    text = _BREAKS.sub("\n", text or "").translate(_INVISIBLE)
    return _ODD_SPACES.sub(" ", text)


def read(text):
    """The rows of ``text`` (already ``normalise``d) and the lines left out."""
    text = _WORD_BULLET_TAB.sub(lambda m: m[1] + " ", text)
    return _read_tabular(text) if "\t" in text else _read_plain(text)


def is_day_heading(text, strict=False):
    """Whether a line names a day: "Jour 2", "2. Tag", or a weekday — followed by a date
    ("Jeudi 23 novembre") when ``strict``, as within a row a lone weekday may be a
    wrapped word of a title."""
    match = _DAY_HEADING.match(text.strip())
    if not match:
        return False
    return not strict or match["weekday"] is None or bool(re.match(r",?\s*\d", text.strip()[match.end() :]))


def looks_like_time(text):
    found = split_leading_time(text)
    return found is not None and not found[1]


class _Collector:
    """Rows, days and left-over lines in the order the reader meets them."""

    def __init__(self):
        self.rows = []  # (line, day, cells) for tables, Row for plain text
        self.leftovers = []
        self.day = 0
        self._rows_in_day = 0
        self._rows_at_last_leftover = None

    def add_row(self, row):
        self.rows.append(row)
        self._rows_in_day += 1

    def leave_out(self, line, text):
        """Lines left out between the same two rows are reported together."""
        if self.leftovers and self._rows_at_last_leftover == len(self.rows):
            last = self.leftovers[-1]
            last.end_line, last.text = line, f"{last.text}\n{text}"
        else:
            self.leftovers.append(Leftover(line, line, text))
        self._rows_at_last_leftover = len(self.rows)

    def new_day(self):
        if self._rows_in_day:
            self.day += 1
            self._rows_in_day = 0


# --- Tables ---------------------------------------------------------------------------------


def _records(text):
    """Lines of cells; a quoted cell may span lines. Yields (line number, [(cell text, line)])."""
    position, line, length = 0, 1, len(text)
    while position <= length:
        first_line, cells = line, []
        while True:
            match = _QUOTED_CELL.match(text, position) if text.startswith('"', position) else None
            if match:
                cells.append((match[1].replace('""', '"'), line))
                line += match[0].count("\n")
            else:
                match = _PLAIN_CELL.match(text, position)
                cells.append((match[0], line))
            position = match.end()
            if position < length and text[position] == "\t":
                position += 1
                continue
            break
        yield first_line, cells
        position += 1  # the line break
        line += 1


def _read_tabular(text):
    found = _Collector()
    current = None  # the cells of the row being read: [[text, line], …]
    for line, cells in _records(text):
        cells = _split_time_cells(cells)
        texts = [cell.strip() for cell, _line in cells]
        if not any(texts):
            current = None
            continue
        starts_row = looks_like_time(texts[0]) or (
            not texts[0] and len(texts) >= 3 and (looks_like_time(texts[1]) or looks_like_time(texts[2]))
        )
        if starts_row:
            current = [[cell, cell_line] for cell, cell_line in cells]
            found.add_row((line, found.day, current))
        elif all(is_day_heading(t, strict=current is not None) for t in texts if t):
            found.new_day()
            current = None
        elif current is not None:
            if looks_like_time(current[-1][0]):  # a time cell goes on with the text cell
                current.extend([cell, cell_line] for cell, cell_line in cells)
            else:
                current[-1][0] += "\n" + cells[0][0]
                current.extend([cell, cell_line] for cell, cell_line in cells[1:])
        else:
            found.leave_out(line, "  ".join(t for t in texts if t))
    width = _table_width(found.rows)
    rows = []
    for line, day, cells in found.rows:
        texts = [cell for cell, _line in cells]
        while texts and not texts[-1].strip():
            texts.pop()
        rows.append(_table_row(line, day, texts, width))
    return Reading(rows, found.leftovers, width)


def _split_time_cells(cells):
    """A cell holding a time and a text ("9h30 Accueil") as two cells."""
    split = []
    for cell, line in cells:
        leading = split_leading_time(cell) if "\n" not in cell else None
        if leading and leading[1]:
            split += [(leading[0], line), (leading[1], line)]
        else:
            split.append((cell, line))
    return split


def _table_width(rows):
    """4 when a row has a time in its third column; 3 when most rows have a third column
    (time | French | German); else 2 (time | text)."""
    cells = [[cell.strip() for cell, _line in row_cells] for _line, _day, row_cells in rows]
    if any(len(c) >= 3 and looks_like_time(c[2]) for c in cells):
        return 4
    if sum(1 for c in cells if len(c) >= 3 and c[2]) > len(cells) / 2:
        return 3
    return 2 if cells else 0


def _table_row(line, day, texts, width):
    texts = texts + [""] * (width - len(texts))
    if width == 4:
        halves = [Half(line, texts[0], texts[1]), Half(line, texts[2], texts[3])]
    elif width == 3:
        halves = [Half(line, texts[0], texts[1]), Half(line, texts[0], texts[2])]
    else:
        halves = [Half(line, texts[0], texts[1])]
    return Row(line, day, halves, extra=[t.strip() for t in texts[width:] if t.strip()])


# --- Plain text -----------------------------------------------------------------------------


def _read_plain(text):
    found = _Collector()
    current = None
    for number, line in enumerate(text.split("\n"), start=1):
        segments = [(m.start(), m[0]) for m in _GAP_SEGMENT.finditer(line)]
        if not segments:
            current = None
            continue
        if split_leading_time(segments[0][1]) is not None:
            current = _plain_row(number, found.day, segments)
            found.add_row(current)
        elif is_day_heading(line, strict=current is not None):
            found.new_day()
            current = None
        elif current is not None:
            _continue_plain_row(current, segments)
        else:
            found.leave_out(number, line.strip())
    width = max((2 * len(row.halves) for row in found.rows), default=0)
    if width == 4:
        for row in found.rows:
            if len(row.halves) == 1:
                row.halves.append(Half(row.line, wrapped=True))
    return Reading(found.rows, found.leftovers, min(width, 4))


def _plain_row(number, day, segments):
    """A row from the pieces of a line between wide gaps: each piece that begins with a
    time begins a half; other pieces belong to the text of the half before them."""
    halves = []
    for offset, piece in segments:
        leading = split_leading_time(piece)
        if leading is not None:
            halves.append(Half(number, leading[0], leading[1], wrapped=True, offset=offset))
        else:
            half = halves[-1]
            half.text = f"{half.text} {piece}".strip()
    extra = [f"{h.time_text} {h.text}".strip() for h in halves[2:]]
    return Row(number, day, halves[:2], extra)


def _continue_plain_row(row, segments):
    """A wrapped line: its pieces go to the half whose column they stand in."""
    if len(row.halves) == 1:
        half = row.halves[0]
        half.text += "\n" + " ".join(piece for _offset, piece in segments)
        return
    second_column = row.halves[1].offset
    for offset, piece in segments:
        half = row.halves[1] if offset >= second_column - 1 else row.halves[0]
        half.text += "\n" + piece
