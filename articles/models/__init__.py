from .content import Article, ArticleQuerySet, Author, Authorship, Correction, RelatedLink, Section
from .wire import ImportedFile, ImportRun, WireSource

__all__ = [
    "Article",
    "ArticleQuerySet",
    "Author",
    "Authorship",
    "Correction",
    "ImportRun",
    "ImportedFile",
    "RelatedLink",
    "Section",
    "WireSource",
]
