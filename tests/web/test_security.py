"""Security headers on every page, and nothing loaded from outside this server (no CDN, no web fonts)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db

PAGES = ["/login/", "/dashboard/", "/projects/", "/projects/?light=red", "/projects/import/", "/admin/"]
# Any URL with a scheme or protocol-relative in src/href/action, or in CSS url(); 127.0.0.1 is allowed.
EXTERNAL = re.compile(r"""(?:src|href|action)\s*=\s*["']\s*(?:[a-z]+:)?//(?!127\.0\.0\.1[:/])[^"']*""", re.I)
CSS_EXTERNAL = re.compile(r"""url\(\s*["']?(?:[a-z]+:)?//""", re.I)


def test_every_page_sends_the_security_headers(client, signed_in):
    responses = [("/login/", client.get("/login/"))]
    client = signed_in("admin")
    responses += [(path, client.get(path)) for path in PAGES[1:]]
    for path, response in responses:
        assert response.status_code == 200, path
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "script-src 'self';" in csp, path
        assert "unsafe-eval" not in csp and "unsafe-inline" not in csp, path
        assert "frame-ancestors 'none'" in csp
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"


def test_session_and_csrf_cookies_are_http_only(client, users):
    response = client.post("/login/", {"username": "leader", "password": "pass-12345"})
    assert response.cookies["sessionid"]["httponly"]
    assert response.cookies["sessionid"]["samesite"] == "Lax"


def test_the_sign_in_page_refers_to_no_other_server(client):
    assert not EXTERNAL.findall(client.get("/login/").content.decode())


@pytest.mark.parametrize("role", ["admin", "leader", "butler", "enterprise"])
def test_no_page_refers_to_another_server(signed_in, portfolio, role):
    client = signed_in(role)
    for path in PAGES[1:-1]:
        response = client.get(path)
        if response.status_code != 200:
            continue
        html = response.content.decode()
        assert not EXTERNAL.findall(html), (path, EXTERNAL.findall(html))


def test_no_inline_script_code_or_style_attributes_that_the_csp_would_block(signed_in, portfolio):
    client = signed_in("admin")
    for path in PAGES[1:-1]:
        html = client.get(path).content.decode()
        for script in re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S):
            attributes, body = script
            assert "src=" in attributes or 'type="application/json"' in attributes, (path, script)
            assert "src=" not in attributes or not body.strip(), path
        assert not re.search(r"\sstyle\s*=", html), path
        assert not re.search(r"\son[a-z]+\s*=", html), path


def test_the_site_css_and_js_use_no_external_resources_and_echarts_is_vendored_with_its_licence():
    for name in ["web/daiban.css", "web/daiban.js", "web/dashboard.js"]:
        text = Path(finders.find(name)).read_text(encoding="utf-8")
        assert not CSS_EXTERNAL.search(text) and "http" not in text, name
    assert Path(finders.find("vendor/echarts/echarts.min.js")).stat().st_size > 500_000
    assert "Apache License" in Path(finders.find("vendor/echarts/LICENSE")).read_text(encoding="utf-8")
    assert finders.find("vendor/echarts/NOTICE")


def test_the_dashboard_loads_echarts_and_htmx_from_this_server(signed_in, portfolio):
    html = signed_in("leader").get("/dashboard/").content.decode()
    assert 'src="/static/vendor/echarts/echarts.min.js"' in html
    assert re.search(r'src="/static/django_htmx/htmx-2[^"]*\.js"', html)
    # htmx may not evaluate strings as code: the CSP has no 'unsafe-eval'.
    assert '"allowEval":false' in html
