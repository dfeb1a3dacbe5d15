"""daiban (代办): a district's major-project pipeline and full-process agency service."""

__version__ = "0.1.0"
