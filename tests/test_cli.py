"""The `stockport-geo` command line on the real store."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app

runner = CliRunner()


def test_profile_by_name(store_path: Path) -> None:
    result = runner.invoke(
        app, ["profile", "Edgeley", "--store", str(store_path)], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    assert "Edgeley (ward E05015023)" in result.output
    assert "294,774" in result.output  # borough residents beside the ward's
    assert "Open Government Licence" in result.output


def test_profile_reads_summary_first_and_fits_a_piped_terminal(store_path: Path) -> None:
    result = runner.invoke(app, ["profile", "Edgeley", "--store", str(store_path)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    table_starts = next(n for n, line in enumerate(lines) if line.startswith("┏"))
    summary = " ".join(lines[1:table_starts])
    assert "Edgeley is home to 12,382 residents" in summary  # the plain words come first
    assert max(len(line) for line in lines) <= 80  # piped: 80 columns, nothing wider
    assert len(lines) < 500  # 132 figures, not a thousand wrapped lines


def test_profile_unknown_area_is_a_clear_error(store_path: Path) -> None:
    result = runner.invoke(app, ["profile", "Atlantis", "--store", str(store_path)])
    assert result.exit_code == 1
    assert "no area matches 'Atlantis'" in result.output


@pytest.mark.parametrize(
    ("typed", "ward"),
    [("brinington", "Brinnington & Stockport Central"), ("Heaton's North", "Heatons North")],
)
def test_profile_forgives_typos_and_punctuation_like_the_search(
    store_path: Path, typed: str, ward: str
) -> None:
    result = runner.invoke(
        app, ["profile", typed, "--store", str(store_path)], env={"COLUMNS": "120"}
    )
    assert result.exit_code == 0, result.output
    assert result.output.lstrip().startswith(f"{ward} ")


def test_profile_near_miss_suggests_names(store_path: Path) -> None:
    result = runner.invoke(app, ["profile", "Edgelee Hall", "--store", str(store_path)])
    assert result.exit_code == 1
    assert "no area matches 'Edgelee Hall'; did you mean" in result.output
    assert "Edgeley (ward E05015023)" in result.output


def test_profile_ambiguous_name_lists_candidates(store_path: Path) -> None:
    result = runner.invoke(
        app, ["profile", "Cheadle", "--store", str(store_path)], env={"COLUMNS": "300"}
    )
    assert result.exit_code == 0, result.output  # the Cheadle neighbourhood, an exact name
    result = runner.invoke(
        app, ["profile", "Reddish", "--store", str(store_path)], env={"COLUMNS": "300"}
    )
    assert result.exit_code == 1
    assert "Reddish North" in result.output and "Reddish South" in result.output


def test_build_error_names_the_problem(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["build", "--mirror", str(tmp_path), "--store", str(tmp_path / "s.gpkg")],
        env={"COLUMNS": "300"},
    )
    assert result.exit_code == 1
    assert "lsoa_2021" in result.output and "not found" in result.output
    assert not (tmp_path / "s.gpkg").exists()


def test_build_writes_store_and_prints_timings(tmp_path: Path, mirror: Path) -> None:
    store = tmp_path / "s.gpkg"
    result = runner.invoke(
        app, ["build", "--mirror", str(mirror), "--store", str(store)], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    assert store.is_file()
    assert "read boundaries" in result.output and "write store" in result.output


def test_sources_lists_standins_and_presence(mirror: Path) -> None:
    result = runner.invoke(app, ["sources", "--mirror", str(mirror)], env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    assert "SYNTHETIC stand-in" in result.output
    assert "flood_zones" in result.output and "OGL-UK-3.0" in result.output
    assert "missing" not in result.output


def test_serve_runs_two_workers(store_path: Path) -> None:
    import shutil
    import signal
    import subprocess
    import sys
    import time
    import urllib.request

    from tests.conftest import free_port

    port = free_port()
    exe = shutil.which("stockport-geo", path=str(Path(sys.executable).parent))
    assert exe, "the stockport-geo entry point is not installed"
    server = subprocess.Popen(
        [exe, "serve", "--store", str(store_path), "--port", str(port), "--workers", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/conformance", timeout=2):
                    break
            except OSError:
                assert server.poll() is None, "serve exited"
                assert time.monotonic() < deadline, "serve did not answer"
                time.sleep(0.2)
        workers = subprocess.run(
            ["pgrep", "-P", str(server.pid)], capture_output=True, text=True, check=False
        ).stdout.split()
        assert len(workers) == 2
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)
    assert server.returncode == 0
