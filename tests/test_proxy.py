"""The shipped nginx configuration (``cdv proxy-config``): the replicas and the address
filled in, each checked to be an address (never configuration text); nginx itself
accepts the result (``nginx -t``)."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from dashboard import cli, proxy
from dashboard.tracker.errors import ValidationError
from tests.nginx import MAIN


def test_the_configuration_names_each_replica_and_carries_websockets():
    text = proxy.nginx_config("127.0.0.1:8080", ["127.0.0.1:8501", "replica-2.local:8502"])
    assert "server 127.0.0.1:8501 " in text and "server replica-2.local:8502 " in text
    assert "listen 127.0.0.1:8080;" in text
    assert "proxy_set_header Upgrade $http_upgrade;" in text
    assert "hash $cookie_cdv_navigateur consistent;" in text
    assert "@" not in text.replace("$", "")  # every placeholder filled


@pytest.mark.parametrize(
    "replica",
    ["127.0.0.1:8501; include /etc/passwd", "hôte:80", "127.0.0.1", "127.0.0.1:0",
     "127.0.0.1:70000", "a b:80", "[::1:80", "{x}:80", ""],
)  # fmt: skip
def test_anything_but_an_address_is_refused(replica):
    with pytest.raises(ValidationError, match="attendu hôte:port|au moins un"):
        proxy.nginx_config("8080", [replica] if replica else [])


def test_the_command_writes_it_and_nginx_accepts_it(tmp_path, capsys):
    out = tmp_path / "cdv.conf"
    assert cli.main(["proxy-config", "--replica", "127.0.0.1:8501", "--replica",
                     "[::1]:8502", "--listen", "127.0.0.1:18080", "--out", str(out)]) == 0  # fmt: skip
    assert "server [::1]:8502 " in out.read_text()
    assert cli.main(["proxy-config", "--replica", "x:1", "--replica", "x:1"]) == 1
    assert "nommé deux fois" in capsys.readouterr().err
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.path.exists(binary):
        if os.environ.get("CI"):
            pytest.fail("nginx absent : .ci/run doit l'installer")
        pytest.skip("nginx absent")
    folder = tmp_path / "nginx"
    (folder / "tmp").mkdir(parents=True)
    shutil.copy(out, folder / "cdv.conf")
    user = "user root;" if os.geteuid() == 0 else ""
    (folder / "nginx.conf").write_text(MAIN.format(folder=folder, user=user))
    checked = subprocess.run([binary, "-t", "-p", str(folder), "-c", str(folder / "nginx.conf")],
                             capture_output=True, text=True, timeout=30)  # fmt: skip
    assert checked.returncode == 0, checked.stderr
