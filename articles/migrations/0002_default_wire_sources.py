"""The built-in agencies, as they were when this migration was written.

The values are copied in, not imported from ``articles.wire.agencies``: a
migration must do the same thing whenever it runs. Later rule changes ship as
migrations of their own, or through ``manage.py sync_agencies``.
"""

from django.db import migrations

AGENCIES = [
    {
        "name": "Tempo",
        "aliases": (
            "TEMPO.CO",
            "Tempo",
            "Tempo.co",
        ),
        "boilerplate": ("^Click here to get the latest news (?:updates )?from Tempo on Google News\\.?$",),
    },
    {
        "name": "Antara",
        "aliases": (
            "ANTARA",
            "Antara News",
            "ANTARA News",
        ),
        "credit_patterns": ("^(?:Reporter|Translator|Editor)s?\\s*:\\s*[^\\n]{1,120}$",),
    },
    {
        "name": "AP",
        "aliases": (
            "AP",
            "Associated Press",
            "The Associated Press",
        ),
        "boilerplate": (
            "^_{3,}$",
            "^BC-[\\w-]+--[^\\n]*$",
            "^[^\\n]{1,120}\\bcan be reached at\\b[^\\n]*$",
            "^Follow [^\\n]{1,120}\\b(?:on|at) (?:Twitter|X|Instagram|Facebook|Bluesky|Threads)\\b[^\\n]*$",
            "^Follow [^\\n]{1,120}https?://[^\\n]*$",
            "^(?:Find|See|Read) (?:more of |all of )?AP[’']s [^\\n]*coverage\\b[^\\n]*$",
        ),
        "credit_patterns": (
            "^(?:The )?(?:Associated Press|AP|APTN)\\b[^\\n]{1,250}\\b(?:contributed|helped)\\b[^\\n]*$",
        ),
    },
    {
        "name": "Reuters",
        "aliases": (
            "Reuters",
            "Thomson Reuters",
        ),
        "boilerplate": (
            "^\\(\\([^\\n]*\\)\\)$",
            "^\\((?:adds|updates|corrects|recasts|repeats|changes|removes|fixes)\\b[^\\n]*\\)$",
            "^\\(In [^\\n]*\\bstory,? corrects\\b[^\\n]*\\)$",
            "^Our Standards: The Thomson Reuters Trust Principles\\.?$",
        ),
    },
    {
        "name": "AFP",
        "aliases": (
            "AFP",
            "Agence France-Presse",
            "Agence France Presse",
        ),
        "boilerplate": ("^(?-i:[a-z]{1,4}(?:/[a-z]{1,4}){1,5})$",),
    },
    {
        "name": "dpa",
        "aliases": (
            "dpa",
            "dpa-tns",
            "dpa-AFX",
            "Deutsche Presse-Agentur",
        ),
        "boilerplate": (
            "^#\\s*(?:dpa\\s+)?notebook\\b(?s:.*)",
            "^\\*(?:\\s*\\*){2,}\\n(?:the following information is\\s+)?not (?:intended )?for publication\\b(?s:.*)",
            "^the following information is not (?:intended )?for publication\\b(?s:.*)",
            "^(?-i:dpa(?:\\s+[a-z]{2,4})+)$",
        ),
        "credit_patterns": ("^-?\\s*(?:Reporting|Editing) by:\\s*[^\\n]+$",),
    },
    {
        "name": "EFE",
        "aliases": (
            "EFE",
            "Agencia EFE",
        ),
        "boilerplate": ("^(?-i:[a-z]{1,4}(?:/[a-z]{1,4}){1,5})$",),
    },
    {
        "name": "ANSA",
        "aliases": (
            "ANSA",
            "ANSAmed",
        ),
        "boilerplate": ("^(?:all rights reserved\\s*)?©?\\s*copyright ANSA\\b[^\\n]*$",),
    },
    {
        "name": "Bernama",
        "aliases": ("Bernama",),
        "boilerplate": ("^-+\\s*BERNAMA\\s*$",),
    },
    {
        "name": "Kyodo",
        "aliases": (
            "Kyodo",
            "Kyodo News",
        ),
        "boilerplate": ("^==\\s*Kyodo\\s*$",),
    },
    {
        "name": "PTI",
        "aliases": (
            "PTI",
            "Press Trust of India",
        ),
        "boilerplate": ("^(?-i:PTI(?:\\s+[A-Z]{2,4})+)$",),
    },
    {
        "name": "ANI",
        "aliases": (
            "ANI",
            "Asian News International",
        ),
        "boilerplate": ("^\\(ANI\\)$",),
    },
    {
        "name": "Xinhua",
        "aliases": (
            "Xinhua",
            "Xinhua News Agency",
        ),
        "boilerplate": ("^Enditem$",),
    },
    {
        "name": "Yonhap",
        "aliases": (
            "Yonhap",
            "Yonhap News Agency",
        ),
        "boilerplate": (
            "^\\(END\\)$",
            "^[\\w.+-]+@yna\\.co\\.kr$",
        ),
    },
    {
        "name": "Canadian Press",
        "aliases": (
            "CP",
            "The Canadian Press",
            "Canadian Press",
        ),
        "boilerplate": ("^This report by The Canadian Press was first published\\b[^\\n]*$",),
    },
    {
        "name": "BusinessDesk",
        "aliases": ("BusinessDesk",),
        "boilerplate": ("^\\(BusinessDesk\\)$",),
    },
    {
        "name": "NTB",
        "aliases": (
            "NTB",
            "Norsk Telegrambyrå",
        ),
        "boilerplate": ("^\\(©\\s*NTB\\)$",),
    },
    {
        "name": "STT",
        "aliases": (
            "STT",
            "STT-Info",
        ),
        "boilerplate": ("^\\*{3}\\s*DISCLAIMER:[^\\n]*\\*{3}$",),
    },
    {
        "name": "TT",
        "aliases": (
            "TT",
            "TT Nyhetsbyrån",
        ),
        "boilerplate": ("^\\(TT\\)$",),
    },
    {
        "name": "AAP",
        "aliases": (
            "AAP",
            "Australian Associated Press",
        ),
        "boilerplate": ("^(?-i:AAP(?:\\s+[A-Za-z]{1,4}(?:/[a-z]{1,4})*)+)$",),
    },
    {
        "name": "PA",
        "aliases": (
            "PA",
            "PA Media",
            "Press Association",
        ),
        "boilerplate": ("^ends$",),
    },
]


def create_default_sources(apps, schema_editor):
    WireSource = apps.get_model("articles", "WireSource")
    for agency in AGENCIES:
        WireSource.objects.get_or_create(
            name=agency["name"],
            defaults={
                field: "\n".join(agency.get(field, ())) for field in ("aliases", "boilerplate", "credit_patterns")
            },
        )


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]

    operations = [migrations.RunPython(create_default_sources, migrations.RunPython.noop)]
