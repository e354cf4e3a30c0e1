"""Pages of command: the statistics of a court or one officer over a period, with charts and exports."""

from __future__ import annotations

from django import forms
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from core.exceptions import InvalidInput, NotFound
from core.export import export_response
from core.mixins import CapabilityRequiredMixin
from core.models import Court
from enforcement.choices import ClosingKind

from .selectors import officers_of, statistics_for

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeriodForm(forms.Form):
    date_from = forms.DateField(label=gettext_lazy("From"), required=False, widget=DATE)
    date_to = forms.DateField(label=gettext_lazy("To"), required=False, widget=DATE)
    officer = forms.TypedChoiceField(label=gettext_lazy("Officer"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, officers=(), courts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].choices = [("", _("The whole court"))] + [
            (u.pk, u.display_name or u.username) for u in officers
        ]
        if courts:  # a user of no court (a superuser) picks the court whose figures to see
            self.fields["court"] = forms.ChoiceField(
                label=gettext_lazy("Court"), required=False, choices=[(c.code, f"{c.code} {c.name}") for c in courts]
            )


def _money(value) -> str:
    return f"{value:.2f}"


def _percent(rate) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def figure_rows(stats) -> list[tuple[str, str]]:
    """The figures as (label, value) rows: the page's table and both exports."""
    rows = [
        (_("Cases received"), str(stats.received)),
        (_("Cases closed"), str(stats.closed)),
    ]
    for kind in ClosingKind:
        rows.append((_("Closed as %(kind)s") % {"kind": kind.label}, str(stats.closed_by_kind.get(kind.value, 0))))
    rows += [
        (_("Fully performed rate (执行完毕率)"), _percent(stats.completion_rate)),
        (_("Realisation rate (执行到位率)"), _percent(stats.realisation_rate)),
        (_("Amount applied for (closed cases)"), _money(stats.amount_applied)),
        (_("Amount realised (closed cases)"), _money(stats.amount_performed)),
        (_("Average duration (days)"), "—" if stats.mean_days is None else str(stats.mean_days)),
        (_("90th-percentile duration (days)"), "—" if stats.p90_days is None else str(stats.p90_days)),
        (_("终本 share"), _percent(stats.termination_share)),
        (_("Restored cases (执恢)"), str(stats.restorations)),
        (_("Amount frozen"), _money(stats.frozen)),
        (_("Amount deducted"), _money(stats.deducted)),
        (_("Amount paid out"), _money(stats.paid_out)),
    ]
    return rows


class StatisticsView(CapabilityRequiredMixin, TemplateView):
    capability = "command.statistics"
    template_name = "command/statistics.html"

    def get(self, request, *args, **kwargs):
        user = request.user
        can_pick = user.is_superuser or user.can("command.statistics_officers")
        officers = list(officers_of(user.court)) if user.court_id and can_pick else []
        if user.court_id and not can_pick:
            officers = [user]
        courts = [] if user.court_id else list(Court.objects.order_by("code"))
        if not user.court_id and not courts:
            raise Http404(_("No court has been set up yet."))
        form = PeriodForm(request.GET or None, officers=officers, courts=courts)
        data = form.cleaned_data if form.is_valid() else {}
        court_code = (data.get("court") or courts[0].code) if courts else None
        try:
            stats = statistics_for(
                user=user,
                court_code=court_code,
                officer_id=data.get("officer"),
                date_from=data.get("date_from"),
                date_to=data.get("date_to"),
            )
        except NotFound as exc:
            raise Http404(str(exc)) from exc
        except InvalidInput as exc:  # a period the form accepts but the rules do not (too long, reversed)
            for name, messages in exc.fields.items():
                form.add_error(name if name in form.fields else None, messages)
            stats = statistics_for(user=user, court_code=court_code)
        kind = request.GET.get("export")
        if kind in ("csv", "xlsx"):
            rows = figure_rows(stats) + [
                (_("Queries to %(agency)s (sent / answered / mean h / p90 h)") % {"agency": q.agency},
                 f"{q.sent} / {q.answered} / {q.mean_hours or '—'} / {q.p90_hours or '—'}")
                for q in stats.queries
            ]  # fmt: skip
            return export_response(kind=kind, filename="statistics", header=[_("Figure"), _("Value")], rows=rows)
        if not form.is_bound:  # show the period the figures cover (this year to today by default)
            form = PeriodForm(
                initial={"date_from": stats.scope.date_from, "date_to": stats.scope.date_to, "court": court_code},
                officers=officers,
                courts=courts,
            )
        context = self.get_context_data(form=form, stats=stats, rows=figure_rows(stats))
        context["chart_data"] = {
            "months": sorted(set(stats.received_by_month) | set(stats.closed_by_month)),
            "received": stats.received_by_month,
            "closed": stats.closed_by_month,
            "received_label": _("Cases received"),
            "closed_label": _("Cases closed"),
            "kinds": [{"name": str(ClosingKind(k).label), "value": n} for k, n in sorted(stats.closed_by_kind.items())],
            "agencies": [q.agency for q in stats.queries],
            "sent": [q.sent for q in stats.queries],
            "answered": [q.answered for q in stats.queries],
            "sent_label": _("Sent"),
            "answered_label": _("Answered"),
        }
        return self.render_to_response(context)
