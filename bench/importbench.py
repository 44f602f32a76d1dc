"""The import benchmark: ``import_wire`` on generated agency copy against ``loaddata`` of the same articles.

Both load into their own copy of the bench database (the same starting state,
10 sections, 200 authors, 2,000 tags and the archive) as subprocesses; each is
timed, bounded by ``BENCH_IMPORT_TIMEOUT`` seconds, and its peak RSS comes from
``wait4`` on that very process.
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from html import escape
from pathlib import Path

from bench.dataset import FIRST, LAST, PLACES, WORDS, Writer

ROOT = Path(__file__).resolve().parent.parent
AGENCIES = ["Reuters", "AP", "AFP", "dpa"]


@dataclass
class Story:
    headline: str
    place: str
    agency: str
    bylines: list[str]
    paragraphs: list[str]
    keywords: list[str]
    issued: datetime


@dataclass
class Run:
    label: str
    stories: int  # stories (or objects) loaded
    seconds: float
    peak_rss_mb: float
    returncode: int | None
    note: str = ""

    @property
    def per_second(self) -> float:
        return self.stories / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict:
        return asdict(self) | {"per_second": round(self.per_second, 1)}


def stories(n: int, seed: int) -> list[Story]:
    rng = random.Random(seed)
    writer = Writer(rng)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    names = [f"{first} {last}" for first in FIRST for last in LAST]
    return [
        Story(
            headline=f"{writer.headline()} {i}",
            place=rng.choice(PLACES),
            agency=rng.choice(AGENCIES),
            bylines=rng.sample(names, rng.randint(1, 2)),
            paragraphs=writer.paragraphs(rng.randint(300, 500)),
            keywords=rng.sample(WORDS[60:200], 3),
            issued=start + timedelta(minutes=7 * i),
        )
        for i in range(n)
    ]


def write_text(story: Story, path: Path) -> None:
    first, *rest = story.paragraphs
    lines = [
        story.headline,
        "",
        "By " + " and ".join(story.bylines),
        "",
        f"{story.place.upper()} ({story.agency}) - {first}",
    ]
    for para in rest:
        lines += ["", para]
    lines += ["", f"(Reporting by {story.bylines[0]}; Editing by {story.bylines[-1]})", ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def write_nitf(story: Story, path: Path, doc_id: str) -> None:
    body = "\n".join(f"<p>{escape(p)}</p>" for p in story.paragraphs)
    keywords = "".join(f'<keyword key="{escape(k)}"/>' for k in story.keywords)
    bylines = "".join(f"<byline>By {escape(name)}</byline>" for name in story.bylines)
    issued = story.issued.strftime("%Y%m%dT%H%M%S+0000")
    path.write_text(
        f"""<?xml version="1.0" encoding="UTF-8"?>
