"""Nothing is loaded from another site: every script and stylesheet is ours."""

import re

import pytest

from tests.factories import CommitmentFactory

pytestmark = pytest.mark.django_db

ASSET = re.compile(r'<(?:script[^>]*\ssrc|link[^>]*\shref)="([^"]+)"')


def external_assets(html: str) -> list[str]:
    return [
        url
        for url in ASSET.findall(html)
        if url.startswith(("http:", "https:", "//")) and "testserver" not in url
    ]


def test_admin_pages_with_language_tabs_load_only_local_assets(editor_client):
    commitment = CommitmentFactory()

    for url in [
        f"/en/admin/commitments/commitment/{commitment.pk}/change/",
        f"/ar/admin/plans/actionplan/{commitment.plan.pk}/change/",
        "/fr/admin/commitments/commitment/add/",
    ]:
        html = editor_client.get(url).content.decode()
        assert "jquery-ui.min.js" in html
        assert external_assets(html) == [], url


def test_public_pages_load_only_local_assets(client):
    commitment = CommitmentFactory()

    for url in ["/en/", commitment.get_absolute_url(), "/ar/commitments/"]:
        assert external_assets(client.get(url).content.decode()) == [], url
