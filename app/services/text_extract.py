"""Text of a document for the search index: internal HTML, PDF text layer, DOCX/ODT/XLSX/ODS, TXT/CSV.

Never modifies the original bytes. Office files are read from their zip with a streaming XML
parser (bounded: zip-bomb limits, at most MAX_CHARS of text). Images and PDFs without a text
layer come back with `needs_ocr` so the caller can pass them to app/services/ocr.py."""
import logging
import re
import warnings
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from xml.etree import ElementTree

MAX_CHARS = 2_000_000
MAX_PDF_PAGES = 2_000
MIN_CHARS_PER_PAGE = 8         # below this a PDF page is taken for a scan
MAX_XML_BYTES = 200 * 1024 * 1024
BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "blockquote", "table", "td", "th"}
MEDIA_KINDS = {
    "application/pdf": "pdf", "image/png": "image", "image/jpeg": "image", "image/tiff": "image",
    "application/vnd.oasis.opendocument.text": "odt", "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
}
SPACES = re.compile(r"[ \t\r\f\v]+")
LINES = re.compile(r"\n\s*\n+")


@dataclass
class Extracted:
    text: str
    source: str
    needs_ocr: bool = False


def tidy(text):
    text = SPACES.sub(" ", (text or "").replace("\x00", ""))
    return LINES.sub("\n\n", text).strip()[:MAX_CHARS]


class _HTMLText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data)


def html_text(html):
    parser = _HTMLText()
    parser.feed(html or "")
    parser.close()
    return tidy("".join(parser.parts))


def kind_of(media_type):
    media_type = (media_type or "").split(";")[0].strip()
    if media_type.startswith("text/"):
        return "csv" if media_type == "text/csv" else "txt"
    return MEDIA_KINDS.get(media_type)


def extract_file(path, media_type):
    """Extracted text of a stored file, or None when its format has no text (needs_ocr set for scans)."""
    kind = kind_of(media_type)
    if kind == "pdf":
        return pdf_text(path)
    if kind == "image":
        return Extracted("", "ocr", needs_ocr=True)
    if kind in ("docx", "odt", "xlsx", "ods"):
        return Extracted(office_text(path, kind), kind)
    if kind in ("txt", "csv"):
        with open(path, "rb") as f:
            data = f.read(MAX_CHARS * 2)
        return Extracted(tidy(_decode(data)), kind)
    return None


def _decode(data):
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


def pdf_text(path):
    """The PDF's text layer (pypdf); `needs_ocr` when most pages have (almost) no text."""
    import pypdf
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    parts, empty, pages = [], 0, 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reader = pypdf.PdfReader(path, strict=False)
        if reader.is_encrypted:
            try:
                reader.decrypt("")
            except Exception:  # noqa: BLE001 - an encrypted PDF we cannot open has no text for us
                return Extracted("", "pdf")
        total = 0
        for page in reader.pages[:MAX_PDF_PAGES]:
            pages += 1
            try:
                text = page.extract_text() or ""
            except Exception:  # noqa: BLE001 - one broken page must not lose the others
                text = ""
            if len(text.strip()) < MIN_CHARS_PER_PAGE:
                empty += 1
            parts.append(text)
            total += len(text)
            if total > MAX_CHARS:
                break
    return Extracted(tidy("\n\n".join(parts)), "pdf", needs_ocr=pages > 0 and empty * 2 > pages)


# --- office formats: text nodes of the main XML parts, streamed ------------------------------

PARTS = {
    "docx": lambda names: ["word/document.xml"] + sorted(n for n in names if re.match(r"word/(header|footer)\d*\.xml$", n)),
    "odt": lambda names: ["content.xml"],
    "ods": lambda names: ["content.xml"],
    "xlsx": lambda names: ["xl/sharedStrings.xml"] + sorted(n for n in names if re.match(r"xl/worksheets/sheet\d+\.xml$", n)),
}
TEXT_TAGS = {"t"}                       # w:t, a:t (docx), t (xlsx shared/inline strings)
PARA_TAGS = {"p", "h", "tr", "table-row", "si", "row"}
CELL_TAGS = {"tc", "table-cell", "c", "tab"}
ODF_TEXT_NS = ("urn:oasis:names:tc:opendocument:xmlns:text:1.0", "urn:oasis:names:tc:opendocument:xmlns:table:1.0")


def office_text(path, kind):
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        if sum(i.file_size for i in archive.infolist()) > MAX_XML_BYTES:
            raise ValueError("pacote grande demais")
        out, size = [], 0
        for name in PARTS[kind](names):
            if name in names:
                with archive.open(name) as part:
                    for piece in _xml_text(part, odf=kind in ("odt", "ods")):
                        out.append(piece)
                        size += len(piece)
                        if size > MAX_CHARS:
                            return tidy("".join(out))
    return tidy("".join(out))


def _local(tag):
    return tag.rsplit("}", 1)[-1]


def _xml_text(stream, odf):
    """Text pieces in document order; ODF keeps text in element text/tails, OOXML in <t>."""
    for event, element in ElementTree.iterparse(stream, events=("start", "end")):
        name = _local(element.tag)
        if event == "start":
            continue
        if odf:
            namespace = element.tag[1:].split("}", 1)[0] if element.tag.startswith("{") else ""
            if namespace in ODF_TEXT_NS and name in ("p", "h", "span", "a", "s", "table-cell"):
                if name in ("p", "h"):
                    yield "".join(element.itertext()) + "\n"
                    element.clear()
                elif name == "table-cell":
                    yield " "
        else:
            if name in TEXT_TAGS and element.text:
                yield element.text
            elif name == "c":  # an xlsx cell: its <v> is a number (or an index into the shared strings)
                value = next((child.text for child in element if _local(child.tag) == "v"), None)
                if value and element.get("t") not in ("s", "inlineStr"):
                    yield value
                yield " "
                element.clear()
            elif name in CELL_TAGS:
                yield " "
            elif name in PARA_TAGS:
                yield "\n"
                element.clear()
