"""What a personality offers: API versions, service authorization styles and CSC methods.

One source for ``info`` (``authType``, ``methods``, ``oauth2``) and for the routes, so the two
cannot disagree [CSC1 §11.1]: a method ``info.methods`` lists is served, every other CSC method
answers 501 (CSC1 §10 Table 2), and an API version the personality does not offer is 404.
"""

from __future__ import annotations

from cscsandbox.config import (  # re-exported: the offer's tables and check live with the
    API_VERSIONS,  # configuration they validate (config.parse refuses an inconsistent offer)
    AUTH_TYPES,
    CSC_METHODS,
    IMPLEMENTED,
    SandboxConfig,
    check_offer,
)

__all__ = ["API_VERSIONS", "AUTH_TYPES", "CSC_METHODS", "IMPLEMENTED", "check_offer", "listed",
           "uses_oauth"]


def listed(config: SandboxConfig, version: str) -> list[str]:
    """``info.methods`` of ``version`` (empty when the version is not offered)."""
    if version not in config.service.api_versions:
        return []
    return list(config.service.methods)


def uses_oauth(config: SandboxConfig) -> bool:
    """An authorization server is needed for OAuth service auth or oauth2code credentials."""
    styles = set(config.service.auth_types)
    return bool(styles & {"oauth2code", "oauth2client"}) or any(
        c.auth_mode == "oauth2code" for c in config.credentials)
