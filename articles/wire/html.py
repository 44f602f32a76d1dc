"""Body copy as ``Block`` objects, from HTML or from plain text.

Every structured format ends here: NITF and NewsML bodies are serialised to
HTML first, ninjs and feeds carry HTML already.  ``html_to_blocks`` runs the
one allow-list (``articles.sanitize.sanitize_html``) and then splits the
result into top-level blocks.

Two wire habits are handled for every format alike: hard-wrapped agency
text inside one ``<p>`` whose paragraphs start with an indent (Reuters,
ANSA), and entities escaped twice (``&amp;#39;`` arriving as "&#39;").
"""

from __future__ import annotations

import html as html_lib
import re
from html.parser import HTMLParser

import nh3

from articles.sanitize import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, sanitize_html

from .base import Block

#: Elements whose content is not body copy: document chrome, the title, media.
#: Images are not imported, and a caption without its picture misleads.
DROP_CONTENT = frozenset(
    "head title script style template iframe object embed noscript header footer nav aside "
    "figure svg math form button select textarea".split()
)
#: Classes agencies use for metadata printed inside the body: TT's "dat"
#: line holds the section vignette and the agency, dpa's slugline the tags.
NON_BODY_CLASSES = frozenset({"dat", "slugline", "genre", "publicationDate"})

_WRAPPERS = {"div", "section", "article", "main", "span", "h1", "h5", "h6", "font", "center"}
_PASS_TAGS = (ALLOWED_TAGS | _WRAPPERS) - DROP_CONTENT
_KINDS = {"p": "p", "li": "p", "h2": "h2", "h3": "h3", "h4": "h3", "blockquote": "blockquote",
          "ul": "ul", "ol": "ol", "table": "table", "pre": "pre"}  # fmt: skip
_VOID = frozenset({"br", "hr", "img", "wbr", "meta", "link", "input", "col", "area", "source"})
_BLOCKISH = frozenset({"p", "li", "tr", "td", "th", "h2", "h3", "h4", "blockquote", "pre", "div"})
_ENTITY = re.compile(r"&(#\d{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});")
_SPACE = re.compile(r"[ \t\n\r\f\v]+")
_BULLET = re.compile(r"^[*•]\s+")


class _Node:
    __slots__ = ("tag", "attrs", "children")

    def __init__(self, tag: str, attrs: list[tuple[str, str | None]] | None = None) -> None:
        self.tag = tag
        self.attrs = attrs or []
        self.children: list[_Node | str] = []


