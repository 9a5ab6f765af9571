"""Who is looking at the console: an identity from a real source, or an anonymous viewer.

Pure (no Streamlit import): ``components/context.py`` reads what Streamlit knows about the session (``st.user``,
the request headers, the peer address) and passes it to :func:`resolve_viewer`, which applies these rules:

1. **Streamlit in Snowflake**: the signed-in Snowflake user (``st.user.user_name``, else its e-mail).
2. **Streamlit's login** (``st.login`` with an OIDC provider in the ``[auth]`` table of
   ``.streamlit/secrets.toml``): the signed-in user's e-mail (else ``preferred_username``, else ``sub``).
3. **A trusted header** set by a reverse proxy, only when ``auth.trusted_header`` names one in
   ``config/caves.yaml`` and only on a connection from ``auth.trusted_proxies`` (loopback by default): the
   header's value. The header of any other peer is ignored.
4. **The local user**: when no login is configured (neither the ``[auth]`` secrets nor a trusted header), a
   browser on this machine (a loopback peer) is the operating-system account running the console.

Anything else is an **anonymous** viewer: no name, no admin rights. In particular a remote browser of a
console with no login is never the server's OS account, and once a login is configured a viewer who has not
signed in is anonymous even on loopback (a reverse proxy on the same machine makes every viewer loopback).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "ANONYMOUS",
    "SOURCES",
    "AuthSettings",
    "Viewer",
    "is_loopback",
    "resolve_viewer",
]

SOURCES = ("snowflake", "oidc", "header", "local", "cli", "anonymous")
_MAX_NAME = 255  # a Snowflake user name or an e-mail address is shorter


@dataclass(frozen=True)
class AuthSettings:
    """The ``auth`` section of ``config/caves.yaml``.

    ``trusted_header``: the request header a reverse proxy sets to the signed-in user (e.g.
    ``X-Forwarded-Email``); empty means no header is ever read. ``trusted_proxies``: the peer addresses (or
    networks, ``10.0.0.0/8``) whose header is believed. ``local_user``: whether a loopback viewer of a console
    with no login is the OS user (on by default; off, every viewer without a login is anonymous).
    """

    trusted_header: str = ""
    trusted_proxies: tuple[str, ...] = ("127.0.0.1", "::1")
    local_user: bool = True


@dataclass(frozen=True)
class Viewer:
    """Who is looking: ``name`` (None when anonymous) and where it comes from (one of :data:`SOURCES`)."""

    name: str | None
    source: str

    def __post_init__(self) -> None:
        if self.source not in SOURCES:
            raise ValueError(f"unknown identity source {self.source!r}")
        if (self.name is None) != (self.source == "anonymous"):
            raise ValueError("an anonymous viewer has no name, and only an anonymous one")

    @property
    def anonymous(self) -> bool:
        return self.source == "anonymous"

    @property
    def local(self) -> bool:
        """The OS account of this machine: a loopback viewer of a console without login, or a CLI shell."""
        return self.source in ("local", "cli")

    @property
    def label(self) -> str:
        """For the screen and the audit log: the name, or ``anonymous``."""
        return self.name or "anonymous"


ANONYMOUS = Viewer(None, "anonymous")


def is_loopback(address: str | None) -> bool:
    """Whether ``address`` (an IPv4 or IPv6 address, possibly IPv4-mapped) is a loopback address."""
    ip = _parse_ip(address)
    return ip is not None and ip.is_loopback


def _parse_ip(address: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """An IP address (``[::1]`` brackets allowed; an IPv4-mapped IPv6 address as its IPv4 one), or None."""
    if not address:
        return None
    try:
        ip = ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return None
    return getattr(ip, "ipv4_mapped", None) or ip


def _in_networks(address: str | None, networks: Iterable[str]) -> bool:
    ip = _parse_ip(address)
    if ip is None:
        return False
    for network in networks:
        try:
            if ip in ipaddress.ip_network(str(network).strip(), strict=False):
                return True
        except ValueError:
            continue  # a malformed entry trusts nobody
    return False


def _clean_name(value: Any) -> str | None:
    """A user name fit to show and audit: a non-empty string, no control character, at most 255 characters."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > _MAX_NAME or any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
        return None
    return text


def _header(headers: Mapping[str, str], name: str) -> str | None:
    wanted = name.strip().lower()
    for key, value in headers.items():
        if str(key).lower() == wanted:
            return value
    return None


def resolve_viewer(
    *,
    backend: str,
    auth: AuthSettings,
    os_user: str | None,
    streamlit_user: Mapping[str, Any] | None = None,
    login_configured: bool = False,
    headers: Mapping[str, str] | None = None,
    peer: str | None = None,
) -> Viewer:
    """The viewer of one session (rules in the module docstring).

    Args:
        backend: ``local``, ``snowflake`` or ``sis``.
        auth: the ``auth`` settings.
        os_user: the OS account running the console (``getpass.getuser()``), or None if unknown.
        streamlit_user: ``st.user`` as a mapping (``is_logged_in``, ``email``, ``user_name``, ...).
        login_configured: whether Streamlit's login is configured (an ``[auth]`` table in the secrets).
        headers: the session's request headers (``st.context.headers``).
        peer: the address the session's connection comes from; None when unknown.
    """
    user = dict(streamlit_user or {})
    if backend == "sis":
        name = _clean_name(user.get("user_name")) or _clean_name(user.get("email"))
        return Viewer(name, "snowflake") if name else ANONYMOUS
    if login_configured and user.get("is_logged_in") is True:
        for claim in ("email", "preferred_username", "sub"):
            name = _clean_name(user.get(claim))
            if name:
                return Viewer(name, "oidc")
        return ANONYMOUS
    if auth.trusted_header.strip():
        if not _in_networks(peer, auth.trusted_proxies):
            return ANONYMOUS
        name = _clean_name(_header(headers or {}, auth.trusted_header))
        return Viewer(name, "header") if name else ANONYMOUS
    if login_configured or not auth.local_user:
        return ANONYMOUS
    name = _clean_name(os_user)
    if name and is_loopback(peer):
        return Viewer(name, "local")
    return ANONYMOUS
