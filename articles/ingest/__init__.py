"""Wire ingest: parsed stories become articles, every file and story is logged.

``service`` saves stories (``import_files``); ``identity`` finds the article a
story already is; ``duplicates`` links other agencies' copies of the same
event; ``batch`` holds what a run looks up once; ``log`` records runs and files.
"""

from .batch import ImportBatch
from .log import Outcome, finish_run, start_run, unreadable_file
from .service import import_file, import_files, save_stories
from .versions import story_body_html

__all__ = [
    "ImportBatch",
    "Outcome",
    "finish_run",
    "import_file",
    "import_files",
    "save_stories",
    "start_run",
    "story_body_html",
    "unreadable_file",
]
