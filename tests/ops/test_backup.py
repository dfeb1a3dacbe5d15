"""`daiban backup` then `daiban restore` gives back identical data, on the database the suite runs against.

These drive the real command line in a subprocess against a scratch database (a file for SQLite, a fresh
database for PostgreSQL), as an operator would.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest

DAIBAN = [sys.executable, "-m", "daiban.cli"]
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
SETUP = "import os, django; os.environ['DJANGO_SETTINGS_MODULE'] = 'daiban.settings'; django.setup();"


def _run(env: dict, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([*DAIBAN, *args], env=env, capture_output=True, text=True, check=False)
    if check and result.returncode != 0:
        raise AssertionError(f"daiban {' '.join(args)} failed: {result.stderr}")
    return result


def _dump(env: dict) -> str:
    code = (
        SETUP + "from django.core.management import call_command;"
        "call_command('dumpdata', 'projects', 'audit', 'approvals', 'accounts', '--indent=0')"
    )
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout


def _wipe_projects(env: dict) -> None:
    code = SETUP + "from daiban.projects.models import Project; Project.all_objects.all().delete()"
    subprocess.run([sys.executable, "-c", code], env=env, check=True)


@pytest.fixture
def scratch_env(tmp_path):
    """Environment for a scratch database of the same kind as the suite's."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DAIBAN_HOME"] = str(tmp_path / "home")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        yield env
        return
    name = f"daiban_backup_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = f"{PG_SERVER}/{name}"
    yield env
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_backup_then_restore_gives_identical_data(scratch_env, tmp_path: Path) -> None:
    _run(scratch_env, "init", "--admin", "admin", "--password", "a-long-password-1")
    _run(scratch_env, "demo", "--scale", "10")
    before = _dump(scratch_env)
    assert "projects.project" in before

    backup = tmp_path / "daiban.backup"
    _run(scratch_env, "backup", str(backup))
    _wipe_projects(scratch_env)
    assert _dump(scratch_env) != before

    _run(scratch_env, "restore", str(backup))
    assert _dump(scratch_env) == before


def test_restore_refuses_a_file_that_is_not_a_backup(scratch_env, tmp_path: Path) -> None:
    _run(scratch_env, "init", "--admin", "admin", "--password", "a-long-password-1")
    bogus = tmp_path / "notes.txt"
    bogus.write_text("not a database", encoding="utf-8")
    result = _run(scratch_env, "restore", str(bogus), check=False)
    assert result.returncode == 1
    assert "备份文件" in result.stderr
    assert "Traceback" not in result.stderr
    missing = _run(scratch_env, "restore", str(tmp_path / "nope.backup"), check=False)
    assert missing.returncode == 1 and "找不到备份文件" in missing.stderr
