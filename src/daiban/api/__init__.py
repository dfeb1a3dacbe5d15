"""The REST API at /api/v1/ (django-ninja): token or session auth, problem+json errors, OpenAPI at
/api/v1/openapi.json and Swagger UI at /api/v1/docs, served from the app's own static files."""

from daiban.api.main import api

__all__ = ["api"]
