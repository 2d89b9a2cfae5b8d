"""Small PDFs for the ingest tests, written with pypdf alone (no reportlab).

A page is a list of `Text` lines placed at absolute positions in one of the
standard Helvetica faces, which every PDF reader knows without embedding.
"""
from __future__ import annotations

import io
from dataclasses import dataclass

from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject, NumberObject

PAGE_WIDTH, PAGE_HEIGHT = 595, 842
_FACES = {"regular": "Helvetica", "bold": "Helvetica-Bold", "italic": "Helvetica-Oblique"}


@dataclass(frozen=True)
class Text:
    y: float
    size: float
    text: str
    face: str = "regular"
    x: float = 57


def make_pdf(pages: list[list[Text]], title: str | None = None, password: str | None = None,
             scanned: tuple[int, ...] = (), bookmarks: tuple[tuple[str, int, int], ...] = ()) -> bytes:
    """A PDF of the pages; pages whose (0-based) index is in `scanned` show only an image.

    `bookmarks`: (title, 0-based page, level) in order, level 1 outermost.
    """
    writer = PdfWriter()
    fonts = DictionaryObject({
        NameObject(f"/{face}"): DictionaryObject({
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject(f"/{name}"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        })
        for face, name in _FACES.items()
    })
    for index, lines in enumerate(pages):
        page = writer.add_blank_page(PAGE_WIDTH, PAGE_HEIGHT)
        resources = {NameObject("/Font"): fonts}
        stream = DecodedStreamObject()
        if index in scanned:
            resources[NameObject("/XObject")] = DictionaryObject({NameObject("/Scan"): writer._add_object(_image())})
            stream.set_data(b"q 500 0 0 700 50 70 cm /Scan Do Q")
        else:
            stream.set_data(b"\n".join(_show(line) for line in lines))
        page[NameObject("/Resources")] = DictionaryObject(resources)
        page.replace_contents(stream)
    parents: dict[int, object] = {}
    for name, page_index, level in bookmarks:
        parents[level] = writer.add_outline_item(title=name, page_number=page_index, parent=parents.get(level - 1))
    if title:
        writer.add_metadata({"/Title": title})
    if password:
        writer.encrypt(password, algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _image() -> DecodedStreamObject:
    """A 2×2 grey image: what a scanned page is to a PDF reader."""
    image = DecodedStreamObject()
    image.set_data(bytes([40, 200, 200, 40]))
    image.update({
        NameObject("/Type"): NameObject("/XObject"),
        NameObject("/Subtype"): NameObject("/Image"),
        NameObject("/Width"): NumberObject(2),
        NameObject("/Height"): NumberObject(2),
        NameObject("/ColorSpace"): NameObject("/DeviceGray"),
        NameObject("/BitsPerComponent"): NumberObject(8),
    })
    return image


def _show(line: Text) -> bytes:
    literal = line.text.encode("cp1252").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    return b"BT /%s %g Tf 1 0 0 1 %g %g Tm (%s) Tj ET" % (line.face.encode(), line.size, line.x, line.y, literal)


def body(y: float, *lines: str, size: float = 10, leading: float = 13) -> list[Text]:
    """Lines of one paragraph, top line at y."""
    return [Text(y - i * leading, size, line) for i, line in enumerate(lines)]


HEADER = "Testrapport 2030"


def furniture(number: int, chapter: str | None = None) -> list[Text]:
    """Running header (report title, maybe chapter name beside it) and page number."""
    lines = [Text(810, 7, HEADER), Text(30, 7, str(number), x=290)]
    return lines + ([Text(810, 7, chapter, x=420)] if chapter else [])


def sample_report() -> list[list[Text]]:
    """Five pages printed as 11-15: contents, two chapters, photo, list, page-broken paragraph."""
    return [
        [*furniture(11), Text(720, 18, "Innehåll", "bold"),
         Text(690, 9, "Kapitel ett . . . 12"), Text(678, 9, "Bakgrund . . . 12"),
         Text(666, 9, "Kapitel två . . . 14"), Text(654, 9, "Samverkan . . . 15")],
        [*furniture(12), Text(720, 18, "Kapitel ett", "bold"), Text(690, 13, "Bakgrund", "bold"),
         Text(665, 10, "Första delen", "bold"),
         *body(650, "Rapporten beskriver läget i länet. Förslaget från EU-",
               "kommissionen gäller hälso-", "och sjukvård i hela länet."),
         *body(130, "Det gångna året har präglats av stora", "omställningar. Det är ut-")],
        [*furniture(13, "Kapitel ett"), Text(700, 8, "Foto: Anna Andersson", "italic"),
         Text(688, 10, "Älven i kvällsljus", "bold"),
         *body(650, "maningar som byggts upp under lång tid."),
         *body(620, "Samarbetet med NSPA-", "regionerna fortsätter.")],
        [*furniture(14, "Kapitel ett"), Text(720, 18, "Kapitel två", "bold"), Text(690, 13, "Bakgrund", "bold"),
         *body(665, "Tre inriktningar styr arbetet:"),
         Text(645, 10, "•"), Text(645, 10, "Sammanhållen region", x=68),
         Text(632, 10, "•"), Text(632, 10, "Jämlik inkludering", x=68),
         Text(600, 10, "Exempel på aktiviteter", "bold"), Text(580, 10, "Länsträffen", "bold"),
         *body(565, "Länsträffen samlar kommunerna två gånger per år.")],
        [*furniture(15, "Kapitel två"), Text(720, 13, "Samverkan", "bold"),
         *body(690, "Region Västerbotten samverkar med länets kommuner.")],
    ]
