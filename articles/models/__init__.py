from .content import Article, ArticleQuerySet, Author, Authorship, RelatedLink, Section
from .wire import ImportedFile, ImportRun, WireSource

__all__ = [
    "Article",
    "ArticleQuerySet",
    "Author",
    "Authorship",
    "ImportRun",
    "ImportedFile",
    "RelatedLink",
    "Section",
    "WireSource",
]
