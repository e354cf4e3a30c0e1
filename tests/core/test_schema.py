"""The OpenAPI schema (drf-spectacular) is valid, and the docs page loads nothing from a CDN."""

import re

import pytest
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db

API_PATHS = {
    "/api/v1/cases/",
    "/api/v1/cases/{id}/",
    "/api/v1/parties/",
    "/api/v1/parties/{id}/",
    "/api/v1/courts/",
    "/api/v1/me/",
}


@pytest.fixture
def schema():
    GENERATOR_STATS.reset()
    generated = SchemaGenerator().get_schema(request=None, public=True)
    yield generated
    GENERATOR_STATS.reset()


def test_the_generated_schema_is_valid_openapi(schema):
    validate_schema(schema)  # raises on any violation of the OpenAPI 3 JSON schema
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) >= API_PATHS


def test_generating_the_schema_raises_no_warnings_or_errors(schema):
    assert dict(GENERATOR_STATS._error_cache) == {}
    assert dict(GENERATOR_STATS._warn_cache) == {}


def test_the_case_list_documents_its_filters_and_pagination(schema):
    names = {p["name"] for p in schema["paths"]["/api/v1/cases/"]["get"]["parameters"]}
    assert {"q", "case_type", "stage", "year", "filed_from", "filed_to", "page", "page_size"} <= names


def test_the_api_key_scheme_is_documented_as_a_header(schema):
    assert schema["components"]["securitySchemes"]["ApiKey"] == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": "Api-Key <prefix>.<secret>, issued to an agency by the court administrator.",
    }


def test_filing_documents_its_request_body(schema):
    body = schema["paths"]["/api/v1/cases/"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    component = schema["components"]["schemas"][body["$ref"].rsplit("/", 1)[1]]
    assert {"court", "case_type", "filing_date", "amount", "cause", "parties"} <= set(component["required"])


def test_a_staff_member_downloads_the_schema(client_as, officer):
    response = client_as(officer).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    served = response.json()
    validate_schema(served)
    assert set(served["paths"]) >= API_PATHS
    assert served["info"]["title"] == "Zhixing 执行 API"


@pytest.mark.parametrize(("page", "marker"), [("/api/docs/", "swagger-ui")])
def test_the_docs_pages_render_with_local_assets_only(client_as, officer, page, marker):
    response = client_as(officer).get(page)
    assert response.status_code == 200
    html = response.content.decode().lower()
    assert marker in html
    assert "/static/drf_spectacular_sidecar/" in html
    # Every script and stylesheet is served from this host: no src/href points at another one (a random
    # token in the page may contain "cdn", so look at the references, not the whole text).
    references = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)""", html)
    assert references
    assert [ref for ref in references if re.match(r"(https?:)?//", ref)] == []


def test_a_browser_opening_the_schema_is_sent_to_the_docs_and_a_program_gets_json(client):
    browser = client.get("/api/schema/", HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
    assert browser.status_code == 302
    assert browser["Location"] == "/api/docs/"

    program = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert program.status_code == 200
    assert program.json()["openapi"].startswith("3.")

    explicit = client.get("/api/schema/?format=yaml", HTTP_ACCEPT="text/html,*/*;q=0.8")
    assert explicit.status_code == 200
    assert explicit.content.startswith(b"openapi:")
