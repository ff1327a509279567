"""The demo's own safety (operations.md "Commands"): `make` writes the secret key owner-only and
without debug pages, and `demo_logins` prints the address the demo is served on."""

import os
import shutil
import stat
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

ROOT = Path(settings.BASE_DIR)


def make(tmp_path: Path, *targets: str) -> subprocess.CompletedProcess:
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    return subprocess.run(  # noqa: S603
        ["make", "--no-print-directory", "-C", str(tmp_path), *targets],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        # A permissive umask, as on most machines: the Makefile must not rely on the caller's.
        preexec_fn=lambda: os.umask(0o022),
    )


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_the_secret_key_file_is_written_owner_only_and_without_debug(tmp_path):
    result = make(tmp_path, "var/.env", "private")
    assert result.returncode == 0, result.stderr
    env_file = tmp_path / "var" / ".env"
    assert mode(env_file) == 0o600
    assert mode(tmp_path / "var") == 0o700
    lines = env_file.read_text().splitlines()
    assert [line.split("=")[0] for line in lines] == [
        "FAIRHEAR_SECRET_KEY",
        "FAIRHEAR_SECURE_COOKIES",
    ]
    assert len(lines[0].split("=", 1)[1]) >= 50
    assert "FAIRHEAR_DEBUG" not in env_file.read_text()


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_files_an_older_checkout_wrote_world_readable_are_made_owner_only(tmp_path):
    var = tmp_path / "var"
    var.mkdir()
    (var / ".env").write_text("FAIRHEAR_SECRET_KEY=old\nFAIRHEAR_DEBUG=true\n")
    (var / "fairhear.sqlite3").write_bytes(b"")
    for path in (var / ".env", var / "fairhear.sqlite3"):
        path.chmod(0o644)
    result = make(tmp_path, "private")
    assert result.returncode == 0, result.stderr
    assert mode(var / ".env") == 0o600
    assert mode(var / "fairhear.sqlite3") == 0o600
    assert (var / ".env").read_text() == (
        "FAIRHEAR_SECRET_KEY=old\nFAIRHEAR_SECURE_COOKIES=false\n"
    )
    assert "Removed FAIRHEAR_DEBUG=true from var/.env" in result.stdout


@pytest.mark.django_db
def test_demo_logins_prints_the_address_it_serves_on():
    out = StringIO()
    call_command("demo_logins", "--address", "0.0.0.0:8080", stdout=out)
    assert "Fairhear is at http://0.0.0.0:8080/ ." in out.getvalue().splitlines()
    out = StringIO()
    call_command("demo_logins", "--address", "8001", stdout=out)
    assert "Fairhear is at http://127.0.0.1:8001/ ." in out.getvalue().splitlines()
