"""Checking uploaded files by their content (never by their name) before a byte is stored.

`inspect_upload` answers what a file really is, or raises InvalidInput with a Portuguese message:
magic bytes first, then a real parse (pypdf for PDF, Pillow for images, the zip directory for
DOCX/XLSX/ODT/ODS with zip-bomb limits, a decode for TXT/CSV, an XML walk for SVG)."""
import io
import logging
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

from app.services.errors import InvalidInput

# kind: (media type, extensions, label)
KINDS = {
    "pdf": ("application/pdf", (".pdf",), "PDF"),
    "png": ("image/png", (".png",), "PNG"),
    "jpeg": ("image/jpeg", (".jpg", ".jpeg", ".jpe", ".jfif"), "JPEG"),
    "tiff": ("image/tiff", (".tif", ".tiff"), "TIFF"),
    "odt": ("application/vnd.oasis.opendocument.text", (".odt",), "ODT"),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", (".ods",), "ODS"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",), "DOCX"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",), "XLSX"),
    "txt": ("text/plain; charset=utf-8", (".txt", ".text", ".log"), "TXT"),
    "csv": ("text/csv; charset=utf-8", (".csv",), "CSV"),
    "svg": ("image/svg+xml", (".svg",), "SVG"),
}
DOCUMENT_KINDS = ("pdf", "png", "jpeg", "tiff", "odt", "ods", "docx", "xlsx", "txt", "csv")
INLINE_KINDS = {"pdf", "png", "jpeg"}
MAX_FILENAME = 255
MAX_ZIP_ENTRIES = 10_000
MAX_ZIP_TOTAL = 1024 * 1024 * 1024
MAX_ZIP_RATIO = 200
ZIP_RATIO_FLOOR = 10 * 1024 * 1024
HEAD = 8192
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
SVG_FORBIDDEN_TAGS = {"script", "foreignobject", "iframe", "embed", "object", "audio", "video", "handler", "listener"}


@dataclass
class Inspected:
    kind: str
    size: int
    filename: str

    @property
    def media_type(self):
        return KINDS[self.kind][0]

    @property
    def label(self):
        return KINDS[self.kind][2]


def clean_filename(name):
    """The name as sent, or InvalidInput if it is unsafe (path parts, control characters, too long)."""
    name = unicodedata.normalize("NFC", name or "").strip()
    if not name:
        raise InvalidInput("Um dos arquivos veio sem nome.")
    shown = CONTROL.sub("?", name)[:80]
    if CONTROL.search(name):
        raise InvalidInput(f"O nome do arquivo “{shown}” contém caracteres de controle. Renomeie-o e envie de novo.")
    if "/" in name or "\\" in name or name in (".", "..") or name.startswith(".."):
        raise InvalidInput(f"O nome do arquivo “{shown}” contém partes de caminho (/, \\ ou ..). "
                           "Renomeie-o e envie de novo.")
    if len(name) > MAX_FILENAME:
        raise InvalidInput(f"O nome do arquivo “{shown}…” tem {len(name)} caracteres; o máximo é {MAX_FILENAME}. "
                           "Renomeie-o e envie de novo.")
    return name


def _size_of(stream):
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


