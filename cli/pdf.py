"""Print a page to PDF with headless Chromium (the same engine the browser tests use)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import typer

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = (
    "--headless",
    "--no-sandbox",  # CI and containers run as root, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--no-pdf-header-footer",
    "--virtual-time-budget=10000",  # let the map's scripts draw before printing
)


class PdfError(RuntimeError):
    """The page could not be printed (no browser, or the browser failed)."""


def find_browser() -> str:
    """The path of a Chromium-family browser, or a clear error saying how to get one."""
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    msg = "--pdf needs Chromium (e.g. `apt-get install chromium`); none found on PATH"
    raise PdfError(msg)


def print_to_pdf(html: str, pdf: Path, *, timeout: float = 180.0) -> int:
    """Write `html` printed to A4 (the page's print stylesheet) as `pdf`; returns its bytes."""
    browser = find_browser()
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "page.html"
        page.write_text(html, encoding="utf-8")
        target = Path(folder) / "page.pdf"
        try:
            subprocess.run(
                [browser, *FLAGS, f"--print-to-pdf={target}", page.as_uri()],
                check=True,
                capture_output=True,
                timeout=timeout,
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            msg = f"{browser} could not print the page: {exc}"
            raise PdfError(msg) from exc
        if not target.is_file() or not target.read_bytes().startswith(b"%PDF"):
            msg = f"{browser} wrote no PDF"
            raise PdfError(msg)
        pdf.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(target), pdf)
    return pdf.stat().st_size


def write_pdf(html: str, pdf: Path) -> int:
    """:func:`print_to_pdf` with a red line and exit code 1 on failure (for commands)."""
    try:
        return print_to_pdf(html, pdf)
    except PdfError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc
