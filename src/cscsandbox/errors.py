"""The one error type of the service: raised anywhere, rendered as a CSC JSON error body."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class CscError(Exception):
    """An error answer: ``status`` with body ``{"error", "error_description"}`` [CSC1 §10.1]."""

    status: int
    error: str
    description: str
    headers: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.status} {self.error}: {self.description}"


def invalid_request(description: str) -> CscError:
    """The common 400 ``invalid_request`` of the CSC error tables."""
    return CscError(400, "invalid_request", description)


def invalid_token(description: str, *, error: str = "invalid_token") -> CscError:
    """401 for a bad or expired access token [CSC1 §10 Table 2], with an RFC 6750 challenge."""
    challenge = f'Bearer error="{error}", error_description="{description}"'
    return CscError(401, error, description, {"WWW-Authenticate": challenge})
