"""Letters as PDF: a Django template rendered to HTML, then to PDF bytes with WeasyPrint.

Letter templates are self-contained (inline CSS, fonts installed on the machine), so rendering never
needs the internet. The URL fetcher refuses anything but local files and data URLs, so a stray link in
a template cannot make the server fetch from the network.
"""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header

PDF_CONTENT_TYPE = "application/pdf"
_LOCAL_PROTOCOLS = ("file", "data")


def render_pdf(template_name: str, context: dict[str, Any], *, request: HttpRequest | None = None) -> bytes:
    """Render `template_name` with `context` to PDF bytes. Relative URLs resolve against the project folder."""
    from weasyprint import HTML, URLFetcher  # imported here: WeasyPrint loads Pango, which only letters need

    html = render_to_string(template_name, context, request=request)
    base_url = Path(settings.BASE_DIR).resolve().as_uri() + "/"
    pdf = HTML(string=html, base_url=base_url, url_fetcher=URLFetcher(allowed_protocols=_LOCAL_PROTOCOLS)).write_pdf()
    assert pdf is not None  # write_pdf returns bytes when no target is given
    return bytes(pdf)


def pdf_response(content: bytes, *, filename: str) -> HttpResponse:
    """A PDF download: `Content-Disposition: attachment` with the given file name."""
    response = HttpResponse(content, content_type=PDF_CONTENT_TYPE)
    disposition = content_disposition_header(as_attachment=True, filename=filename)
    assert disposition is not None  # None only for an inline response without a file name
    response["Content-Disposition"] = disposition
    return response
