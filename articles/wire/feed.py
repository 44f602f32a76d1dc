"""PLACEHOLDER, to be written by a helper."""

from .base import WireParser


class FeedParser(WireParser):
    format = "feed"
