"""Private files: folders 0700 and files 0600 whatever the umask, and atomic writes.

The check-in log is intimate; nothing the app writes may be readable by other
users on the machine, even for an instant, so files are created with their
final mode rather than chmod-ed afterwards.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from store.errors import StoreError

FOLDER_MODE = 0o700
FILE_MODE = 0o600
SIDE_SUFFIXES = ("-wal", "-shm", "-journal")


def make_private_folder(folder: Path) -> None:
    """Create `folder` (and missing parents) as 0700.

    An existing folder is tightened only when it holds nothing but this
    database (see `tighten_dedicated_folder`).
    """
    missing = []
    current = folder
    while not current.exists():
        missing.append(current)
        current = current.parent
    try:
        for path in reversed(missing):
            path.mkdir(mode=FOLDER_MODE)
            os.chmod(path, FOLDER_MODE)  # mkdir's mode is filtered by the umask
    except OSError as error:
        raise StoreError(
            f"cannot create the database folder {folder}: {error.strerror}; "
            "choose another place with --db or CHECKIN_DB"
        ) from error


def tighten_dedicated_folder(db_path: Path) -> None:
    """Make the database's folder 0700 when it is dedicated to it.

    A folder holding only the database and its side files (for example the
    data folder another part of the app created under a loose umask) is ours
    to lock down. A shared folder the user chose (say ~/Documents) is left as
    it is: the files inside are 0600 anyway, and changing it would surprise.
    """
    folder = db_path.parent
    try:
        names = [entry.name for entry in os.scandir(folder)]
        if all(name.startswith(db_path.name) for name in names):
            if folder.stat().st_mode & 0o777 != FOLDER_MODE:
                os.chmod(folder, FOLDER_MODE)
    except OSError:
        return  # a folder we may not inspect is not one we should change


def create_private_file(path: Path) -> None:
    """Create an empty file that is 0600 from its first moment (no-op if it exists)."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return
    os.close(descriptor)
    os.chmod(path, FILE_MODE)


def tighten_database_files(db_path: Path) -> None:
    """Make the database and its -wal/-shm side files 0600 (SQLite creates them itself)."""
    for path in (db_path, *(Path(f"{db_path}{suffix}") for suffix in SIDE_SUFFIXES)):
        with contextlib.suppress(FileNotFoundError):
            if path.stat().st_mode & 0o777 != FILE_MODE:
                os.chmod(path, FILE_MODE)


def write_private_file(target: Path, data: bytes) -> None:
    """Write `data` to `target` as 0600: a temp file in the same folder, fsync, then rename.

    A full disk or a read-only folder leaves `target` exactly as it was and no
    temp file behind.
    """
    target = target.expanduser()
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise StoreError(f"cannot write the export to {target}: it is a folder; give a file name")
    temp_name: str | None = None
    try:
        descriptor, temp_name = tempfile.mkstemp(
            dir=folder, prefix=f".{target.name}.", suffix=".tmp"
        )
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp_name, FILE_MODE)
        os.replace(temp_name, target)
        temp_name = None
    except OSError as error:
        raise StoreError(
            f"cannot write the export to {target}: {error.strerror or error}; "
            "free some disk space or choose another file with -o"
        ) from error
    finally:
        if temp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp_name)
