"""Downloading a file kept with a case: only for a colleague who may see the case (404 for
anyone else, exactly as for a case that does not exist), always as a download, never shown
in the browser, with the type read from its content (docs/security.md, "Attachments")."""

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest

from fairhear.cases.models import Case, CaseAttachment
from fairhear.cases.selectors import case_attachment_get, case_get_for_user
from fairhear.cases.services import case_access_record

# A browser told to open the file anyway runs nothing in it and loads nothing from it.
SANDBOX = "sandbox; default-src 'none'"


def case_attachment_download(
    request: HttpRequest, reference: str, attachment_id: int
) -> FileResponse:
    """The file as a download; its download is logged when the case's access is restricted
    (the access log names the file)."""
    try:
        case = case_get_for_user(user=request.user, reference=reference)
        attachment = case_attachment_get(case=case, attachment_id=attachment_id)
    except (Case.DoesNotExist, CaseAttachment.DoesNotExist):
        raise Http404("No such file on a case that you can see.") from None
    if case.restricted_access:
        case_access_record(case=case, user=request.user, page=f"{request.path} {attachment.name}")
    response = FileResponse(
        default_storage.open(attachment.stored_as, "rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX
    response["Cache-Control"] = "private, no-store"
    return response
