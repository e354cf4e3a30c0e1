import pytest
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db


def test_the_agency_endpoints_are_in_the_schema_behind_the_api_key():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    listing = schema["paths"]["/api/v1/agency/requests/"]["get"]
    answer = schema["paths"]["/api/v1/agency/requests/{id}/answers/"]["post"]
    assert listing["security"] == [{"ApiKey": []}]
    assert answer["security"] == [{"ApiKey": []}]
    assert "AgencyRequestStatusEnum" in schema["components"]["schemas"]
