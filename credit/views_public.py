"""Public disclosure pages of credit, no login (mounted at /public/, namespace "disclosure"): the dishonest
list (失信被执行人名单), consumption restrictions in force (限制消费), debtors (被执行人) of open cases and of
public 终本 entries, one dishonest entry by its opaque token, and the party portal.

A term is required (nothing is listed without one), results are capped at ``RESULT_CAP`` and paginated 20 a
page, a malformed identifier or case number is answered on the page, and every client (by IP address) may
load ``PAGE_RATE`` public pages a minute and try ``PORTAL_RATE`` portal codes a minute; beyond that it gets a
429 page. A person's ID number is never shown whole; no address or phone number is shown at all."""

from __future__ import annotations

import re
import secrets
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from core.identifiers import mask_identifier
from core.ratelimit import rate_exceeded

from .selectors_public import (
    PAGE_SIZE,
    RESULT_CAP,
    PublicQuery,
    SearchResult,
    portal_progress,
    public_debtor_search,
    public_listing_get,
    public_listing_search,
    public_restriction_search,
)

# A term that looks like a 身份证号 or 统一社会信用代码 (a digit, and 6+ letters and digits), well formed or not.
_IDENTIFIER_SHAPED = re.compile(r"^\s*(?=[^\d]*\d)[0-9A-Za-z][0-9A-Za-z -]{5,}\s*$")
_REF_PREFIX = "disclosure-ref:"
REF_SECONDS = 30 * 60
PAGE_RATE = 30  # public page loads per client per minute
PORTAL_RATE = 10  # portal look-ups per client per minute


def too_many_requests(request):
    response = render(request, "credit/public/rate_limited.html", status=429)
    response["Retry-After"] = "60"
    return response


class RateLimitedMixin:
    """Answer 429 with a friendly page once the client has made more than ``limit`` requests this minute."""

    rate_scope = "pages"

    def rate_limit(self) -> int:
        return getattr(settings, "DISCLOSURE_PAGE_RATE", PAGE_RATE)

    def counts(self, request) -> bool:
        return True

    def dispatch(self, request, *args, **kwargs):
        bucket = f"disclosure-rate:{self.rate_scope}"
        if self.counts(request) and rate_exceeded(request, bucket=bucket, limit=self.rate_limit()):
            return too_many_requests(request)
        return super().dispatch(request, *args, **kwargs)


class PublicSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, ID number, credit code or case number"),
        required=False,
        max_length=100,
        help_text=_(
            "Two characters match the beginning of a name, three or more anywhere in it; an ID number "
            "(身份证号), a unified social credit code or a case number must be complete."
        ),
    )


@method_decorator(login_not_required, name="dispatch")
class PublicSearchView(RateLimitedMixin, TemplateView):
    """One public list searched by a term: the rows of the page, the count (at most ``RESULT_CAP``), whether
    more matched, and the message for a term that cannot be searched."""

    template_name = "credit/public/search.html"
    search = staticmethod(public_listing_search)
    rows_template = ""
    heading = ""
    intro = ""
    url_name = ""

    def get(self, request, *args, **kwargs):
        term = request.GET.get("q", "")
        if _IDENTIFIER_SHAPED.match(term):
            # An identifier never stays in the address (history, logs, the language switch's "next", shared
            # links): it is parked in the cache for a while and the page is reached by a random reference.
            ref = secrets.token_urlsafe(12)
            cache.set(f"{_REF_PREFIX}{ref}", term.strip(), timeout=REF_SECONDS)
            return redirect(f"{request.path}?{urlencode({'ref': ref})}")
        return super().get(request, *args, **kwargs)

    def _term(self) -> tuple[str, bool, bool]:
        """The term searched, whether it came by reference (an identifier), whether the reference expired."""
        ref = self.request.GET.get("ref", "")
        if ref:
            term = cache.get(f"{_REF_PREFIX}{ref}")
            return (term or "", True, term is None)
        return (self.request.GET.get("q", ""), False, False)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        term, by_reference, expired = self._term()
        if expired:
            result = SearchResult(PublicQuery(message=str(_("This search has expired; enter the number again."))))
        else:
            result = type(self).search(q=term)
        form = PublicSearchForm() if by_reference else PublicSearchForm(self.request.GET or None)
        if by_reference and term:
            # The number searched for is named masked (a person's ID number is never echoed back whole).
            context["searched_for"] = mask_identifier(result.query.value or "".join(term.split()))
        page_obj = paginator = None
        if result.query.searchable:
            paginator = Paginator(result, PAGE_SIZE)
            page_obj = paginator.get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            form=form,
            result=result,
            rows=list(page_obj.object_list) if page_obj else [],
            page_obj=page_obj,
            paginator=paginator,
            is_paginated=bool(paginator and paginator.num_pages > 1),
            query=query.urlencode(),
            cap=RESULT_CAP,
            rows_template=self.rows_template,
            heading=self.heading,
            intro=self.intro,
            url_name=self.url_name,
        )
        return context


