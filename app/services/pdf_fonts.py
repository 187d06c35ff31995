"""The fonts and paragraph styles of the PDFs: an embedded TrueType family (DejaVu Sans, else Liberation Sans)
prints every character a clerk pastes (≥ ≤ → ✓ − α); without one, ReportLab's Helvetica (WinAnsi only).

ReportLab embeds only the glyphs a document uses (subsets), so a PDF grows by tens of KB, not by the font."""
import logging
import os
from html import unescape
from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

log = logging.getLogger(__name__)

# Debian/Ubuntu (fonts-dejavu-core, fonts-liberation), Fedora/RHEL, Arch, Alpine.
FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/truetype/liberation",
             "/usr/share/fonts/truetype/liberation2", "/usr/share/fonts/dejavu-sans-fonts",
             "/usr/share/fonts/liberation-sans", "/usr/share/fonts/liberation-sans-fonts", "/usr/share/fonts/TTF",
             "/usr/share/fonts/dejavu", "/usr/share/fonts/liberation")
# family → its four faces: regular, bold, italic, bold italic (file names)
TRUETYPE = {
    "dejavu": ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf", "DejaVuSans-BoldOblique.ttf"),
    "liberation": ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf", "LiberationSans-Italic.ttf",
                   "LiberationSans-BoldItalic.ttf"),
}
PREFERRED = ("dejavu", "liberation")
ALIGN = {"al-left": TA_LEFT, "al-center": TA_CENTER, "al-right": TA_RIGHT, "al-justify": TA_JUSTIFY}
HEADINGS = {"h1": 16, "h2": 14, "h3": 12.5, "h4": 11.5}


@dataclass(frozen=True)
class FontFamily:
    key: str            # "helvetica", "dejavu", "liberation"
    regular: str        # ReportLab font names
    bold: str
    italic: str
    bold_italic: str


HELVETICA = FontFamily("helvetica", "Helvetica", "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique")


def _find(filename):
    return next((os.path.join(d, filename) for d in FONT_DIRS if os.path.isfile(os.path.join(d, filename))), None)


@lru_cache(maxsize=None)
def family(key):
    """The font family `key`, registered with ReportLab once per process; None when its files are missing."""
    if key == "helvetica":
        return HELVETICA
    paths = [_find(name) for name in TRUETYPE.get(key, ())]
    if not paths or None in paths:
        return None
    names = [os.path.splitext(os.path.basename(p))[0] for p in paths]
    try:
        for name, path in zip(names, paths):
            pdfmetrics.registerFont(TTFont(name, path))
    except Exception:  # noqa: BLE001 - a broken font file: the next family, or Helvetica
        log.warning("PDF: fonte %s ilegível (%s); usando outra", key, paths[0], exc_info=True)
        return None
    pdfmetrics.registerFontFamily(names[0], normal=names[0], bold=names[1], italic=names[2], boldItalic=names[3])
    return FontFamily(key, *names)


@lru_cache(maxsize=1)
def default_family():
    """The family new PDFs use: the first TrueType family installed, else Helvetica (said once in the log)."""
    found = next((f for f in map(family, PREFERRED) if f is not None), None)
    if found is None:
        log.warning("PDF: nenhuma fonte TrueType (instale fonts-dejavu-core); usando Helvetica, sem símbolos "
                    "como ≥ → ✓")
    return found or HELVETICA


def family_for(*texts):
    """Helvetica when every character of `texts` is in WinAnsi (nearly every Portuguese document): it needs no
    embedding, so the PDF stays ~15 KB instead of ~57 KB for slow links; else the installed TrueType family."""
    try:
        for text in texts:
            unescape(text or "").encode("cp1252")
    except UnicodeEncodeError:
        return default_family()
    return HELVETICA


def family_or_default(key):
    """The family `key` if installed here, else the default (a frozen document keeps its font when it can)."""
    return family(key) or default_family()


@lru_cache(maxsize=8)
def styles_for(fonts):
    """The paragraph styles of the document body, tables, lists and signature footers in `fonts`."""
    base = ParagraphStyle("body", fontName=fonts.regular, fontSize=11, leading=14.5, spaceAfter=6)
    styles = {"p": base, "cell": ParagraphStyle("cell", parent=base, fontSize=10, leading=12.5, spaceAfter=0),
              "th": ParagraphStyle("th", parent=base, fontName=fonts.bold, fontSize=10, leading=12.5, spaceAfter=0),
              "blockquote": ParagraphStyle("bq", parent=base, leftIndent=1.2 * cm, rightIndent=0.6 * cm),
              "li": ParagraphStyle("li", parent=base, spaceAfter=2),
              "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=10.5, spaceAfter=0),
              "sign": ParagraphStyle("sign", parent=base, fontSize=9, leading=11.5, spaceAfter=0)}
    for tag, size in HEADINGS.items():
        styles[tag] = ParagraphStyle(tag, parent=base, fontName=fonts.bold, fontSize=size, leading=size * 1.3,
                                     spaceBefore=6, spaceAfter=6)
    return styles


@lru_cache(maxsize=256)
def aligned(fonts, tag, align):
    return ParagraphStyle(f"{tag}-{align}", parent=styles_for(fonts)[tag], alignment=ALIGN[align])
