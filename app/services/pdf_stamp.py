"""PDF pieces of the process export: the cover (reportlab), the "fl. N" stamps, images to PDF."""
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.pdfgen import canvas as pdf_canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.models import ACCESS_LABELS
from app.models.base import utcnow

BRASILIA = ZoneInfo("America/Sao_Paulo")
STAMP_FONT, STAMP_SIZE, STAMP_MARGIN = "Helvetica", 8, 14


def page_count(path):
    import pikepdf
    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


def image_to_pdf(source, target):
    """An image (every page of a TIFF) as a PDF file, one page per frame, at its own resolution."""
    from PIL import Image, ImageSequence
    with Image.open(source) as image:
        dpi = image.info.get("dpi", (150, 150))[0] or 150
        frames = [frame.convert("RGB") if frame.mode not in ("RGB", "L") else frame.copy()
                  for frame in ImageSequence.Iterator(image)]
        frames[0].save(target, "PDF", resolution=float(dpi), save_all=True, append_images=frames[1:])


def stamp_text(number, folha):
    return f"Processo nº {number} — fl. {folha}"


def write_stamps(output, number, path):
    """One overlay page per page of `output` (same size), with the stamp upright at the visible top right."""
    stamps = pdf_canvas.Canvas(path, invariant=1)
    for index, page in enumerate(output.pages, start=1):
        x0, y0, x1, y1 = (float(v) for v in page.mediabox)
        width, height = x1 - x0, y1 - y0
        rotate = int(page.obj.get("/Rotate", 0)) % 360
        stamps.setPageSize((width, height))
        stamps.setFont(STAMP_FONT, STAMP_SIZE)
        stamps.setFillColor(colors.HexColor("#1f4e79"))
        text = stamp_text(number, index)
        if rotate in (90, 180, 270):  # the viewer turns the page: turn the stamp back, top right as seen
            origin = {90: (STAMP_MARGIN, height - STAMP_MARGIN), 180: (STAMP_MARGIN, STAMP_MARGIN),
                      270: (width - STAMP_MARGIN, STAMP_MARGIN)}[rotate]
            stamps.translate(*origin)
            stamps.rotate({90: 90, 180: 180, 270: -90}[rotate])
            stamps.drawRightString(0, 0, text)
        else:
            stamps.drawRightString(width - STAMP_MARGIN, height - STAMP_MARGIN, text)
        stamps.showPage()
    stamps.save()


# --- the cover ---------------------------------------------------------------------------------

def _cover_story(process, parts, by, unit):
    styles = getSampleStyleSheet()
    now = utcnow().astimezone(BRASILIA)
    facts = [("Tipo", process.type.name), ("Especificação", process.specification),
             ("Interessados", ", ".join(i.contact.name for i in process.interested) or "—"),
             ("Nível de acesso", ACCESS_LABELS.get(process.access_level, process.access_level)),
             ("Unidade geradora", process.generating_unit.sigla),
             ("Gerado em", f"{now:%d/%m/%Y %H:%M}, por {by.name} ({unit.sigla})")]
    story = [Paragraph(escape(process.generating_unit.organization.name), styles["Normal"]),
             Paragraph(f"Processo nº {escape(process.number)}", styles["Title"])]
    story.append(Table([[Paragraph(f"<b>{k}</b>", styles["Normal"]), Paragraph(escape(v), styles["Normal"])]
                        for k, v in facts], colWidths=[4 * cm, 13 * cm]))
    story += [Spacer(1, 0.5 * cm), Paragraph("Documentos", styles["Heading2"])]
    rows = [["Nº SEI", "Documento", "Data", "Folhas"]]
    for part in parts:
        d = part.document
        when = (d.document_date or d.created_at.astimezone(BRASILIA)).strftime("%d/%m/%Y")
        where = (f"{part.first_page}" if part.pages == 1 else f"{part.first_page}–{part.first_page + part.pages - 1}") \
            if part.path else part.note
        rows.append([d.sei, Paragraph(escape(d.tree_label), styles["Normal"]), when,
                     Paragraph(escape(where), styles["Normal"])])
    table = Table(rows, colWidths=[2.2 * cm, 9.3 * cm, 2.3 * cm, 3.2 * cm], repeatRows=1)
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.grey)]))
    story.append(table)
    return story


def write_cover(process, parts, path, *, by, unit):
    """Write the cover; its own length decides the first folha of each document (so two passes at most)."""
    assumed = 1
    for _ in range(5):
        page = assumed
        for part in parts:
            if part.path:
                part.first_page, page = page + 1, page + part.pages
        doc = SimpleDocTemplate(path, pagesize=A4, title=f"Processo nº {process.number}", invariant=1,
                                leftMargin=2 * cm, rightMargin=2 * cm, topMargin=2 * cm, bottomMargin=2 * cm)
        doc.build(_cover_story(process, parts, by, unit))
        actual = page_count(path)
        if actual == assumed:
            return actual
        assumed = actual
    return assumed
