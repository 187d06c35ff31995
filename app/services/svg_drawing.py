"""The órgão's SVG brasão as a ReportLab drawing (svglib): checked before it is stored, drawn in every PDF.

Nothing is ever fetched: uploads refuse scripts, entities and references outside the file, svglib reads
the bytes from memory (no path, so not even a relative file resolves) and never resolves entities. What
is left to check here is what would make the drawing hang or come out empty: `<use>`/`url(#…)` bombs,
deep nesting, no visible shape, a size or proportion that does not fit the letterhead."""
import io
import logging
import re
from functools import lru_cache
from xml.etree import ElementTree

from reportlab.graphics.shapes import Group

from app.services.errors import InvalidInput

MAX_EXPANDED_ELEMENTS = 20_000   # elements after expanding every <use> and url(#…) reference
MAX_DEPTH = 100
MAX_ASPECT = 4                   # width:height (either way) that still fits beside the órgão's name
FORM_NAME = "brasao"
LOCAL_REF = re.compile(r"url\(\s*['\"]?#([^)'\"\s]+)")
OUTSIDE_REF = re.compile(r"url\(\s*['\"]?(?!#)")
log = logging.getLogger(__name__)


class _Refused(Exception):
    pass


def _tag(element):
    return element.tag.rsplit("}", 1)[-1].lower() if isinstance(element.tag, str) else ""


def _references(element):
    """Ids this element pulls in (href="#id", and url(#id) in any attribute or its style)."""
    found = []
    for name, value in element.attrib.items():
        if name.rsplit("}", 1)[-1] == "href" and value.strip().startswith("#"):
            found.append(value.strip()[1:])
        found += LOCAL_REF.findall(value)
    return found


def _expanded_size(root):
    """How many elements the drawing has once every reference is expanded; _Refused on cycles or excess."""
    ids = {element.get("id"): element for element in root.iter() if element.get("id")}
    sizes, visiting = {}, set()

    def size(element, depth):
        key = id(element)
        if key in sizes:
            return sizes[key]
        if key in visiting or depth > MAX_DEPTH:
            raise _Refused("tem referências circulares ou aninhamento profundo demais")
        if any(OUTSIDE_REF.search(value) for value in element.attrib.values()):
            raise _Refused("faz referência a arquivos de fora dele")
        visiting.add(key)
        total = 1 + sum(size(child, depth + 1) for child in element)
        total += sum(size(ids[ref], depth + 1) for ref in _references(element) if ref in ids)
        visiting.discard(key)
        if total > MAX_EXPANDED_ELEMENTS:
            raise _Refused("é complexo demais (elementos repetidos demais)")
        sizes[key] = total
        return total

    return size(root, 0)


def _has_shape(node):
    if isinstance(node, Group):
        return any(_has_shape(child) for child in node.contents)
    return True


def _convert(data):
    """The svglib drawing, after the checks that keep the conversion bounded; _Refused or svglib's errors."""
    from svglib.svglib import svg2rlg
    lowered = data.lower()
    if b"<!doctype" in lowered or b"<!entity" in lowered:
        raise _Refused("declara entidades ou DOCTYPE")
    _expanded_size(ElementTree.fromstring(data))
    return svg2rlg(io.BytesIO(data), resolve_entities=False)


def check_brasao_svg(data, filename):
    """InvalidInput (Portuguese) unless the SVG draws a visible brasão of a usable shape without risk."""
    def refuse(reason):
        return InvalidInput(f"O brasão “{filename}” não pode ser usado: o SVG {reason}. Envie outro SVG ou um PNG.",
                            "brasao")
    try:
        drawing = _convert(data)
    except _Refused as error:
        raise refuse(str(error)) from None
    except Exception:  # noqa: BLE001 - svglib/lxml failures of any kind mean "cannot be drawn"
        log.info("brasão SVG recusado: svglib não o converteu", exc_info=True)
        raise refuse("não pôde ser desenhado") from None
    if drawing is None or not _has_shape(drawing):
        raise refuse("não tem nenhum desenho visível")
    width, height = float(drawing.width or 0), float(drawing.height or 0)
    if not (width > 0 and height > 0) or width > 1e5 or height > 1e5:
        raise refuse("não informa um tamanho utilizável (width/height ou viewBox)")
    if max(width / height, height / width) > MAX_ASPECT:
        raise refuse(f"é alongado demais ({width:.0f}×{height:.0f}); use uma proporção de até {MAX_ASPECT}:1")
    return drawing


@lru_cache(maxsize=8)
def drawing_for(data):
    """The drawing of a stored (already checked) SVG brasão, or None if it cannot be drawn; cached, never changed."""
    try:
        drawing = _convert(data)
    except Exception:  # noqa: BLE001 - a PDF without its brasão beats no PDF
        log.warning("brasão SVG não pôde ser desenhado no PDF", exc_info=True)
        return None
    if drawing is None or not (float(drawing.width or 0) > 0 and float(drawing.height or 0) > 0):
        return None
    return drawing


def draw_brasao(canvas, data, x, y, height):
    """The SVG brasão at (x, y), `height` tall, on a reportlab canvas; its width (0: not drawn).
    Drawn once per file as a form XObject that every page reuses."""
    from reportlab.graphics import renderPDF
    drawing = drawing_for(data)
    if drawing is None:
        return 0
    scale = height / float(drawing.height)
    width = float(drawing.width) * scale
    if not canvas.hasForm(FORM_NAME):
        canvas.beginForm(FORM_NAME, 0, 0, width, height)
        canvas.scale(scale, scale)
        renderPDF.draw(drawing, canvas, 0, 0)
        canvas.endForm()
    canvas.saveState()
    canvas.translate(x, y)
    canvas.doForm(FORM_NAME)
    canvas.restoreState()
    return width