class DishonestSearchView(PublicSearchView):
    search = staticmethod(public_listing_search)
    rows_template = "credit/public/_listing_rows.html"
    heading = _("Dishonest judgment debtors (失信被执行人名单)")
    intro = _(
        "Debtors listed under the rules on publishing the list of dishonest judgment debtors (失信规定 2017); an "
        "entry is deleted once the obligation is performed or another event of art. 10 occurs."
    )
    url_name = "disclosure:dishonest-search"


class RestrictedSearchView(PublicSearchView):
    search = staticmethod(public_restriction_search)
    rows_template = "credit/public/_restriction_rows.html"
    heading = _("Consumption restrictions in force (限制消费)")
    intro = _(
        "Debtors under a consumption restriction order (限制消费规定 2015); for an organisation the order also "
        "binds its legal representative and the other persons named."
    )
    url_name = "disclosure:restricted-search"


class DebtorSearchView(PublicSearchView):
    search = staticmethod(public_debtor_search)
    rows_template = "credit/public/_debtor_rows.html"
    heading = _("Persons subject to enforcement (被执行人)")
    intro = _(
        "Debtors of enforcement cases in progress, and of cases terminated for this round (终本) that are "
        "published in the 终本 database."
    )
    url_name = "disclosure:debtor-search"


@method_decorator(login_not_required, name="dispatch")
class DishonestDetailView(RateLimitedMixin, TemplateView):
    """One listed entry by its opaque token (404 alike for a bad token and an entry no longer listed)."""

    template_name = "credit/public/dishonest_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        listing = public_listing_get(token=kwargs["token"])
        if listing is None:
            raise Http404
        context["listing"] = listing
        return context


class PortalForm(forms.Form):
    case_number = forms.CharField(label=_("Case number"), max_length=40)
    code = forms.CharField(label=_("Query code (查询码)"), max_length=16, widget=forms.PasswordInput())


@method_decorator(login_not_required, name="dispatch")
class PortalView(RateLimitedMixin, TemplateView):
    """The party portal: the case number and its query code show the case's progress. The answer to an
    unknown case and to a wrong code is the same; look-ups (POSTs) are limited per client."""

    template_name = "credit/portal.html"
    rate_scope = "portal"

    def rate_limit(self) -> int:
        return getattr(settings, "DISCLOSURE_PORTAL_RATE", PORTAL_RATE)

    def counts(self, request) -> bool:
        return request.method == "POST"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", PortalForm())
        return context

    def post(self, request, *args, **kwargs):
        form = PortalForm(request.POST)
        progress = None
        if form.is_valid():
            progress = portal_progress(case_number=form.cleaned_data["case_number"], code=form.cleaned_data["code"])
            if progress is None:
                form.add_error(None, _("No case matches this case number and query code. Check both and try again."))
        if progress is not None:
            form = PortalForm(initial={"case_number": progress.number})
        return self.render_to_response(self.get_context_data(form=form, progress=progress))
