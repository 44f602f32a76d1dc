"""The agency-rules step applied to every parsed story."""

import pytest

from articles.wire.agencies import DEFAULT_AGENCIES
from articles.wire.base import Agency, Block, WireStory
from articles.wire.refine import (
    byline_names,
    derive_headline,
    find_agency,
    refine,
    strip_html_prefix,
)


def story(*texts, **fields):
    blocks = [text if isinstance(text, Block) else Block("p", text) for text in texts]
    return refine(WireStory(format="test", blocks=blocks, **fields), DEFAULT_AGENCIES)


def test_dateline_sets_place_and_source_and_leaves_the_text():
    result = story("KUALA LUMPUR, Aug 6 (Bernama) -- Malaysia will act.", "-- BERNAMA")

    assert result.dateline == "Kuala Lumpur"
    assert result.source == "Bernama"
    assert result.paragraphs == ["Malaysia will act."]
    assert result.removed == ["-- BERNAMA"]


def test_fuller_dateline_from_metadata_wins_but_the_prefix_still_goes():
    result = story("OSLO (NTB) - Text.", dateline="Oslo, Norway", source="NTB")
    assert (result.dateline, result.source, result.paragraphs) == ("Oslo, Norway", "NTB", ["Text."])


def test_source_from_metadata_is_normalised_to_the_agency_name():
    assert story("Text.", source="The Associated Press").source == "AP"
    assert story("Text.", source="Some Blog").source == "Some Blog"


def test_unknown_agency_token_is_not_a_dateline():
    result = story("Chancellor Angela Merkel (CDU) - said no.")
    assert (result.dateline, result.source) == ("", "")
    assert result.paragraphs == ["Chancellor Angela Merkel (CDU) - said no."]


def test_capitals_only_dateline_has_no_source():
    result = story(
        "OTTAWA - The House rose.",
        "This report by The Canadian Press was first published July 3, 2020.",
    )
    assert (result.dateline, result.source) == ("Ottawa", "")
    # No agency is known, so the Canadian Press trailer rule does not apply.
    assert result.paragraphs[1].startswith("This report by The Canadian Press")
    assert result.removed == []


def test_dateline_is_stripped_from_html_too():
    block = Block("p", "London (dpa) - Rain & wind.", "<b>London</b> (dpa) - Rain &amp; wind.")
    result = story(block)
    assert result.blocks[0].text == "Rain & wind."
    assert result.blocks[0].html == "<b></b>Rain &amp; wind."


def test_html_that_does_not_start_with_the_dateline_falls_back_to_text():
    block = Block("p", "London (dpa) - Rain.", "<p>Something else</p>")
    assert story(block).blocks[0].html == ""


@pytest.mark.parametrize(
    ("markup", "prefix", "expected"),
    [
        ('<span class="d">Berlin <span>(dpa)</span> - </span>Text', "Berlin (dpa) - ", (
            '<span class="d"><span></span></span>Text'
        )),
        ("  NEW\nYORK (AP) &#8212; Text", "NEW YORK (AP) — ", "Text"),
        ("Other text", "Berlin (dpa) - ", None),
        ("Berl", "Berlin (dpa) - ", None),
    ],
)  # fmt: skip
def test_strip_html_prefix(markup, prefix, expected):
    assert strip_html_prefix(markup, prefix) == expected


def test_dateline_only_paragraph_disappears():
    result = story("STOCKHOLM, Aug 29, 2014 (AFP) -", "Sweden said.", "hh/ph/ts/hd")
    assert (result.dateline, result.source) == ("Stockholm", "AFP")
    assert result.paragraphs == ["Sweden said."]
    assert result.removed == ["hh/ph/ts/hd"]


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("By PAUL BYRNE and ALMUDENA CALATRAVA", ["Paul Byrne", "Almudena Calatrava"]),
        ("By Tom Krasovic, The San Diego Union-Tribune", ["Tom Krasovic"]),
        ("By Manuel Schwarz, dpa =", ["Manuel Schwarz"]),
        ("By JIM LITKE, AP Sports Writer", ["Jim Litke"]),
        ("By Sylvia Westall, Laila Bassam & Tom Perry", ["Sylvia Westall", "Laila Bassam", "Tom Perry"]),
        ("by Frances d'Emilio", ["Frances d'Emilio"]),
        ("By The Associated Press", []),
        ("By dpa correspondents", []),
        ("By the time the sun rose, it was over.", None),
        ("By Tuesday, the vote had passed.", None),
        ("Paul Byrne", None),
    ],
)
def test_byline_names(line, names):
    assert byline_names(line, DEFAULT_AGENCIES) == names


