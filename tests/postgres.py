"""A throwaway PostgreSQL cluster for the tests: Debian's server binaries (package
``postgresql``, installed by ``.ci/run``), ``initdb`` in a folder of its own, ``pg_ctl``
on a free port of 127.0.0.1, never the system's service. PostgreSQL refuses to run as
root: as root, the cluster belongs to the ``postgres`` account the package creates.

Each test asks for a new database in it (``Cluster.new_database``): a fresh database
per test, one cluster per test process."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest

USER = "cdv"


def binaries() -> Path | None:
    """The newest installed server's bin folder."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=_version)
    return Path(found[-1]).parent if found else None


def _version(path: str) -> int:
    return int(Path(path).parent.parent.name.split(".")[0])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    def __init__(self) -> None:
        bin_dir = binaries()
        if bin_dir is None:
            message = "PostgreSQL absent (apt-get install postgresql)"
            if os.environ.get("CI"):
                pytest.fail(message + " : .ci/run doit l'installer")
            pytest.skip(message)
        self.bin = bin_dir
        # /tmp, not pytest's folder: the postgres account must be able to enter it
        self.folder = Path(tempfile.mkdtemp(prefix="cdv-pg-"))
        self.data = self.folder / "data"
        self.port = _free_port()
        self._as_owner = os.geteuid() == 0
        if self._as_owner:
            shutil.chown(self.folder, "postgres")
        self._run("initdb", "-D", str(self.data), "-U", USER, "--auth=trust", "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync")  # fmt: skip
        self.start()

    def _run(self, tool: str, *args: str) -> None:
        command = [str(self.bin / tool), *args]
        if self._as_owner:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
            " -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run("pg_ctl", "-D", str(self.data), "-o", options,
                  "-l", str(self.folder / "server.log"), "-w", "start")  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """A new empty database; its URL."""
        import psycopg

        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url(), autocommit=True) as con:
            con.execute(f"create database {name}")
        return self.url(name)

    def copy_of(self, template: str) -> str:
        """A new database made from the database ``template`` (its name); its URL."""
        import psycopg

        name = f"c_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url(), autocommit=True) as con:
            con.execute(f"create database {name} template {template}")
        return self.url(name)

    def close(self) -> None:
        try:
            self.stop("immediate")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
