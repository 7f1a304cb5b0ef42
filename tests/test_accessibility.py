"""Pages a person uses pass an automated accessibility check (axe-core in Chromium, every
WCAG 2.0 and 2.1 A and AA rule) and have no console errors; /docs works with no internet."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.test_browser import browser, errors  # noqa: F401  (the browser fixture)

AXE_VERSION = "4.14.1"  # pinned, with its integrity, in .ci/test_assets.py
AXE = (
    Path(__file__).resolve().parent.parent
    / ".test-assets"
    / f"axe-core-{AXE_VERSION}"
    / "axe.min.js"
)
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
"""Every axe-core rule for WCAG 2.0 and 2.1, levels A and AA (contrast, labels, names, zoom,
landmarks, nesting), not a chosen few."""
PAGES = [
    "/",
    "/search?q=bramhall",
    "/profiles/ward/E05015023?f=html&base=none",
    "/maps/ward/imd2025_score_pop_weighted?base=none",
    "/maps",
    "/maps/here?base=none",
    "/age-friendly",
    "/collections?f=html",
    "/collections/services_libraries/items?f=html",
    "/collections/ward/items/E05015023?f=html",
]


def axe_violations(driver: object) -> list[str]:
    """Violations of the :data:`TAGS` rules on the open page: rule id and first offending node."""
    if not AXE.exists():
        pytest.fail(
            f"axe-core {AXE_VERSION} is missing ({AXE}): run `python3 .ci/test_assets.py` "
            "(bash .ci/run does it; it downloads from the npm registry)",
            pytrace=False,
        )
    driver.execute_script(AXE.read_text(encoding="utf-8"))  # type: ignore[attr-defined]
    result = driver.execute_async_script(  # type: ignore[attr-defined]
        "const done = arguments[arguments.length - 1];"
        f"axe.run(document, {{runOnly: {{type: 'tag', values: {TAGS!r}}}}})"
        ".then(r => done(r.violations.map(v => v.id + ': ' + v.nodes[0].html)))"
        ".catch(e => done(['axe failed: ' + e]));"
    )
    return list(result)


@pytest.mark.browser
@pytest.mark.network_server
@pytest.mark.parametrize("path", PAGES)
def test_page_passes_axe_and_logs_no_errors(
    browser: object,  # noqa: F811
    live_server: str,
    path: str,
) -> None:
    driver = browser
    driver.set_window_size(1280, 900)  # type: ignore[attr-defined]
    driver.set_script_timeout(60)  # type: ignore[attr-defined]
    driver.get(live_server + path)  # type: ignore[attr-defined]
    assert axe_violations(driver) == []
    assert errors(driver) == []


def test_docs_are_served_from_local_files(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    assert "/static/docs/swagger-ui-bundle.js" in page.text
    assert "cdn." not in page.text and "jsdelivr" not in page.text
    script = client.get("/static/docs/swagger-ui-bundle.js")
    assert script.status_code == 200 and len(script.content) > 100_000


@pytest.mark.browser
@pytest.mark.network_server
def test_docs_render_offline(browser: object, live_server: str) -> None:  # noqa: F811
    import time

    driver = browser
    driver.get(live_server + "/docs")  # type: ignore[attr-defined]
    deadline = time.monotonic() + 30
    title = ""
    while time.monotonic() < deadline and "One Stockport" not in title:
        title = str(
            driver.execute_script(  # type: ignore[attr-defined]
                "const t = document.querySelector('.swagger-ui .info .title');"
                "return t ? t.textContent : '';"
            )
        )
        time.sleep(0.3)
    assert "One Stockport" in title
    assert errors(driver) == []
