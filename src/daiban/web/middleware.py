"""Security headers Django 5.2 does not set itself, and a cap on the size of a request body."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse


class SecurityHeadersMiddleware:
    """Content-Security-Policy (only this server's files) and a Permissions-Policy that turns devices off.

    X-Content-Type-Options, Referrer-Policy, Cross-Origin-Opener-Policy come from SecurityMiddleware and
    X-Frame-Options from XFrameOptionsMiddleware (settings.py).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.CONTENT_SECURITY_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        return response


class RequestSizeLimitMiddleware:
    """Refuse a request body larger than the largest upload before anything reads it (413).

    Note: Django limits form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but streams any size of file to disk;
    this stops an oversized upload at the door. Each upload form still checks its own limit.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.limit = settings.UPLOAD_MAX_BYTES + 1024 * 1024  # room for the form's other fields

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > self.limit:
            return HttpResponse(
                f"上传内容太大：上限 {settings.UPLOAD_MAX_BYTES // 1048576} MB",
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
