"""Files the commands write: whole or not at all, with the permissions any new file of the user gets."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, TypeVar

T = TypeVar("T")


def write_atomically(path: Path, write: Callable[[IO[bytes]], T]) -> T:
    """Write beside ``path`` and rename, so a failure never leaves half a file; returns what ``write`` did.

    Note: mkstemp creates the file as 0600; it gets the mode a plain ``open`` would give it (0666 less
    the umask), so a report written for colleagues can be read by them.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=path.suffix)
    try:
        with os.fdopen(handle, "wb") as stream:
            result = write(stream)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
        return result
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
