"""The admin lists the trial side's records (read-mostly: they are written through the services)."""

import pytest

from tests.cases.builders import civil_case, judgment

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model",
    [
        "effectivedocument",
        "trialevent",
        "preservationapplication",
        "preservationmeasure",
        "filingalert",
        "preservationnoticedecision",
    ],
)
def test_the_admin_lists_and_opens_the_records(client_as, superuser, judge, court, model):
    document = judgment(civil_case(court), actor=judge)
    client = client_as(superuser)
    assert client.get(f"/admin/cases/{model}/").status_code == 200
    assert client.get(f"/admin/cases/{model}/add/").status_code == 403
    if model == "effectivedocument":
        assert client.get(f"/admin/cases/effectivedocument/{document.pk}/change/").status_code == 200
