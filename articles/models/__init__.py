from .channels import Channel
from .content import (
    Article,
    ArticleQuerySet,
    Author,
    Authorship,
    Correction,
    IncomingStory,
    RelatedLink,
    Section,
    article_type_id,
    summary_of,
)
from .fronts import FrontPagePin
from .live import LiveUpdate
from .versions import WireVersion
from .wire import ImportedFile, ImportRun, PendingUpload, WireSource

__all__ = [
    "Article",
    "Channel",
    "ArticleQuerySet",
    "FrontPagePin",
    "Author",
    "Authorship",
    "Correction",
    "ImportRun",
    "ImportedFile",
    "IncomingStory",
    "LiveUpdate",
    "PendingUpload",
    "RelatedLink",
    "Section",
    "WireSource",
    "WireVersion",
    "article_type_id",
    "summary_of",
]
