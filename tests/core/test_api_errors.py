"""Every API error has the shape {"message", "code", "extra"}; field errors go in extra.fields."""

import pytest
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions as drf_exceptions

from core.drf import _flatten_drf, exception_handler
from core.exceptions import Conflict, InvalidInput, NotFound, PermissionDenied, RuleViolation

pytestmark = pytest.mark.django_db


def assert_error_shape(body) -> None:
    assert set(body) == {"message", "code", "extra"}
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["code"], str) and body["code"]
    assert isinstance(body["extra"], dict)


@pytest.mark.parametrize(
    ("make_exc", "status", "body"),
    [
        (
            lambda: RuleViolation("Too late.", code="deadline.passed", extra={"days": 3}),
            400,
            {"message": "Too late.", "code": "deadline.passed", "extra": {"days": 3}},
        ),
        (lambda: NotFound("Not found."), 404, {"message": "Not found.", "code": "not_found", "extra": {}}),
        (
            lambda: PermissionDenied("No.", code="capability.case.file"),
            403,
            {"message": "No.", "code": "capability.case.file", "extra": {}},
        ),
        (
            lambda: Conflict("Changed meanwhile."),
            409,
            {"message": "Changed meanwhile.", "code": "conflict", "extra": {}},
        ),
        (
            lambda: InvalidInput({"amount": "Bad amount."}),
            400,
            {"message": "Bad amount.", "code": "invalid_input", "extra": {"fields": {"amount": ["Bad amount."]}}},
        ),
        (
            lambda: DjangoValidationError({"amount": ["Bad amount."]}),
            400,
            {"message": "Bad amount.", "code": "invalid_input", "extra": {"fields": {"amount": ["Bad amount."]}}},
        ),
        (
            lambda: DjangoValidationError("Plain."),
            400,
            {"message": "Plain.", "code": "invalid_input", "extra": {"fields": {"non_field_errors": ["Plain."]}}},
        ),
        (lambda: Http404(), 404, {"message": "Not found.", "code": "not_found", "extra": {}}),
        (
            lambda: DjangoPermissionDenied(),
            403,
            {"message": "You do not have permission to perform this action.", "code": "permission_denied", "extra": {}},
        ),
        (
            lambda: drf_exceptions.NotAuthenticated(),
            401,
            {"message": "Authentication credentials were not provided.", "code": "not_authenticated", "extra": {}},
        ),
    ],
)
def test_the_handler_gives_every_error_the_one_shape(make_exc, status, body):
    response = exception_handler(make_exc(), {})
    assert response.status_code == status
    assert response.data == body


def test_the_handler_leaves_other_exceptions_to_django():
    assert exception_handler(RuntimeError("boom"), {}) is None


def test_nested_serializer_errors_are_flattened_to_dotted_field_names():
    detail = {"amount": ["A valid number is required."], "parties": [{}, {"id_number": ["Bad."], "role": ["Unknown."]}]}
    assert _flatten_drf(detail) == {
        "amount": ["A valid number is required."],
        "parties.1.id_number": ["Bad."],
        "parties.1.role": ["Unknown."],
    }


def test_a_serializer_error_through_the_api_names_the_field(api_as, clerk):
    response = api_as(clerk).post("/api/v1/cases/", {"court": "京0105"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert_error_shape(body)
    assert body["code"] == "invalid_input"
    assert set(body["extra"]["fields"]) >= {"case_type", "filing_date", "amount", "cause", "parties"}
    assert body["message"] == body["extra"]["fields"]["case_type"][0]


def test_anonymous_api_calls_are_refused_with_the_error_shape(api_client):
    response = api_client.get("/api/v1/cases/")
    assert response.status_code in (401, 403)
    assert_error_shape(response.json())
    assert response.json()["code"] == "not_authenticated"


def test_a_role_without_the_capability_gets_403_with_the_error_shape(api_as, agency_user):
    response = api_as(agency_user).get("/api/v1/cases/")
    assert response.status_code == 403
    assert_error_shape(response.json())
    assert response.json()["code"] == "permission_denied"


def test_a_missing_object_gets_404_with_the_error_shape(api_as, officer):
    response = api_as(officer).get("/api/v1/cases/999999/")
    assert response.status_code == 404
    assert response.json() == {"message": "Not found.", "code": "not_found", "extra": {}}


def test_a_method_not_allowed_gets_405_with_the_error_shape(api_as, officer):
    response = api_as(officer).delete("/api/v1/cases/1/")
    assert response.status_code == 405
    assert_error_shape(response.json())
    assert response.json()["code"] == "method_not_allowed"


def test_malformed_json_gets_400_with_the_error_shape(api_as, clerk):
    response = api_as(clerk).post("/api/v1/cases/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert_error_shape(response.json())
    assert response.json()["code"] == "parse_error"


def test_a_nested_serializers_own_error_is_filed_under_its_field():
    detail = {
        "parties": {"non_field_errors": ["This list may not be empty."]},
        "items": [{"non_field_errors": ["Inconsistent."]}],
    }
    assert _flatten_drf(detail) == {"parties": ["This list may not be empty."], "items.0": ["Inconsistent."]}
