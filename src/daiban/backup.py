"""Backup and restore of the whole database.

SQLite: the online backup API (a consistent copy while the site runs). PostgreSQL: pg_dump's custom format and
pg_restore --clean. A restore first checks that the file is a daiban backup of the same kind of database.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection, connections

from daiban.core.errors import DomainError

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"


def _vendor() -> str:
    return connection.vendor


def backup_write(target: Path) -> None:
    """Write a backup of the current database to ``target`` (overwritten)."""
    target = Path(target)
    if target.is_dir():
        raise DomainError(f"{target} 是目录，请给出备份文件名")
    if _vendor() == "sqlite":
        _sqlite_backup(Path(connection.settings_dict["NAME"]), target)
    elif _vendor() == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={target}", *_pg_args()])
    else:
        raise DomainError(f"不支持备份 {_vendor()} 数据库")


def backup_restore(source: Path) -> None:
    """Replace the current database's contents with the backup in ``source``."""
    source = Path(source)
    if not source.is_file():
        raise DomainError(f"找不到备份文件 {source}")
    head = source.read_bytes()[:16] if source.stat().st_size else b""
    connections.close_all()  # Note: an open connection would hold locks the restore must take
    if _vendor() == "sqlite":
        if not head.startswith(SQLITE_MAGIC):
            raise DomainError(f"{source} 不是 SQLite 备份文件")
        _check_sqlite_backup(source)
        _sqlite_backup(source, Path(connection.settings_dict["NAME"]))
    elif _vendor() == "postgresql":
        if not head.startswith(PGDUMP_MAGIC):
            raise DomainError(f"{source} 不是 PostgreSQL（pg_dump）备份文件")
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                *_pg_args(dbname_flag=True),
                str(source),
            ]
        )
    else:
        raise DomainError(f"不支持恢复 {_vendor()} 数据库")


def _sqlite_backup(source: Path, target: Path) -> None:
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        with dst:
            src.backup(dst)
    finally:
        src.close()
        dst.close()


def _check_sqlite_backup(source: Path) -> None:
    db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as error:
        raise DomainError(f"{source} 已损坏或不是数据库：{error}") from None
    finally:
        db.close()
    if not {"django_migrations", "projects_project"} <= tables:
        raise DomainError(f"{source} 不是 daiban 的备份（缺少项目数据表）")


def _pg_args(*, dbname_flag: bool = False) -> list[str]:
    settings = connection.settings_dict
    args = []
    if settings.get("HOST"):
        args.append(f"--host={settings['HOST']}")
    if settings.get("PORT"):
        args.append(f"--port={settings['PORT']}")
    if settings.get("USER"):
        args.append(f"--username={settings['USER']}")
    args.append(f"--dbname={settings['NAME']}" if dbname_flag else settings["NAME"])
    return args


def _run(command: list[str]) -> None:
    if shutil.which(command[0]) is None:
        raise DomainError(f"找不到 {command[0]}：请安装 PostgreSQL 客户端（postgresql-client）")
    env = dict(os.environ)
    if connection.settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = connection.settings_dict["PASSWORD"]
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if result.returncode != 0:
        message = (result.stderr or result.stdout).strip().splitlines()
        raise DomainError(f"{command[0]} 失败：{message[-1] if message else result.returncode}")