class _TreeBuilder(HTMLParser):
    """A plain tree from HTML that html5ever (inside nh3) has already normalised."""

    def __init__(self, *, unescape_twice: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root")
        self.stack = [self.root]
        self.unescape_twice = unescape_twice

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = _Node(tag, attrs)
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(_Node(tag, attrs))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        if self.unescape_twice:
            data = _ENTITY.sub(lambda m: html_lib.unescape(m.group(0)), data)
        self.stack[-1].children.append(data)


def _tree(markup: str, **options: bool) -> _Node:
    builder = _TreeBuilder(**options)
    builder.feed(markup)
    builder.close()
    return builder.root


def _serialise(nodes: list[_Node | str]) -> str:
    parts = []
    for node in nodes:
        if isinstance(node, str):
            parts.append(html_lib.escape(node, quote=False))
            continue
        attrs = "".join(f' {k}="{html_lib.escape(v or "")}"' for k, v in node.attrs if k != "class")
        if node.tag in _VOID:
            parts.append(f"<{node.tag}{attrs}>")
        else:
            parts.append(f"<{node.tag}{attrs}>{_serialise(node.children)}</{node.tag}>")
    return "".join(parts)


def _prepare(root: _Node) -> None:
    """Drop metadata printed in the body and a leading ``h1`` (the headline,
    already in the metadata); later ``h1`` become ``h2``, ``h5``/``h6`` ``h4``."""
    seen_text = False

    def walk(node: _Node) -> None:
        nonlocal seen_text
        kept: list[_Node | str] = []
        for sub in node.children:
            if isinstance(sub, str):
                seen_text = seen_text or bool(sub.strip())
            else:
                classes = set((dict(sub.attrs).get("class") or "").split())
                if classes & NON_BODY_CLASSES or (sub.tag == "h1" and not seen_text):
                    continue
                sub.tag = {"h1": "h2", "h5": "h4", "h6": "h4"}.get(sub.tag, sub.tag)
                walk(sub)
            kept.append(sub)
        node.children = kept

    walk(root)


#: HTML elements that, escaped as text, mean markup rather than prose.
_HTML_ELEMENTS = (
    "p br div span b i u s em strong small big sup sub a h1 h2 h3 h4 h5 h6 ul ol li dl dt dd blockquote q cite "
    "table thead tbody tfoot tr td th caption pre code tt hr img font center section article figure figcaption "
    "abbr del ins strike script style iframe object embed"
).split()
_ESCAPED_TAG = re.compile(
    r"&lt;(/?(?:{})(?:\s[^<>]*?)?\s*/?)&gt;".format("|".join(sorted(_HTML_ELEMENTS, key=len, reverse=True))),
    re.IGNORECASE,
)


def unescape_tags(markup: str) -> str:
    """``markup`` with HTML tags that arrived escaped as text turned back into tags.

    Some systems escape a story's HTML into an XML body (``&lt;P&gt;``), so
    it would show as a literal "<P>".  Only known HTML element names count,
    once (nothing is unescaped twice), and the result still goes through the
    sanitiser in ``html_to_blocks`` like any other markup.
    """
    return _ESCAPED_TAG.sub(lambda found: "<" + found.group(1).replace("&amp;", "&") + ">", markup)


def html_to_blocks(html: str) -> list[Block]:
    """Sanitised top-level blocks of an HTML fragment or document.

    ``p``, ``h2``-``h4`` (as "h2"/"h3"), ``blockquote``, ``ul``, ``ol``,
    ``table`` and ``pre`` become blocks; loose text between them becomes
    paragraphs (split at a double ``<br>``); empty paragraphs are dropped.
    """
    if not html or not html.strip():
        return []
    markup = nh3.clean(
        html,
        tags=set(_PASS_TAGS),
        clean_content_tags=set(DROP_CONTENT),
        attributes={"*": {"class"}, **ALLOWED_ATTRIBUTES},
        link_rel=None,
        strip_comments=True,
    )
    root = _tree(markup)
    _prepare(root)
    clean = sanitize_html(_serialise(root.children))
    return _split(_tree(clean, unescape_twice=True))


def text_to_blocks(text: str) -> list[Block]:
    """Paragraphs of plain wire text.

    Hard-wrapped agency copy (continuation lines at the margin, paragraphs
    starting with an indent) is split at the indents.  Otherwise blank lines
    separate paragraphs; inside one, lines of at most 80 characters are a
    wrapped paragraph and longer lines are paragraphs of their own.
    """
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    text = _ENTITY.sub(lambda m: html_lib.unescape(m.group(0)), text)
    if _is_wrapped(text):
        return _paragraph_blocks(_split_wrapped(text))
    paragraphs: list[str] = []
    for chunk in re.split(r"\n[ \t]*\n", text):
        lines = [line for line in chunk.split("\n") if line.strip()]
        if not lines:
            continue
        if len(lines) > 1 and max(len(line) for line in lines) <= 80:
            paragraphs.append(_norm(" ".join(lines)))
        else:
            paragraphs.extend(_norm(line) for line in lines)
    return _paragraph_blocks(paragraphs)


# --- splitting ---------------------------------------------------------------


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _text(node: _Node | str) -> str:
    if isinstance(node, str):
        return node
    if node.tag == "br":
        return " "
    inner = "".join(_text(sub) for sub in node.children)
    return f" {inner} " if node.tag in _BLOCKISH else inner


def _raw_text(nodes: list[_Node | str]) -> str | None:
    """Text with ``<br>`` as newlines, or ``None`` if there is other markup."""
    parts = []
    for node in nodes:
        if isinstance(node, str):
            parts.append(node)
        elif node.tag == "br":
            parts.append("\n")
        else:
            return None
    return "".join(parts)


def _is_wrapped(raw: str) -> bool:
    """Hard-wrapped copy: some continuation lines start at the margin and
    some are indented (new paragraphs).  Pretty-printed XML indents all."""
    lines = [line for line in raw.split("\n") if line.strip()][1:]
    return len(lines) >= 2 and any(line[0] in " \t" for line in lines) and any(line[0] not in " \t" for line in lines)


def _split_wrapped(raw: str) -> list[str]:
    paragraphs: list[str] = []
    current: list[str] = []
    for line in raw.split("\n"):
        if current and (not line.strip() or line[0] in " \t"):
            paragraphs.append(_norm(" ".join(current)))
            current = []
        if line.strip():
            current.append(line)
    if current:
        paragraphs.append(_norm(" ".join(current)))
    return [p for p in paragraphs if p]


def _paragraph_blocks(paragraphs: list[str]) -> list[Block]:
    """Plain paragraphs as blocks; a run of "* " bullet lines becomes a list."""
    blocks: list[Block] = []
    for paragraph in paragraphs:
        if not paragraph.strip():
            continue
        if _BULLET.match(paragraph):
            item = _BULLET.sub("", paragraph)
            if blocks and blocks[-1].kind == "ul":
                blocks[-1].text += "\n" + item
                blocks[-1].html += f"<li>{html_lib.escape(item, quote=False)}</li>"
            else:
                blocks.append(Block("ul", item, f"<li>{html_lib.escape(item, quote=False)}</li>"))
        else:
            blocks.append(Block("p", paragraph))
    return blocks


def _split(root: _Node) -> list[Block]:
    blocks: list[Block] = []
    loose: list[_Node | str] = []

    def flush() -> None:
        blocks.extend(_loose_blocks(loose))
        loose.clear()

    for node in root.children:
        kind = None if isinstance(node, str) else _KINDS.get(node.tag)
        if kind:
            flush()
            blocks.extend(_block(kind, node))
        elif isinstance(node, _Node) and node.tag in ("hr", "figure", "figcaption"):
            flush()
        else:
            loose.append(node)
    flush()
    return blocks


def _block(kind: str, node: _Node) -> list[Block]:
    # Sanitised with its own tag: <tr> or <li> alone are not valid HTML fragments.
    outer = sanitize_html(_serialise([node]))
    inner = outer.removeprefix(f"<{node.tag}>").removesuffix(f"</{node.tag}>")
    if kind in ("ul", "ol", "table"):
        inner = re.sub(r">\s+<", "><", inner)
    if kind == "p":
        raw = _raw_text(node.children)
        if raw is not None and _is_wrapped(raw):
            return _paragraph_blocks(_split_wrapped(raw))
        text = _norm(_text(node))
    elif kind in ("ul", "ol"):
        items = [_norm(_text(li)) for li in node.children if isinstance(li, _Node)]
        text = "\n".join(item for item in items if item)
    elif kind == "table":
        rows = [
            " | ".join(c for c in (_norm(_text(cell)) for cell in row.children if isinstance(cell, _Node)) if c)
            for row in _iter(node, "tr")
        ]  # fmt: skip
        text = "\n".join(row for row in rows if row)
    elif kind == "pre":
        lines = [line.rstrip() for line in "".join(_text(n) for n in node.children).split("\n")]
        text = "\n".join(lines).strip("\n")
    else:
        text = _norm(_text(node))
    return [Block(kind, text, inner)] if text.strip() else []


def _iter(node: _Node, tag: str):
    for sub in node.children:
        if isinstance(sub, _Node):
            if sub.tag == tag:
                yield sub
            else:
                yield from _iter(sub, tag)


def _loose_blocks(nodes: list[_Node | str]) -> list[Block]:
    """Paragraphs from inline content outside any block, split at ``<br><br>``."""
    groups: list[list[_Node | str]] = [[]]
    breaks = 0
    for node in nodes:
        if isinstance(node, _Node) and node.tag == "br":
            breaks += 1
            if breaks == 2:
                groups.append([])
                continue
        elif not (isinstance(node, str) and not node.strip()):
            breaks = 0
        groups[-1].append(node)
    blocks: list[Block] = []
    for group in groups:
        while group and isinstance(group[-1], _Node) and group[-1].tag == "br":
            group.pop()
        raw = _raw_text(group)
        if raw is not None and _is_wrapped(raw):
            blocks.extend(_paragraph_blocks(_split_wrapped(raw)))
            continue
        text = _norm("".join(_text(n) for n in group))
        if text.strip():
            html = sanitize_html(re.sub(r"^(\s*<br>)+", "", _serialise(group).strip()))
            blocks.append(Block("p", text, html))
    return blocks
