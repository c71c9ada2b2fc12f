"""The Content Security Policy: strict on every page, and our templates need
nothing it forbids. (tests/ogp_portal/test_url_access.py checks that every
URL's answer carries it; tests/browser/test_csp.py that browsers report no
violation, in the admin too.)"""

import re
from pathlib import Path

import pytest
from csp.middleware import CSPMiddleware
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory

from commitments import qrcodes
from ogp_portal.page_cache import public_page
from tests.factories import CommitmentFactory

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
NONCE = 'nonce="{{ request.csp_nonce }}"'
TAG = re.compile(r"<(script|style)\b[^>]*>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)


def policy_directives(response) -> dict[str, str]:
    return {
        directive.split()[0]: directive.partition(" ")[2]
        for directive in response["Content-Security-Policy"].split("; ")
    }


@pytest.mark.django_db
def test_pages_get_a_strict_policy(client):
    directives = policy_directives(client.get("/en/"))

    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    # One style attribute, by its hash (django-simple-history's, see settings).
    assert directives["style-src-attr"].startswith("'unsafe-hashes' 'sha256-")


@pytest.mark.parametrize(
    "template", sorted(TEMPLATES.rglob("*.html")), ids=lambda path: str(path.relative_to(TEMPLATES))
)
def test_template_has_no_inline_code_without_the_nonce(template):
    html = template.read_text()

    for match in TAG.finditer(html):
        tag = match.group(0)
        assert NONCE in tag or (match.group(1) == "script" and " src=" in tag), tag
    assert not STYLE_ATTRIBUTE.search(html)
    assert not EVENT_HANDLER.search(html)
    assert "javascript:" not in html


def test_inline_qr_code_needs_no_style():
    svg = qrcodes.inline_svg("https://ogp.example.org/en/commitments/GE0067/")

    assert not STYLE_ATTRIBUTE.search(svg)
    assert "<style" not in svg


@pytest.mark.django_db
def test_commitment_page_with_its_qr_code_has_no_inline_style(client):
    html = client.get(CommitmentFactory().get_absolute_url()).content.decode()

    assert "<svg" in html
    assert not STYLE_ATTRIBUTE.search(html)
    assert not re.search(r"<style|<script", html)


@pytest.mark.django_db
def test_api_docs_inline_code_carries_the_nonce_of_the_policy(client):
    response = client.get("/api/v1/docs/")

    nonce = re.search(r"'nonce-([^']+)'", policy_directives(response)["script-src"])[1]
    assert policy_directives(response)["style-src"] == f"'self' 'nonce-{nonce}'"
    html = response.content.decode()
    assert html.count(f'<script nonce="{nonce}">') == 1
    assert html.count(f'<style nonce="{nonce}">') == 1


def anonymous_get(path):
    """A request as the CSP middleware hands it to a view."""
    request = RequestFactory().get(path)
    request.user = AnonymousUser()
    CSPMiddleware(lambda request: None).process_request(request)
    return request


@pytest.mark.parametrize(("uses_nonce", "renders"), [(False, 1), (True, 2)])
def test_page_cache_keeps_no_page_that_holds_a_nonce(settings, uses_nonce, renders):
    """The nonce must differ at each request: a page holding one is rendered anew."""
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300
    calls = []

    @public_page
    def view(request):
        calls.append(request)
        nonce = f' nonce="{request.csp_nonce}"' if uses_nonce else ""
        return HttpResponse(f"<p{nonce}>page {len(calls)}</p>")

    first = view(anonymous_get(f"/en/cached-{uses_nonce}/"))
    second = view(anonymous_get(f"/en/cached-{uses_nonce}/"))

    assert len(calls) == renders
    assert (first.content == second.content) is not uses_nonce
