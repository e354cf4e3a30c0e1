"""The demo's 执转破 (破, issue 8): after ``seed_demo``, a company registered in Chaoyang is on 京0105's screening
list, a transfer from 京0108 to 京0105 is under way with an applicant's consent, and a bankruptcy case accepted at
京0105 has been applied to the company's cases in both courts, with claims filed; a second run writes nothing."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from bankruptcy.choices import BankruptcyStatus, ClaimStatus, EffectKind, SuggestionStatus, TransferStatus
from bankruptcy.demo import COMPANIES, SEEDED
from bankruptcy.models import (
    BankruptcyCase,
    Claim,
    Consent,
    Distribution,
    Effect,
    Share,
    Suggestion,
    Transfer,
)
from core.access import scope_to_user
from core.models import AuditLog, User
from enforcement.choices import ClosingKind, Status

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _demo_settings(settings, tmp_path):
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts() -> tuple[int, ...]:
    models = (Suggestion, Transfer, Consent, BankruptcyCase, Effect, Claim, Distribution, Share, AuditLog)
    return tuple(model.objects.count() for model in models)


def test_the_demo_shows_a_screened_company_a_transfer_and_an_accepted_case_and_a_second_run_writes_nothing():
    output = seed()
    marker = AuditLog.objects.get(action=SEEDED).changes
    assert "bankruptcy:" in output and COMPANIES["screened"][0] in output

    # 1. the screened company: two 终本 cases at 京0105, on the screening list of 京0105 (and 京0108)
    suggestion = Suggestion.objects.get(debtor_id=marker["screened"])
    assert suggestion.status == SuggestionStatus.OPEN
    assert suggestion.debtor.id_number[2:8] == "110105"
    assert {c.code for c in suggestion.courts.all()} == {"京0105", "京0108"}
    assert suggestion.figures["terminated_cases"] == 2
    assert suggestion.score >= 50
    officer = User.objects.get(username="demo-officer")
    assert scope_to_user(Suggestion.objects.all(), officer, court_field="courts").filter(pk=suggestion.pk).exists()
    for case in suggestion.debtor.case_links.filter(case__court__code="京0105").select_related("case__enforcement"):
        ec = case.case.enforcement
        assert (ec.status, ec.closing_kind) == (Status.CLOSED, ClosingKind.TERMINATED_THIS_ROUND)

    # 2. the transfer from 京0108 to the domicile court, an applicant's consent recorded; 京0105 sees it
    transfer = Transfer.objects.get(pk=marker["transfer"])
    assert (transfer.court.code, transfer.receiving_court.code) == ("京0108", "京0105")
    assert transfer.proposed_by.username == "demo-officer2" and transfer.notice_document.name.endswith(".docx")
    assert transfer.consents.filter(consents=True).count() == 1
    # ruled by 京0108's division head: it awaits 京0105's decision within 30 days
    assert (transfer.status, transfer.ruled_by.username) == (TransferStatus.TRANSFERRED, "demo-head2")
    assert transfer.decision_due_on == transfer.transferred_on + dt.timedelta(days=30)
    judge = User.objects.get(username="demo-judge")
    visible = scope_to_user(Transfer.objects.all(), judge, court_field="receiving_court")
    assert visible.filter(pk=transfer.pk).exists()

    # 3. the bankruptcy case at 京0105, its acceptance applied to the cases in both courts
    bc = BankruptcyCase.objects.get(case__number=marker["bankruptcy_case"])
    assert (bc.case.court.code, bc.case.case_type, bc.status) == ("京0105", "破", BankruptcyStatus.ACCEPTED)
    assert bc.effects_applied_at is not None and bc.administrator and bc.claims_deadline_on
    effects = {e.enforcement_case.case.court.code: e for e in Effect.objects.filter(bankruptcy_case=bc)}
    assert effects["京0105"].kind == EffectKind.SUSPENDED  # suspended (企业破产法 art. 19)
    assert effects["京0105"].enforcement_case.status == Status.SUSPENDED
    assert effects["京0108"].kind == EffectKind.OTHER_DEBTORS  # goes on against the guarantor
    assert effects["京0108"].enforcement_case.status != Status.SUSPENDED
    claims = Claim.objects.filter(bankruptcy_case=bc)
    assert claims.count() == 2 and all(c.enforcement_case_id for c in claims)
    assert sorted(claims.values_list("status", flat=True)) == sorted([ClaimStatus.ADMITTED, ClaimStatus.FILED])

    # every case the demo filed (seven 执 cases and the 破 case) is named in its marker
    assert len(marker["cases"]) == 8 and marker["bankruptcy_case"] in marker["cases"]

    before = counts()
    assert "bankruptcy: demo data already seeded." in seed()
    assert counts() == before
