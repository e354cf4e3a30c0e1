"""Pages of the long jobs (``core.jobs``): the progress partial that polls itself while the job runs, the
list of the user's recent jobs, and the download of an export's file (its owner only, audited)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .audit import audit_record
from .exceptions import NotFound
from .files import stored_file_response
from .jobs import job_get, job_state, jobs_of
from .models import JobKind

JOBS_SHOWN = 30


@never_cache
@require_GET
def job_partial(request, pk: int):
    """The job's progress bar (``templates/core/_job.html``); htmx replaces it every second while it runs.
    With ``?refresh=1`` (a page whose content the job changes, such as the bulk assignment), the poll that
    sees the job finished tells htmx to reload the whole page."""
    job = job_get(user=request.user, pk=pk)
    refresh = request.GET.get("refresh") == "1"
    response = render(request, "core/_job.html", {"job": job, "refresh_on_finish": refresh})
    if refresh and job.is_finished and getattr(request, "htmx", False):
        response["HX-Refresh"] = "true"
    return response


@require_GET
def job_list(request):
    """The user's recent jobs, newest first; the one just started (``?started=``) is marked."""
    jobs = [job_state(job) for job in jobs_of(request.user)[:JOBS_SHOWN]]
    started = request.GET.get("started", "")
    return render(
        request,
        "core/job_list.html",
        {"jobs": jobs, "started": int(started) if started.isdigit() else None},
    )


@require_GET
def job_download(request, pk: int):
    """An export's file, for the user who asked for it and nobody else; every download is audited."""
    try:
        job = job_get(user=request.user, pk=pk)
    except NotFound as error:
        raise Http404(error.message) from error
    if job.kind != JobKind.EXPORT or job.user_id != request.user.pk or not job.result:
        raise Http404(_("No such file."))
    audit_record(actor=request.user, action="job.download", obj=job, changes={"file": job.result_name})
    return stored_file_response(job.result, filename=job.result_name)
