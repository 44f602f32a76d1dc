"""Safe XML reading shared by the NITF, NewsML and feed parsers.

Wire XML comes from outside, so it is parsed with defusedxml: entity
declarations (billion laughs, XXE) and external references are refused.
A DOCTYPE that only names a DTD is allowed (IPTC's own NITF samples carry
one) because expat never fetches it.

Elements are matched by local name everywhere: agencies send the same
vocabulary with a default namespace, with ``ns0:`` prefixes, or with none.
"""

from __future__ import annotations

import codecs
import html
import re
from collections.abc import Iterator
from html.entities import html5
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException, EntitiesForbidden

from .base import WireError


class MalformedXML(WireError):
    """The bytes are not well-formed XML (as opposed to refused for safety)."""


_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*\?>", re.S)
_ENCODING = re.compile(rb"""encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_LATIN = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "us-ascii", "ascii", "cp1252"}
# C0 controls are not allowed in XML 1.0; wire systems still leak them.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def decode_xml(raw: bytes) -> tuple[str, list[str]]:
    """Text of an XML document and warnings about how it was decoded.

    The declared encoding is trusted unless the bytes prove it wrong: a
    latin-1 declaration over valid multi-byte UTF-8 (AFP does this) is read
    as UTF-8, and invalid UTF-8 is read as windows-1252.  The declaration is
    removed so the parser cannot second-guess the decision.
    """
    warnings: list[str] = []
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                       (codecs.BOM_UTF16_BE, "utf-16-be")):  # fmt: skip
        if raw.startswith(bom):
            return _strip_declaration(raw[len(bom) :].decode(codec, "replace")), warnings
    declaration = _DECLARATION.match(raw)
    found = _ENCODING.search(declaration.group(0)) if declaration else None
    declared = found.group(1).decode("ascii").lower() if found else "utf-8"
    try:
        codecs.lookup(declared)
    except LookupError:
        warnings.append(f"unknown declared encoding {declared!r}; read as UTF-8")
        declared = "utf-8"
    text = None
    if declared in _LATIN and not raw.isascii():
        try:
            text = raw.decode("utf-8")
            warnings.append(f"declared encoding {declared} but content is UTF-8; read as UTF-8")
        except UnicodeDecodeError:
            pass
    if text is None:
        try:
            text = raw.decode(declared)
        except UnicodeDecodeError:
            warnings.append(f"content is not valid {declared}; read as windows-1252")
            text = raw.decode("cp1252", "replace")
    return _strip_declaration(text), warnings


def _strip_declaration(text: str) -> str:
    return re.sub(r"^\s*<\?xml[^>]*\?>", "", text, count=1)


# Names some publishing systems use that HTML does not define.
_EXTRA_ENTITIES = {"endash": "\u2013", "emdash": "\u2014"}
_PREDEFINED = frozenset({"amp", "lt", "gt", "quot", "apos"})
# CDATA and comments hold no references; a DOCTYPE may declare its own (refused later).
_REFERENCE = re.compile(r"<!\[CDATA\[.*?\]\]>|<!--.*?-->|<!DOCTYPE[^\[>]*\[.*?\]\s*>|&([A-Za-z_][\w.-]*);", re.S)


def resolve_entities(text: str) -> tuple[str, list[str]]:
    """``text`` with named entity references XML does not predefine replaced.

    Wire XML uses HTML names (``&nbsp;``, ``&eacute;``) and house ones
    (``&endash;``) without a DTD to define them, which makes expat refuse the
    whole file.  Known HTML names become numeric references; unknown ones are
    dropped, leaving the text around them.  A document that declares its own
    entities keeps them, and is refused for safety by ``parse_xml``.
    """
    unknown: list[str] = []

    def replace(found: re.Match[str]) -> str:
        name = found.group(1)
        if name is None or name in _PREDEFINED:
            return found.group(0)
        value = _EXTRA_ENTITIES.get(name) or html5.get(name + ";") or html5.get(name.lower() + ";")
        if value is None:
            unknown.append(name)
            return ""
        return "".join(f"&#{ord(char)};" for char in value)

    if "<!ENTITY" in text:
        return text, []
    text = _REFERENCE.sub(replace, text)
    warnings = [f"dropped unknown entities: {', '.join(sorted(set(unknown)))}"] if unknown else []
    return text, warnings


def parse_xml(raw: bytes) -> tuple[Element, list[str]]:
    """The root element of ``raw`` and decoding warnings; ``WireError`` if unsafe or broken."""
    text, warnings = decode_xml(raw)
    text, entity_warnings = resolve_entities(text)
    warnings += entity_warnings
    text, removed = _CONTROLS.subn("", text)
    if removed:
        warnings.append(f"removed {removed} control character(s) not allowed in XML")
    try:
        try:
            root = _safe_parse(text)
        except ParseError as error:
            if "unbound prefix" not in str(error) or not (declared := _declare_prefixes(text)):
                raise
            text, prefixes = declared
            warnings.append(f"declared namespace prefixes the document uses without declaring: {', '.join(prefixes)}")
            root = _safe_parse(text)
    except EntitiesForbidden as error:
        raise WireError(f"XML declares entities (refused for safety): {error.name}") from None
    except DefusedXmlException as error:
        raise WireError(f"XML refers to external resources (refused for safety): {error}") from None
    except ParseError as error:
        raise MalformedXML(f"malformed XML: {error}") from None
    return root, warnings


def _safe_parse(text: str) -> Element:
    return SafeET.fromstring(text, forbid_dtd=False, forbid_entities=True, forbid_external=True)


_PREFIX_USE = re.compile(r"</?([A-Za-z_][\w.-]*):[A-Za-z_]|\s([A-Za-z_][\w.-]*):[A-Za-z_][\w.-]*\s*=")
_ROOT_TAG = re.compile(r"^(\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>|\s)*<[A-Za-z_][\w.:-]*)", re.S)


def _declare_prefixes(text: str) -> tuple[str, list[str]] | None:
    """``text`` with the namespace prefixes it uses but never declares declared
    on the root element, or None when none is missing.

    A newsItem cut out of a newsMessage loses the declarations its parent
    carried (``rtr:``, ``x:``); elements are matched by local name anyway.
    """
    used = {a or b for a, b in _PREFIX_USE.findall(text)} - {"xml", "xmlns"}
    missing = sorted(p for p in used if not re.search(rf"xmlns:{re.escape(p)}\s*=", text))
    root = _ROOT_TAG.match(text)
    if not missing or not root:
        return None
    declarations = "".join(f' xmlns:{p}="urn:undeclared:{p}"' for p in missing)
    return text[: root.end()] + declarations + text[root.end() :], missing


def root_name(raw: bytes) -> str:
    """Local name of the first element, found without parsing the document.

    Skips a BOM, the XML declaration, comments, processing instructions and
    a DOCTYPE; returns "" when the bytes do not start like XML.  Never raises.
    """
    head = raw[:65536]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        head = head.decode("utf-16", "replace").encode("utf-8", "replace")
    text = head.decode("latin-1").lstrip("\ufeff\xef\xbb\xbf \t\r\n")
    skip = re.compile(r"\s*(<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(\[.*?\])?\s*>)", re.S | re.I)
    while match := skip.match(text):
        text = text[match.end() :]
    match = re.match(r"\s*<([A-Za-z_][\w.:-]*)", text)
    return match.group(1).rpartition(":")[2] if match else ""


# --- navigating by local name ------------------------------------------------


def local(tag: object) -> str:
    """ "{namespace}name" or "prefix:name" -> "name"; "" for comments and PIs."""
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2].rpartition(":")[2]


def children(element: Element | None, name: str) -> list[Element]:
    if element is None:
        return []
    return [sub for sub in element if local(sub.tag) == name]


def child(element: Element | None, *path: str) -> Element | None:
    """The first element down ``path`` of child local names, or ``None``."""
    for name in path:
        if element is None:
            return None
        element = next((c for c in element if local(c.tag) == name), None)
    return element


def descendants(element: Element | None, name: str) -> Iterator[Element]:
    if element is not None:
        yield from (e for e in element.iter() if local(e.tag) == name and e is not element)


def first(element: Element | None, name: str) -> Element | None:
    return next(descendants(element, name), None)


def attr(element: Element | None, name: str) -> str:
    """An attribute by local name (``xml:lang`` as "lang"), stripped, or ""."""
    if element is None:
        return ""
    for key, value in element.attrib.items():
        if local(key) == name:
            return value.strip()
    return ""


def text(element: Element | None, *, skip: frozenset[str] = frozenset()) -> str:
    """Whitespace-normalised text content, leaving out subtrees named in ``skip``."""
    if element is None:
        return ""
    parts: list[str] = []

    def walk(node: Element) -> None:
        parts.append(node.text or "")
        for sub in node:
            if local(sub.tag) not in skip:
                walk(sub)
            parts.append(sub.tail or "")

    walk(element)
    return " ".join("".join(parts).split())


# --- XML content as HTML -----------------------------------------------------

_KEEP_ATTRIBUTES = frozenset({"href", "title", "colspan", "rowspan", "scope", "class"})
_VOID = frozenset({"br", "hr", "img"})


def inner_html(element: Element, rename: dict[str, str] | None = None,
               drop: frozenset[str] = frozenset()) -> str:  # fmt: skip
    """Serialise an element's content as HTML with local tag names.

    ``rename`` maps vocabulary to HTML (NITF's ``hl2`` -> ``h2``); elements
    named in ``drop`` leave with their content.  The result still has to go
    through ``sanitize_html``: unknown tags are kept here, only their
    namespaces are removed.
    """
    rename = rename or {}
    parts = [html.escape(element.text or "", quote=False)]
    for sub in element:
        name = local(sub.tag)
        if name and name not in drop:
            tag = rename.get(name, name)
            attrs = "".join(
                f' {local(k)}="{html.escape(v)}"' for k, v in sub.attrib.items() if local(k) in _KEEP_ATTRIBUTES
            )
            if tag in _VOID:
                parts.append(f"<{tag}{attrs}>")
            else:
                parts.append(f"<{tag}{attrs}>{inner_html(sub, rename, drop)}</{tag}>")
        parts.append(html.escape(sub.tail or "", quote=False))
    return "".join(parts)
