"""Content-Security-Policy without inline scripts or styles: the header is on every page, and no
template carries an inline script, a style attribute or an event-handler attribute."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent
EXPECTED = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
}
INLINE = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "style element": re.compile(r"<style[\s>]", re.IGNORECASE),
    "style attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "event-handler attribute": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "htmx inline handler": re.compile(r"\shx-on", re.IGNORECASE),
    "javascript: address": re.compile(r"javascript:", re.IGNORECASE),
}
# Letters and PDF reports are rendered to PDF by WeasyPrint on the server and never reach a browser
# as HTML; their print stylesheet (page size, margins, page numbers) stays inline with them.
NOT_SERVED_AS_HTML = ("letters/", "_pdf.html")


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def test_the_policy_is_sent_on_the_login_page_and_the_desk(client, world):
    assert policy(client.get(reverse("login"))) == EXPECTED
    client.force_login(world.mette)
    assert policy(client.get(reverse("home"))) == EXPECTED
    assert policy(client.get(reverse("case_detail", args=[world.cookie_case.pk]))) == EXPECTED


def test_the_policy_is_sent_on_the_second_factor_page_and_on_errors(client, world):
    client.force_login(world.susanne)
    assert policy(client.get("/konto/to-faktor/opsaet/")) == EXPECTED
    client.force_login(world.mette)
    assert policy(client.get("/findes-ikke/")) == EXPECTED


def template_files() -> list[Path]:
    folders = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
    folders += [p for p in ROOT.glob("*/**/templates") if ".venv" not in p.parts and "node_modules" not in p.parts]
    return sorted({f for folder in folders for f in folder.rglob("*.html")})


def test_no_template_has_an_inline_script_or_style():
    files = template_files()
    assert any(f.name == "base.html" for f in files)
    found = []
    for path in files:
        if any(part in path.as_posix() for part in NOT_SERVED_AS_HTML):
            continue
        text = path.read_text()
        found += [f"{path.relative_to(ROOT)}: {what}" for what, pattern in INLINE.items() if pattern.search(text)]
    assert not found, found


def test_htmx_is_told_not_to_inject_its_indicator_style(client, world):
    client.force_login(world.mette)
    assert (
        """<meta name="htmx-config" content='{"includeIndicatorStyles": false}'>""" in client.get("/").content.decode()
    )
