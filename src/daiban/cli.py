"""The ``daiban`` command. Each sub-command lives in ``daiban.commands.<name>`` with ``register(subparsers)``.

Errors a user can cause (bad dates, a missing file, a domain rule) print one line on stderr and exit 1;
argparse usage errors exit 2. Never a traceback for those.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from daiban.core.errors import DomainError

# Note: listed here, imported lazily per command, so `daiban calendar …` never pays for Django start-up.
COMMANDS = [
    "calendar",
    "plan",
    "serve",
    "init",
    "handbook",
    "import",
    "export",
    "tick",
    "demo",
    "token",
    "backup",
    "restore",
    "issue",
    "meeting",
    "report",
    "policy",
]
# A command whose name is a Python keyword (or reads badly as a module) lives in a module of another name.
MODULES = {"import": "importing", "export": "exporting"}


class CommandError(Exception):
    """A user-facing failure of a command: one line, non-zero exit."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="daiban", description="daiban 重大项目全程代办系统")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"daiban.commands.{MODULES.get(name, name)}").register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args) or 0
    except BrokenPipeError:
        # The reader went away (`daiban policy list | head`): not an error of ours; say nothing more.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except (CommandError, DomainError, OSError) as error:
        print(f"daiban {args.command}: 错误: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
