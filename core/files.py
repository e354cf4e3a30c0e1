"""Serving a stored document (a generated notice, order or ruling, an export): the one way every download view
answers with a file."""

from __future__ import annotations

from django.db.models.fields.files import FieldFile
from django.http import FileResponse
from django.utils.translation import gettext as _

from .exceptions import NotFound


def stored_file_response(stored: FieldFile, *, filename: str = "", content_type: str | None = None) -> FileResponse:
    """``stored`` as an attachment named ``filename`` (by default its own name). ``NotFound`` when the record has
    no file, and ``NotFound`` (code ``document.file_missing``) saying so when its file is gone from storage: a
    404 with the reason, never a server error."""
    if not stored:
        raise NotFound(_("Not found."))
    try:
        handle = stored.open("rb")
    except FileNotFoundError as exc:
        raise NotFound(
            _("The file of this document is missing from the court's storage; ask the court administrator."),
            code="document.file_missing",
        ) from exc
    return FileResponse(
        handle, as_attachment=True, filename=filename or stored.name.rsplit("/", 1)[-1], content_type=content_type
    )
