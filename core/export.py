"""List export for pages: the same rows as CSV (UTF-8 with BOM, so Excel opens Chinese text) or .xlsx.

Small lists are built in the request. A list longer than ``ZHIXING_ASYNC_EXPORT_ROWS`` (default 5,000) is
exported in the background when the call site passes ``request`` and ``total``: the request starts a job
(``core.jobs``) and answers with the job page; the Celery task ``core.tasks.export_run`` replays the same view
with the same query string as the same user (so the rows, their scope and the permission checks are the call
site's own, checked again when the task runs), and ``export_response`` — seeing the job's sink — writes the
file in chunks, advancing the job, instead of answering. The file is downloaded through ``core:job-download``,
which checks the owner and audits the download."""

from __future__ import annotations

import contextlib
import csv
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextvars import ContextVar
from io import BytesIO
from itertools import islice

from django.conf import settings
from django.db import models, transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

MAX_EXPORT_ROWS = 50_000
ASYNC_EXPORT_ROWS = 5_000
CHUNK_ROWS = 500
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

# Set by export_run while it replays a view: export_response then writes into the job instead of answering.
_sink: ContextVar = ContextVar("export_sink", default=None)


def async_threshold() -> int:
    return int(getattr(settings, "ZHIXING_ASYNC_EXPORT_ROWS", ASYNC_EXPORT_ROWS))


class _Echo:
    def write(self, value):
        return value


def export_response(
    *,
    kind: str,
    filename: str,
    header: Sequence[str],
    rows: Iterable[Sequence],
    request=None,
    total: int | models.QuerySet | None = None,
) -> HttpResponse:
    """The file as the response; or, given ``request`` and ``total`` (the number of rows, or the queryset they
    come from, counted only here) above the threshold, a job exporting it in the background."""
    sink = _sink.get()
    if sink is not None:
        return sink.write(kind=kind, filename=filename, header=header, rows=rows, total=_count(total))
    if request is not None and total is not None:
        count = _count(total)
        if count > async_threshold():
            return export_start(request=request, kind=kind, filename=filename, total=count)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if kind == "xlsx":
        buffer = BytesIO()
        _xlsx_write(buffer, header, rows)
        response = HttpResponse(buffer.getvalue(), content_type=CONTENT_TYPES["xlsx"])
    else:
        response = StreamingHttpResponse(_csv_lines(header, rows), content_type=CONTENT_TYPES["csv"])
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.{_extension(kind)}"'
    return response


def _extension(kind: str) -> str:
    return "xlsx" if kind == "xlsx" else "csv"


def _xlsx_write(out, header: Sequence[str], rows: Iterable[Sequence]) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append([str(h) for h in header])
    for row in rows:
        sheet.append([str(v) if v is not None else "" for v in row])
    workbook.save(out)


def _csv_lines(header: Sequence[str], rows: Iterable[Sequence]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([str(h) for h in header])
    for row in rows:
        yield writer.writerow(["" if v is None else str(v) for v in row])


def _count(total) -> int:
    if total is None:
        return 0
    if isinstance(total, models.QuerySet):
        total = total.count()
    return min(int(total), MAX_EXPORT_ROWS)


def export_start(*, request, kind: str, filename: str, total: int) -> HttpResponse:
    """Start the background export of the list ``request`` asks for and send the user to its progress."""
    from .audit import audit_record
    from .jobs import start_job
    from .models import JobKind
    from .tasks import export_run

    query = request.GET.copy()
    with transaction.atomic():
        job = start_job(
            kind=JobKind.EXPORT,
            user=request.user,
            title=f"{filename}.{kind}",
            total=total,
            params={"path": request.path, "query": query.urlencode(), "language": get_language() or ""},
        )
        audit_record(
            actor=request.user,
            action="job.export",
            obj=job,
            changes={"path": request.path, "query": query.urlencode(), "rows": total},
        )
        transaction.on_commit(lambda: export_run.delay(job.pk))
    return redirect(reverse("job-list") + f"?started={job.pk}")


class JobSink:
    """Where a replayed view's export goes: a temporary file, written row by row, the job advanced every
    ``CHUNK_ROWS`` rows, then saved as the job's result."""

    def __init__(self, job):
        self.job = job
        self.written = False
        self.count = 0

    def _counted(self, rows: Iterable[Sequence]) -> Iterator[Sequence]:
        """At most ``MAX_EXPORT_ROWS`` of ``rows``, counted, the job advanced every ``CHUNK_ROWS``."""
        from .jobs import job_progress

        for row in islice(rows, MAX_EXPORT_ROWS):
            yield row
            self.count += 1
            if self.count % CHUNK_ROWS == 0:
                job_progress(self.job, done=self.count)

    def write(self, *, kind: str, filename: str, header: Sequence[str], rows: Iterable[Sequence], total: int):
        from django.core.files import File

        from .jobs import finish_job, job_progress, job_running

        job_running(self.job, total=total)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        name = f"{filename}-{stamp}.{_extension(kind)}"
        rows = self._counted(rows)
        with tempfile.TemporaryFile() as out:
            if kind == "xlsx":
                _xlsx_write(out, header, rows)
            else:
                for line in _csv_lines(header, rows):
                    out.write(line.encode())
            job_progress(self.job, done=self.count)
            self.job.total = self.count
            out.seek(0)
            finish_job(
                job=self.job,
                message=_("%(count)s rows exported.") % {"count": self.count},
                result=File(out, name=name),
                result_name=name,
            )
        self.written = True
        return HttpResponse(status=204)


@contextlib.contextmanager
def exporting_into(job):
    """While inside, ``export_response`` writes into ``job`` (see ``JobSink``)."""
    sink = JobSink(job)
    token = _sink.set(sink)
    try:
        yield sink
    finally:
        _sink.reset(token)
