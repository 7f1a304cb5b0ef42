"""Download the pinned browser-test assets the test suite reads (run by `.ci/run`).

axe-core (Deque Systems, MPL 2.0) is the accessibility engine the browser tests run in
Chromium; it is published on the npm registry, so it is fetched from there, checked against
the registry's published SHA-512 integrity, and unpacked to `.test-assets/` (not committed).
Standard library only: it runs before the project is installed.
"""

from __future__ import annotations

import base64
import hashlib
import io
import sys
import tarfile
import urllib.request
from pathlib import Path

AXE_VERSION = "4.14.1"
AXE_URL = f"https://registry.npmjs.org/axe-core/-/axe-core-{AXE_VERSION}.tgz"
AXE_INTEGRITY = (  # the registry's dist.integrity of this version
    "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37Ogud"
    "VGtQ=="
)
ASSETS = Path(__file__).resolve().parent.parent / ".test-assets"
AXE_FILE = ASSETS / f"axe-core-{AXE_VERSION}" / "axe.min.js"


def fetch_axe() -> Path:
    """axe.min.js of :data:`AXE_VERSION`, downloaded once and checked."""
    if AXE_FILE.exists():
        return AXE_FILE
    with urllib.request.urlopen(AXE_URL, timeout=60) as response:
        archive = response.read()
    algorithm, expected = AXE_INTEGRITY.split("-", 1)
    actual = base64.b64encode(hashlib.new(algorithm, archive).digest()).decode()
    if actual != expected:
        sys.exit(f"{AXE_URL}: integrity {algorithm}-{actual} is not the pinned {AXE_INTEGRITY}")
    with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tar:
        member = tar.extractfile("package/axe.min.js")
        if member is None:
            sys.exit(f"{AXE_URL}: no package/axe.min.js inside")
        AXE_FILE.parent.mkdir(parents=True, exist_ok=True)
        AXE_FILE.write_bytes(member.read())
    return AXE_FILE


if __name__ == "__main__":
    sys.stdout.write(f"{fetch_axe()}\n")
