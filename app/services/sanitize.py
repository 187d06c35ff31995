"""The server-side allow-list for document HTML (nh3/ammonia): every save passes through clean_html."""
import re

import nh3

from app.services.errors import InvalidInput

BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "blockquote", "li", "td", "th"}
ALIGN_CLASSES = {"al-left", "al-center", "al-right", "al-justify"}
TAGS = {"p", "br", "strong", "b", "em", "i", "u", "s", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th",
        "td", "h1", "h2", "h3", "h4", "blockquote", "a", "img"}
ATTRIBUTES = {"a": {"href"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}, "img": {"src", "alt"},
              "ol": {"start"}}
# Images only from our own storage (an image document's bytes, by SHA-256); an <img> without one goes.
IMAGE_SRC = re.compile(r"^/documentos/imagens/[0-9a-f]{64}$")
IMG_WITHOUT_SRC = re.compile(r'<img(?![^>]*\ssrc=")[^>]*>')
LINK_HREF = re.compile(r"^(https?://[^\s\"'<>]+|mailto:[^\s\"'<>]+)$", re.IGNORECASE)
MAX_HTML_CHARS = 2_000_000


def _attribute_filter(tag, attribute, value):
    if attribute == "href":
        return value if LINK_HREF.match(value.strip()) else None
    if attribute == "src":
        return value if IMAGE_SRC.match(value) else None
    if attribute == "alt":      # no "<" or ">" inside a kept tag, so IMG_WITHOUT_SRC reads tags safely
        return value.replace("<", "").replace(">", "")[:300]
    if attribute in ("colspan", "rowspan", "start"):
        return value if value.isdecimal() and 0 < int(value) <= 100 else None
    if attribute == "class":
        kept = [c for c in value.split() if c in ALIGN_CLASSES]
        return kept[0] if kept else None
    return value


_cleaner = nh3.Cleaner(
    tags=TAGS, attributes=ATTRIBUTES, attribute_filter=_attribute_filter, strip_comments=True,
    link_rel="noopener noreferrer nofollow", url_schemes={"http", "https", "mailto"},
    allowed_classes={tag: ALIGN_CLASSES for tag in BLOCK_TAGS},
    clean_content_tags={"script", "style", "title", "noscript", "template", "iframe", "object", "textarea",
                        "select", "xmp", "noembed", "noframes", "svg", "math"},
)


def clean_html(html):
    """Sanitise editor HTML with the allow-list; raises InvalidInput for text too large to store."""
    html = html or ""
    if len(html) > MAX_HTML_CHARS:
        raise InvalidInput("O texto é grande demais (máximo de 2 milhões de caracteres). Divida-o em mais de um "
                           "documento.", "html")
    html = html.replace("\x00", "")
    return IMG_WITHOUT_SRC.sub("", _cleaner.clean(html)).strip()
