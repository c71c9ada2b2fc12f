"""What every API endpoint shares: read-only, anonymous and throttled,
JSON errors, and documentation served by the portal itself."""

import pytest
from django.core.cache import cache
from rest_framework.throttling import AnonRateThrottle

from tests.factories import CommitmentFactory
from tests.ogp_portal.test_no_cdn import external_assets

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_api_is_read_only_even_for_staff(editor_client, method):
    commitment = CommitmentFactory(identifier="GE0067")

    for url in ["/api/v1/commitments/", "/api/v1/commitments/GE0067/"]:
        response = getattr(editor_client, method)(url, {}, content_type="application/json")
        assert response.status_code == 405, url
    commitment.refresh_from_db()
    assert commitment.is_published


def test_api_answers_staff_as_anonymous_showing_no_unpublished_item(editor_client):
    CommitmentFactory(identifier="PV0001", is_published=False)

    assert editor_client.get("/api/v1/commitments/PV0001/").status_code == 404


def test_anonymous_clients_are_throttled(client, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "rate", "2/min", raising=False)
    cache.clear()

    statuses = [client.get("/api/v1/plans/").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    response = client.get("/api/v1/plans/")
    assert int(response["Retry-After"]) > 0
    assert "throttled" in response.json()["detail"]
    cache.clear()


def test_unknown_address_under_the_api_answers_json_404(client):
    response = client.get("/api/v1/no-such-thing/")

    assert response.status_code == 404
    assert response.json()["detail"].startswith("There is no API endpoint")


def test_schema_is_openapi_3_and_documents_language_and_errors(client):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    schema = response.json()
    assert schema["openapi"].startswith("3.")
    operation = schema["paths"]["/api/v1/commitments/"]["get"]
    parameters = {parameter["name"] for parameter in operation["parameters"]}
    assert {"lang", "Accept-Language", "page", "page_size", "plan", "q", "sort"} <= parameters
    assert {"200", "400", "404", "429"} <= set(operation["responses"])
    assert "LocalisedText" in schema["components"]["schemas"]


def test_docs_are_served_by_the_portal_without_a_cdn(client):
    response = client.get("/api/v1/docs/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert external_assets(html) == []
    assert (
        client.get(
            "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"
        ).status_code
        == 200
    )
