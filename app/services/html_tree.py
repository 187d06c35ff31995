"""A tiny tree of sanitised document HTML (stdlib html.parser), shared by the PDF renderer and the diff."""
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"br", "img"}
BLOCKS = {"p", "h1", "h2", "h3", "h4", "blockquote", "li", "tr"}


@dataclass
class Node:
    tag: str
    attrs: dict = field(default_factory=dict)
    children: list = field(default_factory=list)   # Node or str

    def text(self):
        return "".join(c if isinstance(c, str) else ("\n" if c.tag == "br" else c.text()) for c in self.children)


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(html):
    builder = _Builder()
    builder.feed(html or "")
    builder.close()
    return builder.root


def blocks(html):
    """The text of each block (paragraph, heading, list item, table row), in order, for diffs."""
    out = []

    def walk(node):
        if node.tag in BLOCKS:
            own = Node(node.tag, children=[c for c in node.children if isinstance(c, str) or c.tag not in ("ul", "ol")])
            text = " | ".join(c.text().strip() for c in node.children if isinstance(c, Node)) \
                if node.tag == "tr" else own.text()
            text = " ".join(text.split())
            if text:
                out.append(text)
            for child in node.children:
                if isinstance(child, Node) and child.tag in ("ul", "ol"):
                    walk(child)
            return
        loose = []
        for child in node.children:
            if isinstance(child, str):
                loose.append(child)
            else:
                walk(child)
        text = " ".join("".join(loose).split())
        if text and node.tag == "root":
            out.append(text)

    walk(parse(html))
    return out
