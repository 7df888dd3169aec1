"""Minimal, valid, tagged PDF documents (one page of text, a structure tree, the document's
language and title): the demo's programme and minutes, and the tests' samples."""


def _latin1(text):
    """Text in the standard fonts' encoding (WinAnsi covers German and French letters)."""
    return (
        text.replace("\u202f", " ")
        .replace("\u00a0", " ")
        .replace("’", "'")
        .replace("–", "-")
        .encode("cp1252", "replace")
    )


def tagged_pdf(title, lines, language, tagged=True, extra_catalog=b""):
    """A one-page PDF showing ``lines``; ``tagged=False`` leaves out the structure, the language
    and the title (a document that fails the accessibility check). ``extra_catalog`` adds raw
    entries to the catalog (the tests' JavaScript)."""
    text = b"BT /F1 12 Tf 56 780 Td 16 TL "
    if tagged:
        text = b"/P <</MCID 0>> BDC " + text
    for line in lines:
        text += b"(" + _escape_bytes(_latin1(line)) + b") Tj T* "
    text += b"ET"
    if tagged:
        text += b" EMC"
    catalog = b"<< /Type /Catalog /Pages 2 0 R"
    if tagged:
        catalog += b" /MarkInfo << /Marked true >> /StructTreeRoot 6 0 R /Lang (" + language.encode() + b")"
    catalog += extra_catalog + b" >>"
    objects = [
        catalog,
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> /StructParents 0 >>",
        b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /StructTreeRoot /K 7 0 R /ParentTree 8 0 R >>",
        b"<< /Type /StructElem /S /P /P 6 0 R /Pg 3 0 R /K 0 >>",
        b"<< /Nums [0 [7 0 R]] >>",
        (b"<< /Title (" + _escape_bytes(_latin1(title)) + b") >>") if tagged else b"<< /Producer (QuattroPole) >>",
    ]
    out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 9 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


def _escape_bytes(data):
    return data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
