"""Reads of API tokens."""

from __future__ import annotations

from django.db.models import QuerySet

from daiban.apitokens.models import ApiToken
from daiban.core.errors import DomainError


def token_list(*, username: str | None = None) -> QuerySet[ApiToken]:
    tokens = ApiToken.objects.select_related("user")
    return tokens.filter(user__username=username) if username else tokens


def token_by_prefix(*, prefix: str) -> ApiToken:
    """The one token whose prefix is ``prefix``; a DomainError when none or several match."""
    matches = list(ApiToken.objects.select_related("user").filter(prefix__startswith=prefix.strip())[:2])
    if not prefix.strip() or not matches:
        raise DomainError(f"没有前缀为“{prefix}”的接口令牌")
    if len(matches) > 1:
        raise DomainError(f"前缀“{prefix}”对应多个接口令牌，请给出更长的前缀")
    return matches[0]
