"""A throwaway nginx for the tests (Debian's package ``nginx``, installed by
``.ci/run``): the configuration the tracker ships (``cdv proxy-config``) inside a main
configuration of its own, in a folder of its own, on a free port of 127.0.0.1, never the
system's service. Its access log names the replica each request went to."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from dashboard import proxy

MAIN = """
worker_processes 1;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
{user}
events {{ worker_connections 512; }}
http {{
    log_format replica '$request_uri|$upstream_addr|$status';
    access_log {folder}/access.log replica;
    client_body_temp_path {folder}/tmp/body;
    proxy_temp_path {folder}/tmp/proxy;
    fastcgi_temp_path {folder}/tmp/fastcgi;
    uwsgi_temp_path {folder}/tmp/uwsgi;
    scgi_temp_path {folder}/tmp/scgi;
    include {folder}/cdv.conf;
}}
"""


class Nginx:
    def __init__(self, folder: Path, port: int, replicas: list[str]):
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(binary).is_file():
            message = "nginx absent (apt-get install nginx)"
            if os.environ.get("CI"):
                pytest.fail(message + " : .ci/run doit l'installer")
            pytest.skip(message)
        self.folder, self.port = folder, port
        (folder / "tmp").mkdir(parents=True, exist_ok=True)
        (folder / "cdv.conf").write_text(
            proxy.nginx_config(f"127.0.0.1:{port}", replicas), encoding="utf-8"
        )
        user = "user root;" if os.geteuid() == 0 else ""
        (folder / "nginx.conf").write_text(MAIN.format(folder=folder, user=user), encoding="utf-8")
        self._log = open(folder / "nginx.out", "w")  # noqa: SIM115 - closed by stop
        self.process = subprocess.Popen(
            [binary, "-p", str(folder), "-c", str(folder / "nginx.conf")],
            stdout=self._log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2):
                    return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.2)
        raise RuntimeError("nginx n'a pas démarré : " + self.errors())

    def errors(self) -> str:
        log = self.folder / "error.log"
        return (self.folder / "nginx.out").read_text() + (log.read_text() if log.exists() else "")

    def replicas_of(self, path_start: str) -> list[str]:
        """The replica (host:port) that answered each logged request whose path starts
        so, in order (the last one tried, when nginx went on to another)."""
        lines = (self.folder / "access.log").read_text().splitlines()
        return [line.split("|")[1].split(", ")[-1] for line in lines if line.startswith(path_start)]

    def stop(self) -> None:
        self.process.send_signal(signal.SIGQUIT)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._log.close()