def sniff(head):
    """The kind told by the first bytes, or None (text files have no magic)."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "tiff"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    return None


def inspect_upload(stream, filename, *, accepted, max_bytes):
    """What the file is by content; InvalidInput (Portuguese) if empty, too big, unknown, broken or not accepted."""
    filename = clean_filename(filename)
    size = _size_of(stream)
    if size == 0:
        raise InvalidInput(f"O arquivo “{filename}” está vazio.")
    if size > max_bytes:
        raise InvalidInput(f"O arquivo “{filename}” tem {_mb(size)}; o máximo permitido é {_mb(max_bytes)}.")
    head = stream.read(HEAD)
    stream.seek(0)
    kind = sniff(head)
    try:
        if kind == "zip":
            kind = _check_zip(stream, filename)
        elif kind is None:
            kind = _text_kind(stream, filename, accepted)
        if kind not in accepted:
            raise InvalidInput(f"O arquivo “{filename}” não é de um tipo aceito ({_labels(accepted)}).")
        _check_extension(filename, kind)
        CHECKS.get(kind, lambda s, n: None)(stream, filename)
    finally:
        stream.seek(0)
    return Inspected(kind=kind, size=size, filename=filename)


def _labels(accepted):
    return ", ".join(KINDS[k][2] for k in accepted if k in KINDS)


def _mb(n):
    return f"{n / (1024 * 1024):.1f} MB".replace(".", ",")


def _check_extension(filename, kind):
    ext = ("." + filename.rsplit(".", 1)[1].lower()) if "." in filename else ""
    known = {e for _, exts, _ in KINDS.values() for e in exts}
    if ext in known and ext not in KINDS[kind][1]:
        raise InvalidInput(f"O conteúdo do arquivo “{filename}” é {KINDS[kind][2]}, mas o nome termina em {ext}. "
                           "Corrija a extensão e envie de novo.")


def _check_pdf(stream, filename):
    import pypdf
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = pypdf.PdfReader(stream, strict=False)
            if reader.is_encrypted:
                return
            if len(reader.pages) < 1:
                raise ValueError("no pages")
            reader.pages[0].mediabox  # noqa: B018 - parse the first page object
    except InvalidInput:
        raise
    except Exception:
        raise InvalidInput(f"O arquivo “{filename}” não é um PDF válido (está corrompido ou incompleto).") from None


def _check_image(stream, filename):
    from PIL import Image
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(stream) as image:
                image.verify()
    except Exception:
        raise InvalidInput(f"O arquivo “{filename}” não é uma imagem válida.") from None


OOXML = {"word/document.xml": "docx", "xl/workbook.xml": "xlsx"}
ODF = {"application/vnd.oasis.opendocument.text": "odt", "application/vnd.oasis.opendocument.spreadsheet": "ods"}


def _check_zip(stream, filename):
    """DOCX/XLSX/ODT/ODS by their zip directory; refuses zip bombs without inflating them."""
    broken = InvalidInput(f"O arquivo “{filename}” está corrompido (o pacote compactado não pôde ser lido).")
    try:
        archive = zipfile.ZipFile(stream)
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise broken from None
    bomb = InvalidInput(f"O arquivo “{filename}” foi recusado: o conteúdo compactado é desproporcional "
                        "(possível “bomba zip”).")
    if len(entries) > MAX_ZIP_ENTRIES or sum(e.file_size for e in entries) > MAX_ZIP_TOTAL:
        raise bomb
    for entry in entries:
        if entry.file_size > ZIP_RATIO_FLOOR and entry.file_size > MAX_ZIP_RATIO * max(entry.compress_size, 1):
            raise bomb
    names = {e.filename for e in entries}
    try:
        if "mimetype" in names:
            kind = ODF.get(_read_small(archive, "mimetype").decode("ascii", "replace").strip())
        elif "[Content_Types].xml" in names:
            _read_small(archive, "[Content_Types].xml")
            kind = next((k for name, k in OOXML.items() if name in names), None)
        else:
            kind = None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, NotImplementedError):
        raise broken from None
    if kind is None:
        raise InvalidInput(f"O arquivo “{filename}” é um pacote compactado (ZIP) que não é DOCX, XLSX, ODT nem ODS.")
    return kind


def _read_small(archive, name, limit=1024 * 1024):
    with archive.open(name) as member:
        data = member.read(limit + 1)
    if len(data) > limit:
        raise ValueError("entry too large")
    return data


def _text_kind(stream, filename, accepted):
    data = stream.read(min(_size_of(stream), 4 * 1024 * 1024))
    refused = InvalidInput(f"O arquivo “{filename}” não é de um tipo aceito ({_labels(accepted)}).")
    if b"\x00" in data:
        raise refused
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start >= len(data) - 3:   # a multi-byte character cut by our read limit
            text = data[:error.start].decode("utf-8")
        else:
            text = data.decode("cp1252", errors="replace")
    start = text.lstrip("\ufeff \t\r\n").lower()
    if start.startswith("<svg") or (start.startswith("<?xml") and "<svg" in start[:2000]):
        return "svg"
    if start.startswith(("<!doctype", "<html", "<head", "<body", "<script", "<?xml", "<iframe")):
        raise refused
    if sum(1 for c in text[:HEAD] if unicodedata.category(c) == "Cc" and c not in "\t\r\n\f") > 8:
        raise refused
    return "csv" if filename.lower().endswith(".csv") else "txt"


def _check_svg(stream, filename):
    stream.seek(0)   # sniffing (_text_kind) has read the stream
    data = stream.read()
    bad = InvalidInput(f"O arquivo “{filename}” não é um SVG aceitável (contém scripts, entidades ou "
                       "referências externas).")
    lowered = data.lower()
    if b"<!doctype" in lowered or b"<!entity" in lowered:
        raise bad
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        raise InvalidInput(f"O arquivo “{filename}” não é um SVG válido.") from None
    if not root.tag.lower().endswith("svg"):
        raise InvalidInput(f"O arquivo “{filename}” não é um SVG válido.")
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1].lower()
        if tag in SVG_FORBIDDEN_TAGS:
            raise bad
        for attr, value in element.attrib.items():
            name = attr.rsplit("}", 1)[-1].lower()
            value = value.strip().lower()
            if name.startswith("on") or (name == "href" and not value.startswith("#")) or "javascript:" in value:
                raise bad
        if tag == "style" and element.text and ("@import" in element.text or "url(" in element.text):
            raise bad


CHECKS = {"pdf": _check_pdf, "png": _check_image, "jpeg": _check_image, "tiff": _check_image, "svg": _check_svg}
