"""What a target says about itself: ``info`` (v1/v2) and its authorization server.

The authorization server is found the way CSC prescribes, never by a hard-coded path: from
``info.oauth2`` (a base URI to which ``oauth2/authorize`` etc. are appended) or from
``info.oauth2Issuer`` plus RFC 8414 metadata. Parsing is lenient: a missing ``info`` field is a
finding for the discovery checks, not a crash here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

MetadataFetcher = Callable[[str], dict[str, Any] | None]


@dataclass(frozen=True)
class ServiceInfo:
    """The neutral view of ``info`` for one API version."""

    version: str
    specs: str | None = None
    name: str | None = None
    logo: str | None = None
    region: str | None = None
    lang: str | None = None
    description: str | None = None
    auth_types: tuple[str, ...] = ()
    methods: tuple[str, ...] = ()
    oauth2: str | None = None
    oauth2_issuer: str | None = None
    sign_algorithms: tuple[str, ...] = ()
    sign_algorithm_params: tuple[str, ...] = ()
    supports_rar: bool | None = None
    supported_hash_types: tuple[str, ...] = ()
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AsEndpoints:
    """Authorization server endpoints; ``par``/``revoke`` are None when not offered."""

    authorize: str
    token: str
    revoke: str | None
    par: str | None
    issuer: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    source: str = ""  # "oauth2" or "oauth2Issuer" (how they were found)


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def _string(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def parse_info(version: str, body: Any) -> ServiceInfo:
    """Build ``ServiceInfo`` from an ``info`` answer of either version."""
    body = body if isinstance(body, dict) else {}
    algos = body.get("signAlgorithms")
    algos = algos if isinstance(algos, dict) else {}
    rar = body.get("supportsRar")
    return ServiceInfo(
        version=version, specs=_string(body.get("specs")), name=_string(body.get("name")),
        logo=_string(body.get("logo")), region=_string(body.get("region")),
        lang=_string(body.get("lang")), description=_string(body.get("description")),
        auth_types=_strings(body.get("authType")), methods=_strings(body.get("methods")),
        oauth2=_string(body.get("oauth2")), oauth2_issuer=_string(body.get("oauth2Issuer")),
        sign_algorithms=_strings(algos.get("algos")),
        sign_algorithm_params=_strings(algos.get("algoParams")),
        supports_rar=rar if isinstance(rar, bool) else None,
        supported_hash_types=_strings(body.get("supportedHashTypes")), raw=dict(body))


def metadata_urls(issuer: str) -> list[str]:
    """Where RFC 8414 metadata may live, in the order to try.

    RFC 8414 §3: insert ``/.well-known/oauth-authorization-server`` between host and path; many
    servers (Keycloak among them) also serve it appended to the issuer; OpenID discovery last.
    """
    parts = urlsplit(issuer.rstrip("/"))
    path = parts.path.rstrip("/")
    inserted = urlunsplit((parts.scheme, parts.netloc,
                           f"/.well-known/oauth-authorization-server{path}", "", ""))
    base = urlunsplit((parts.scheme, parts.netloc, path, "", ""))
    urls = [inserted, f"{base}/.well-known/oauth-authorization-server",
            f"{base}/.well-known/openid-configuration"]
    return list(dict.fromkeys(urls))


def fetch_metadata(issuer: str, fetch: MetadataFetcher) -> dict[str, Any]:
    """The first metadata document found for ``issuer``, or ``{}``."""
    for url in metadata_urls(issuer):
        doc = fetch(url)
        if isinstance(doc, dict) and doc:
            return doc
    return {}


def as_endpoints(info: ServiceInfo, fetch: MetadataFetcher) -> AsEndpoints | None:
    """The authorization server of a target, or None when ``info`` names none."""
    if info.oauth2:
        return _from_oauth2_base(info.oauth2, fetch)
    if info.oauth2_issuer:
        return _from_issuer(info.oauth2_issuer, fetch)
    return None


def _from_oauth2_base(base: str, fetch: MetadataFetcher) -> AsEndpoints:
    # CSC: the endpoints are the base URI + "oauth2/<name>". Metadata, when the base also
    # serves it, only tells which optional features exist (PAR, revocation, grants).
    root = base if base.endswith("/") else base + "/"
    metadata = fetch_metadata(base, fetch)
    par_advertised = "pushed_authorization_request_endpoint" in metadata
    return AsEndpoints(
        authorize=root + "oauth2/authorize", token=root + "oauth2/token",
        revoke=root + "oauth2/revoke",
        par=root + "oauth2/pushed_authorize" if par_advertised or not metadata else None,
        issuer=_string(metadata.get("issuer")), metadata=metadata, source="oauth2")


def _from_issuer(issuer: str, fetch: MetadataFetcher) -> AsEndpoints:
    metadata = fetch_metadata(issuer, fetch)
    return AsEndpoints(
        authorize=str(metadata.get("authorization_endpoint", "")),
        token=str(metadata.get("token_endpoint", "")),
        revoke=_string(metadata.get("revocation_endpoint")),
        par=_string(metadata.get("pushed_authorization_request_endpoint")),
        issuer=issuer, metadata=metadata, source="oauth2Issuer")
