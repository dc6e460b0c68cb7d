"""The reverse proxy shipped with the tracker (``data/deploy/nginx.conf``) in front of
several ``cdv serve`` replicas over one PostgreSQL store: ``cdv proxy-config`` fills in
the replicas and the listening address. Each address is checked to be one (a host name
or an IP address, and a port) before it goes into nginx's configuration: an address is
data, never configuration text."""

from __future__ import annotations

import ipaddress
import re

from dashboard.resources import resource_dir
from dashboard.tracker.errors import ValidationError

_HOST = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?")


def address(text: str, what: str) -> str:
    """``host:port`` (``[v6]:port``) checked, as nginx takes it; a French refusal."""
    text = text.strip()
    host, _, port = text.rpartition(":")
    refused = ValidationError(
        f"{what} « {text[:80]} » : attendu hôte:port (par exemple 127.0.0.1:8501)."
    )
    if not port.isdigit() or not 1 <= int(port) <= 65535 or not host:
        raise refused
    if host.startswith("[") and host.endswith("]"):
        try:
            ipaddress.IPv6Address(host[1:-1])
        except ValueError:
            raise refused from None
    elif not _HOST.fullmatch(host):
        raise refused
    return f"{host}:{int(port)}"


def nginx_config(listen: str, replicas: list[str]) -> str:
    """The shipped nginx configuration for these replicas, listening on ``listen``."""
    if not replicas:
        raise ValidationError("Nommez au moins un réplica (--replica hôte:port).")
    servers = [address(r, "Réplica") for r in replicas]
    if len(set(servers)) != len(servers):
        raise ValidationError("Un réplica est nommé deux fois.")
    lines = "\n".join(f"    server {s} max_fails=1 fail_timeout=10s;" for s in servers)
    template = (resource_dir("deploy") / "nginx.conf").read_text(encoding="utf-8")
    return template.replace("@REPLICAS@", lines).replace("@LISTEN@", _listen(listen))


def _listen(text: str) -> str:
    """``PORT`` or ``HOST:PORT``."""
    text = text.strip()
    if text.isdigit() and 1 <= int(text) <= 65535:
        return str(int(text))
    return address(text, "Adresse d'écoute")
