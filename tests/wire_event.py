"""Three agencies' copies of one event, as ninjs documents the way each might send them.

The first (AP) comes without a headline, so the importer derives one and the
publishing checklist asks for a real one.
"""

import json

from articles import ingest
from articles.models import Article

LEAD = (
    "Floodwaters cut the coastal road between Padang and Bukittinggi on Tuesday as the provincial government "
    "declared an emergency and asked the army for bridges, boats and field kitchens for stranded villages."
)
COPIES = {
    "AP": {"urgency": 3, "slugline": "AS-INDONESIA-FLOODS", "body": LEAD},
    "AFP": {
        "urgency": 2,
        "slugline": "Indonesia-weather-floods",
        "headline": "Floods cut coastal road between Padang and Bukittinggi",
        "body": LEAD.replace("on Tuesday", "on Tuesday, officials said,"),
    },
    "Reuters": {
        "urgency": 4,
        "slugline": "INDONESIA-FLOODS/",
        "headline": "Floods cut Sumatra coastal road between Padang and Bukittinggi, emergency declared",
        "body": LEAD.replace("Floodwaters", "Flood waters"),
    },
}


def copy_of(agency: str, *, n: int = 1, **fields) -> tuple[str, bytes]:
    spec = COPIES[agency] | fields
    document = {
        "uri": f"urn:{agency.lower()}:floods-{n}",
        "type": "text",
        "provider": {"name": agency},
        "versioncreated": spec.get("sent", "2026-11-30T06:00:00Z"),
        "urgency": spec["urgency"],
        "slugline": spec["slugline"],
        "located": "Padang",
        "body_text": spec["body"] + "\n\nRescue teams reached two villages by boat.",
    }
    if spec.get("version"):
        document["version"] = spec["version"]
    if spec.get("headline"):
        document["headline"] = spec["headline"]
    return f"{agency.lower()}-{n}.json", json.dumps(document).encode()


def import_copies(*agencies: str) -> list[Article]:
    """Import each agency's copy in turn, as they arrive one after another; the articles in that order."""
    articles = []
    for agency in agencies or COPIES:
        [outcome] = ingest.import_file(*reversed(copy_of(agency)))
        assert outcome.status == "created", outcome.error
        articles.append(outcome.article)
    return articles
