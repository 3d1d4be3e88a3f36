"""A throw-away PostgreSQL cluster in a temporary folder.

For tests, benchmarks and trying the server back-end. Uses Debian's ``postgresql`` package
(``initdb`` and ``pg_ctl`` from ``/usr/lib/postgresql/<version>/bin``). The cluster listens on
a unix socket in its own folder only, so it never clashes with another server. PostgreSQL
refuses to run as root; as root the cluster runs as the unprivileged user ``nobody``.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

from sparcs.errors import StoreError

__all__ = ["LocalServer", "postgres_bin"]

_INSTALL = (
    "PostgreSQL is not installed: install Debian's package (apt-get install -y "
    "postgresql; scripts/test does it) or put initdb and pg_ctl on PATH"
)


def postgres_bin() -> Path:
    """The folder of ``initdb`` and ``pg_ctl``.

    Raises
    ------
    StoreError
        When PostgreSQL is not installed (the message says how to install it).
    """
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if found:
        return Path(found[-1]).parent
    which = shutil.which("initdb")
    if which:
        return Path(which).parent
    raise StoreError(_INSTALL)


class LocalServer:
    """A PostgreSQL cluster for the life of this object: :meth:`start`, :meth:`stop`."""

    def __init__(self, *, fast: bool = True) -> None:
        self.bin = postgres_bin()
        self.fast = fast
        self.folder = Path(tempfile.mkdtemp(prefix="sparcs-pg-"))
        self.user = "nobody" if os.geteuid() == 0 else None
        self.port = 5432

    def _run(self, *args: str) -> None:
        done = subprocess.run(
            [str(self.bin / args[0]), *args[1:]],
            capture_output=True,
            text=True,
            check=False,
            user=self.user,
            cwd=self.folder,
            timeout=120,
        )
        if done.returncode:
            msg = (
                f"{args[0]} failed ({done.returncode}): "
                f"{done.stderr.strip() or done.stdout.strip()}"
            )
            raise StoreError(msg)

    def start(self) -> str:
        """Create and start the cluster; return the URL of its ``postgres`` database."""
        if self.user is not None:
            shutil.chown(self.folder, self.user)
        data = self.folder / "data"
        self._run(
            "initdb",
            "-D",
            str(data),
            "-U",
            "sparcs",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
            "--no-instructions",
        )
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=''"
        if self.fast:  # a throw-away cluster: no flush to disk at every commit
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run(
            "pg_ctl", "-D", str(data), "-o", options, "-l", str(self.folder / "log"), "-w", "start"
        )
        return self.url("postgres")

    def url(self, database: str) -> str:
        """URL of ``database`` in this cluster."""
        return f"postgresql://sparcs@/{database}?host={self.folder}&port={self.port}"

    def new_database(self) -> str:
        """Create an empty database; return its URL."""
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.url("postgres"), autocommit=True) as con:
            con.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def stop(self) -> None:
        """Stop the cluster and delete its folder."""
        try:
            if (self.folder / "data" / "postmaster.pid").exists():
                self._run(
                    "pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop"
                )
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> LocalServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