def test_byline_blocks_at_the_top_become_bylines():
    result = story("By Jonathan Underhill", "Jan. 12 (BusinessDesk) - Shares fell.", "By the way.")
    assert result.bylines == ["Jonathan Underhill"]
    assert result.source == "BusinessDesk"
    assert result.paragraphs == ["Shares fell.", "By the way."]


def test_metadata_bylines_are_kept_and_not_repeated():
    result = story("By Sylvia Westall", "Text.", bylines=["Sylvia Westall"])
    assert result.bylines == ["Sylvia Westall"]
    assert result.paragraphs == ["Text."]


@pytest.mark.parametrize(
    ("line", "title", "url"),
    [
        ("Read: UK, Norway Establish Joint Fleet", "UK, Norway Establish Joint Fleet", ""),
        ("Read also: Prabowo meets Xi", "Prabowo meets Xi", ""),
        ("Also read: Floods in Aceh", "Floods in Aceh", ""),
        ("READ MORE: Budget passed - https://example.com/budget", "Budget passed", (
            "https://example.com/budget"
        )),
        ("Related news: https://example.com/x", "https://example.com/x", "https://example.com/x"),
        ("Baca juga: Banjir di Aceh", "Banjir di Aceh", ""),
    ],
)  # fmt: skip
def test_related_reading_lines(line, title, url):
    result = story("Jakarta (ANTARA) - Text.", line, "More text.")
    assert [(r.title, r.url) for r in result.related] == [(title, url)]
    assert result.paragraphs == ["Text.", "More text."]


def test_related_reading_link_from_html():
    block = Block("p", "Read: Joint fleet", '<a href="https://en.tempo.co/read/1">Read: Joint fleet</a>')
    result = story("Text.", block)
    assert [(r.title, r.url) for r in result.related] == [("Joint fleet", "https://en.tempo.co/read/1")]


def test_ap_separator_contact_and_contributor_lines():
    result = story(
        "NEW YORK (AP) — Markets rose.",
        "___",
        "Bernard Condon can be reached at http://twitter.com/BernardFCondon .",
        "Associated Press writer Jane Doe in Rome contributed to this report.",
        "Copyright 2024 The Associated Press. All rights reserved.",
    )
    assert result.paragraphs == ["Markets rose."]
    assert result.credits == ["Associated Press writer Jane Doe in Rome contributed to this report."]
    assert result.removed == [
        "___",
        "Bernard Condon can be reached at http://twitter.com/BernardFCondon .",
        "Copyright 2024 The Associated Press. All rights reserved.",
    ]


def test_reuters_credits():
    result = story(
        "DAMASCUS (Reuters) - Talks began.",
        "(Additional reporting by Sylvia Westall in Beirut; Editing by Peter Graff)",
    )
    assert result.credits == ["Additional reporting by Sylvia Westall in Beirut; Editing by Peter Graff"]
    assert result.paragraphs == ["Talks began."]


def test_notes_above_the_byline_and_dateline_go_first():
    result = story(
        "(Adds comments, detail)",
        "By Arpan Varghese",
        "Jan 30 (Reuters) - Gold rose.",
        "(Reporting by Arpan Varghese in Bengaluru; Editing by Joseph Radford)",
    )
    assert (result.source, result.dateline, result.bylines) == ("Reuters", "", ["Arpan Varghese"])
    assert result.paragraphs == ["Gold rose."]
    assert result.removed == ["(Adds comments, detail)"]
    assert result.credits == ["Reporting by Arpan Varghese in Bengaluru; Editing by Joseph Radford"]