<nitf version="-//IPTC//DTD NITF 3.6//EN" baselang="en-GB">
<head><title>{escape(story.headline)}</title>
<docdata><doc-id regsrc="{story.agency}" id-string="{doc_id}"/><date.issue norm="{issued}"/>
<du-key version="1"/><key-list>{keywords}</key-list></docdata></head>
<body><body.head><hedline><hl1>{escape(story.headline)}</hl1></hedline>{bylines}
<dateline><city>{escape(story.place)}</city></dateline><distributor>{story.agency}</distributor></body.head>
<body.content>{body}</body.content></body></nitf>
""",
        encoding="utf-8",
    )


def generate(workdir: Path, n_text: int, n_nitf: int, seed: int) -> tuple[Path, Path, list[Story]]:
    text_dir, nitf_dir = workdir / "text", workdir / "nitf"
    text_dir.mkdir(parents=True)
    nitf_dir.mkdir()
    all_stories = stories(n_text + n_nitf, seed)
    for i, story in enumerate(all_stories[:n_text]):
        write_text(story, text_dir / f"{i:06d}.txt")
    for i, story in enumerate(all_stories[n_text:]):
        write_nitf(story, nitf_dir / f"{i:06d}.xml", doc_id=f"bench-{seed}-{i:06d}")
    return text_dir, nitf_dir, all_stories


def fixture(all_stories: list[Story], path: Path, *, pk_base: int = 50_000_000) -> int:
    """Django fixture of the same stories as draft articles (with authors and bylines); returns object count."""
    from django.utils.text import slugify

    objects, author_pks = [], {}
    for story in all_stories:
        for name in story.bylines:
            if name not in author_pks:
                author_pks[name] = pk_base + len(author_pks)
                slug = f"{slugify(name)}-{author_pks[name]}"
                objects.append(
                    {"model": "articles.author", "pk": author_pks[name], "fields": {"name": name, "slug": slug}}
                )
    now = datetime.now(UTC).isoformat()
    for i, story in enumerate(all_stories):
        pk = pk_base + i
        body = "\n".join(f"<p>{escape(p, quote=False)}</p>" for p in story.paragraphs)
        fields = {
            "headline": story.headline,
            "slug": f"{slugify(story.headline)[:180]}-{pk}",
            "body": body,
            "dateline": story.place,
            "status": "draft",
            "language": "en",
            "word_count": sum(len(p.split()) for p in story.paragraphs),
            "wire_fingerprint": f"{pk:064d}",
            "created_at": now,
            "updated_at": now,
        }
        objects.append({"model": "articles.article", "pk": pk, "fields": fields})
        for position, name in enumerate(story.bylines):
            objects.append(
                {
                    "model": "articles.authorship",
                    "pk": pk_base + 3 * i + position,
                    "fields": {"article": pk, "author": author_pks[name], "position": position},
                }
            )
    path.write_text(json.dumps(objects), encoding="utf-8")
    return len(objects)


def timed(label: str, command: list[str], env: dict[str, str], timeout: float, count) -> Run:
    """Run ``command``; stop it after ``timeout`` s.  ``count(returncode, stdout)`` says how many stories it loaded."""
    started = time.perf_counter()
    with open(os.devnull, "wb") as devnull:
        proc = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=devnull,
            start_new_session=True,
        )  # fmt: skip
    output: list[bytes] = []
    reader = threading.Thread(target=lambda: output.append(proc.stdout.read()), daemon=True)
    reader.start()
    timed_out, peak_kb, usage = False, 0, None
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            break
        peak_kb = max(peak_kb, high_water_kb(proc.pid))
        if time.perf_counter() - started > timeout and not timed_out:
            timed_out = True
            os.killpg(proc.pid, 15)
        elif timed_out and time.perf_counter() - started > timeout + 15:
            os.killpg(proc.pid, 9)
        time.sleep(0.05)
    elapsed = time.perf_counter() - started
    reader.join(timeout=10)
    text = b"".join(output).decode("utf-8", "replace")
    loaded, note = count(proc.returncode, text)
    if timed_out:
        note = f"stopped after {timeout:.0f} s (BENCH_IMPORT_TIMEOUT); {note}".strip("; ")
    # wait4's ru_maxrss counts the pages a child shared with this (large) process before exec, so /proc's
    # high-water mark of the child's own memory is preferred where there is one.
    return Run(label, loaded, elapsed, (peak_kb or usage.ru_maxrss) / 1024, proc.returncode, note)


def high_water_kb(pid: int) -> int:
    """Peak resident set (VmHWM) of ``pid`` in kB, 0 where /proc does not say."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def imported_count(env: dict[str, str]) -> int:
    code = "from articles.models import ImportedFile; print(ImportedFile.objects.filter(result='created').count())"
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip
    digits = re.findall(r"^\d+$", out.stdout, flags=re.M)
    return int(digits[-1]) if digits else 0


def import_wire(label: str, folder: Path, fmt: str, env: dict[str, str], timeout: float) -> Run:
    def count(returncode: int, output: str) -> tuple[int, str]:
        summary = re.search(r"(\d+) created, (\d+) updated, (\d+) duplicates, (\d+) failed", output)
        tail = " ".join(output.strip().splitlines()[-3:])[:300]
        if summary and returncode in (0, 1):
            created, failed = int(summary[1]), int(summary[4])
            first_error = next((line for line in output.splitlines() if ": " in line and summary[0] not in line), "")
            return created, f"{failed} failed, e.g. {first_error[:200]}" if failed else ""
        return imported_count(env), f"import_wire exited {returncode}: {tail}" if returncode not in (0, -15) else ""

    command = [sys.executable, "manage.py", "import_wire", str(folder), "--format", fmt]
    return timed(label, command, env, timeout, count)


def loaddata(path: Path, articles: int, env: dict[str, str], timeout: float) -> Run:
    def count(returncode: int, output: str) -> tuple[int, str]:
        if returncode == 0:
            return articles, ""
        return 0, f"loaddata exited {returncode}: {output.strip()[-300:]}"

    return timed("loaddata", [sys.executable, "manage.py", "loaddata", str(path)], env, timeout, count)
