"""The OpenAPI schema and Swagger UI are served by the app itself: nothing is fetched from a CDN."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

pytestmark = pytest.mark.django_db


def test_swagger_ui_uses_only_the_apps_static_files():
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls, html
    assert all(url.startswith("/static/") for url in urls), urls
    assert "cdn" not in html.lower() and "http://" not in html and "https://" not in html
    for url in urls:
        assert finders.find(url.removeprefix("/static/")), url
    assert "/api/v1/openapi.json" in html


def test_openapi_schema_documents_problem_json():
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"] == {
        "title": "daiban API",
        "version": "1",
        "description": schema["info"]["description"],
    }
    assert schema["openapi"].startswith("3.")
    assert {"TokenAuth", "SessionAuth"} <= set(schema["components"]["securitySchemes"])
    decision = schema["paths"]["/api/v1/cases/{case_id}/decision"]["post"]
    assert set(decision["responses"]) == {"200", "400", "401", "403", "404", "409", "422"}
    assert list(decision["responses"]["409"]["content"]) == ["application/problem+json"]
    assert list(decision["responses"]["200"]["content"]) == ["application/json"]