def test_dpa_trailer_takes_everything_after_it():
    result = story(
        "Berlin (dpa) - Text.",
        "# dpa NOTEBOOK",
        "Anything at all",
        "- Reporting by: Wolfgang Schmidt",
    )
    assert result.paragraphs == ["Text."]
    assert result.credits == ["Reporting by: Wolfgang Schmidt"]
    assert result.removed == ["# dpa NOTEBOOK", "Anything at all"]


def test_copyright_rule_needs_a_year_or_a_reservation():
    result = story("© 2024 AFP", "Copyright law is changing.", "(c)2018 The Union-Tribune")
    assert result.paragraphs == ["Copyright law is changing."]


def test_rules_of_the_known_agency_only():
    # "hh/ph" is an AFP sign-off; a Tempo story keeps it.
    assert story("TEMPO.CO, Jakarta - Text.", "hh/ph").paragraphs == ["Text.", "hh/ph"]
    # With no known source only the generic rules apply.
    assert story("Text.", "hh/ph").paragraphs == ["Text.", "hh/ph"]


def test_rules_remove_whole_blocks_only():
    agency = Agency("Test", aliases=("TST",), boilerplate=(r"^Click here",))
    result = refine(
        WireStory(format="test", source="Test", blocks=[Block("p", "Click here to win.")]),
        [agency],
    )
    assert result.paragraphs == ["Click here to win."]


def test_invalid_rules_are_skipped_with_a_warning():
    agency = Agency("Test", boilerplate=("(unclosed", r"^ads$"))
    result = refine(
        WireStory(format="test", source="Test", blocks=[Block("p", "Text."), Block("p", "ADS")]),
        [agency],
    )
    assert result.paragraphs == ["Text."]
    assert result.warnings[0].startswith("ignored invalid rule '(unclosed'")


def test_headline_kept_when_given_and_empty_blocks_dropped():
    result = story(Block("p", ""), "Text.", Block("p", "  "), headline="Given")
    assert (result.headline, result.headline_derived) == ("Given", False)
    assert result.blocks == [Block("p", "Text.")]


@pytest.mark.parametrize(
    ("text", "headline"),
    [
        ("Short first sentence. Second one.", "Short first sentence"),
        ("The U.S. economy grew 3% in May. Markets rose.", "The U.S. economy grew 3% in May"),
        ("Mr. Smith went to Washington. Then left.", "Mr. Smith went to Washington"),
        ("Is this the end? Nobody knows.", "Is this the end?"),
        (
            "The exchange of rhetoric between Russia and NATO has intensified after the "
            "negotiations between envoys of Donald Trump and Vladimir Putin failed.",
            "The exchange of rhetoric between Russia and NATO has intensified after the negotiations",
        ),
        ("", ""),
    ],
)
def test_derive_headline(text, headline):
    assert derive_headline(text) == headline
    assert len(derive_headline(text)) <= 100


def test_derived_headline_is_flagged():
    result = story("NEW YORK (AP) — Stocks rose on Monday. Bonds fell.")
    assert (result.headline, result.headline_derived) == ("Stocks rose on Monday", True)


def test_find_agency():
    assert find_agency("tca/dpa", DEFAULT_AGENCIES).name == "dpa"
    assert find_agency("TEMPO.CO", DEFAULT_AGENCIES).name == "Tempo"
    assert find_agency("antara", DEFAULT_AGENCIES).name == "Antara"
    assert find_agency("CDU", DEFAULT_AGENCIES) is None
    assert find_agency("", DEFAULT_AGENCIES) is None


def test_body_dateline_beats_the_editing_desk_in_metadata():
    from articles.wire import parse_bytes
    from tests.wire import sample

    [story] = parse_bytes(sample("newsml-g2/tag_reuters.com_2014_newsml_KBN0FL0NN_version_5").read_bytes())
    assert story.dateline == "Damascus"
    assert story.source == "Reuters"
    assert not story.paragraphs[0].startswith("DAMASCUS")
