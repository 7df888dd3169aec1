"""The example the paste page shows: the invitation's table as it is written, with a slot naming
its speakers and one listing its workshops, in French and German. tests/test_programme_paste.py
reads it with the parser, so the page never shows a form the parser reads otherwise. The French
is written as French is typed well (a no-break space before ";" and ":"); the parser reads the
ordinary space too."""

# French time | French text | German time | German text; a line break is a new line in the cell.
ROWS = (
    ("9h30", "Accueil des participants", "9:30 Uhr", "Empfang der Teilnehmer"),
    (
        "10h",
        "L’Europe au quotidien\nMarie Dupont, Chercheuse, Université de Lorraine\u00a0; Jan Weber, Ville de Trèves",
        "10:00 Uhr",
        "Europa im Alltag\nMarie Dupont, Forscherin, Universität Lothringen; Jan Weber, Stadt Trier",
    ),
    ("11h", "Ateliers\u00a0: Mobilité\u00a0; Culture", "11:00 Uhr", "Arbeitsgruppen: Mobilität; Kultur"),
)


def as_pasted():
    """The example as a spreadsheet copies it: cells separated by tabs, a cell of several lines
    in quotes."""

    def cell(text):
        return f'"{text}"' if "\n" in text else text

    return "\n".join("\t".join(cell(text) for text in row) for row in ROWS)
