"""The dateline shapes agencies use, and sentences that must not pass for one."""

import pytest

from articles.wire.datelines import Dateline, match_dateline, title_case


@pytest.mark.parametrize(
    ("prefix", "place", "agency"),
    [
        ("TEMPO.CO, Jakarta - ", "Jakarta", "TEMPO.CO"),
        ("Jakarta (ANTARA) - ", "Jakarta", "ANTARA"),
        ("NEW YORK (AP) — ", "New York", "AP"),
        ("ATLANTA (AP) _ ", "Atlanta", "AP"),
        ("HOUSTON, Jan 27 (Reuters) - ", "Houston", "Reuters"),
        ("Jan 30 (Reuters) - ", "", "Reuters"),
        ("STOCKHOLM, Aug 29, 2014 (AFP) - ", "Stockholm", "AFP"),
        ("Berlin (dpa) - ", "Berlin", "dpa"),
        ("San Diego (tca/dpa) - ", "San Diego", "tca/dpa"),
        ("Tegucigalpa, Jan 2 (EFE).- ", "Tegucigalpa", "EFE"),
        ("(ANSA) - Rome, October 11 - ", "Rome", "ANSA"),
        ("KUALA LUMPUR, Aug 6 (Bernama) -- ", "Kuala Lumpur", "Bernama"),
        ("TOKYO (Kyodo) -- ", "Tokyo", "Kyodo"),
        ("Mumbai, Dec 9 (PTI) ", "Mumbai", "PTI"),
        ("New Delhi, Jan 10 (ANI): ", "New Delhi", "ANI"),
        ("BEIJING, March 31 (Xinhua) -- ", "Beijing", "Xinhua"),
        ("SEOUL, Nov. 24 (Yonhap) -- ", "Seoul", "Yonhap"),
        ("OTTAWA - ", "Ottawa", ""),
        ("GROSSETO, Italy (AP) -- ", "Grosseto, Italy", "AP"),
        ("DAMASCUS (Reuters) - ", "Damascus", "Reuters"),
        ("Jan. 12 (BusinessDesk) - ", "", "BusinessDesk"),
        ("London (dpa) - ", "London", "dpa"),
        ("BUENOS AIRES, Argentina (AP) — ", "Buenos Aires, Argentina", "AP"),
        ("RIO DE JANEIRO (AP) – ", "Rio de Janeiro", "AP"),
        ("ST. LOUIS (AP) — ", "St. Louis", "AP"),
        ("WASHINGTON (AP) —", "Washington", "AP"),
        ("(AP) - ", "", "AP"),
    ],
)
def test_dateline_shapes(prefix, place, agency):
    text = prefix + "The first sentence of the story - with a dash."
    assert match_dateline(text) == Dateline(place, agency, len(prefix))


def test_dateline_alone_in_a_paragraph():
    assert match_dateline("STOCKHOLM, Aug 29, 2014 (AFP) -") == Dateline("Stockholm", "AFP", 31)


@pytest.mark.parametrize(
    "text",
    [
        "Rutte said - and he meant it - that the alliance would hold.",
        "The exchange of rhetoric between Russia and NATO has intensified - after talks failed.",
        "NATO on Thursday responded to - it seemed - a threat.",
        "Merkel's Christian Democratic Union (CDU) and the SPD met.",
        "Ottawa - a city of bureaucrats - voted.",  # only capitals without an agency
        "He said: (AP) - nothing more.",
        "By PAUL BYRNE and ALMUDENA CALATRAVA",
        "",
    ],
)
def test_ordinary_sentences_are_not_datelines(text):
    assert match_dateline(text) is None


def test_match_is_lexical_so_unknown_tokens_still_match():
    # ``refine`` rejects this one because "CDU" is no agency.
    assert match_dateline("Chancellor Merkel (CDU) - text").agency_token == "CDU"


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("KUALA LUMPUR", "Kuala Lumpur"),
        ("Grosseto, Italy", "Grosseto, Italy"),
        ("WASHINGTON D.C.", "Washington D.C."),
        ("LA PAZ", "La Paz"),
        ("PAUL MCCARTNEY", "Paul McCartney"),
        ("MCDONALD", "McDonald"),
        ("O'BRIEN", "O'Brien"),
        ("LUDWIG VAN BEETHOVEN", "Ludwig van Beethoven"),
    ],
)
def test_title_case(words, expected):
    assert title_case(words) == expected
