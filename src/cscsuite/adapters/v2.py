"""CSC API v2 wire format (CSC2 §8.4, §11).

v2 specifics: ``hashes`` / ``hashAlgorithmOID`` field names, PKCE, RAR and PAR, the authorize URL
carries ``hashes`` as a base64url comma list plus ``hashAlgorithmOID``, credential tokens are
``Bearer`` and may replace ``SAD`` in signHash's Authorization header, credentials/list takes
``credentialInfo`` / ``certificates`` / ``certInfo`` / ``authInfo`` / ``onlyValid``, authorization
factors travel as ``authData`` (empty = RSSP-managed, the former implicit mode) and credentials/info
has an ``auth`` object.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from cscsuite import oauth
from cscsuite.adapters.base import (
    ApiResponse,
    ApiVersion,
    AuthorizationRequest,
    CredentialInfo,
    answers_cite,
)
from cscsuite.adapters.common import AdapterBase, encode_value

if TYPE_CHECKING:
    from cscsuite.profile_types import Client

#: authData object ids used when the caller does not name them (``auth.objects[].id``).
DEFAULT_AUTH_IDS = {"pin": "PIN", "otp": "OTP"}


@answers_cite(parse_signatures="CSC2-11.10", parse_credential_info="CSC2-11.5")
class V2Adapter(AdapterBase):
    version: ApiVersion = "v2"
    credential_token_type = "Bearer"

    def list_credentials(self, token: str | None, **options: Any) -> ApiResponse:
        """CSC2 §11.4; options: credential_info, certificates, cert_info, auth_info, only_valid."""
        return self.call("credentials/list", self.apply({}, options), token)

    def list_all_credential_ids(self, token: str | None, page_size: int | None = None,
                                max_pages: int = 100) -> tuple[list[str], list[ApiResponse]]:
        """v2 lists everything in one answer (no paging parameters)."""
        page = self.list_credentials(token)
        found = page.field("credentialIDs")
        return (list(found) if isinstance(found, list) else []), [page]

    def authorize_params(self, client: Client, request: AuthorizationRequest) -> dict[str, str]:
        """CSC2 §8.4.2: ``hashes`` base64url comma list + ``hashAlgorithmOID``; RAR as JSON."""
        params = self.common_authorize_params(client, request)
        if request.signature_qualifier is not None:
            params["signatureQualifier"] = request.signature_qualifier
        if request.hashes is not None:
            params["hashes"] = oauth.b64url_list(request.hashes)
        if request.hash_algorithm is not None:
            params["hashAlgorithmOID"] = request.hash_algorithm
        if request.authorization_details is not None:
            params["authorization_details"] = oauth.authorization_details_param(
                request.authorization_details)
        return {**params, **request.extra}

    def authorize_credential(self, token: str | None, credential_id: str, num_signatures: int,
                             hashes: list[bytes] | None, hash_algorithm: str | None,
                             pin: str | None = None, otp: str | None = None,
                             **overrides: Any) -> ApiResponse:
        """CSC2 §11.6: factors as ``authData``; no factors = empty ``authData`` (implicit)."""
        body: dict[str, Any] = {"credentialID": credential_id, "numSignatures": num_signatures}
        if hashes is not None:
            body["hashes"] = encode_value(hashes)
        if hash_algorithm is not None:
            body["hashAlgorithmOID"] = hash_algorithm
        factors = {"pin": pin, "otp": otp}
        body["authData"] = [{"id": DEFAULT_AUTH_IDS[k], "value": v}
                            for k, v in factors.items() if v is not None]
        return self.call("credentials/authorize", self.apply(body, overrides), token)

    def auth_mode(self, body: Mapping[str, Any]) -> str | None:
        auth = body.get("auth")
        mode = auth.get("mode") if isinstance(auth, dict) else None
        return mode if isinstance(mode, str) else None

    def parse_credential_infos(self, body: Mapping[str, Any]) -> list[CredentialInfo]:
        """``credentialInfos`` of a credentials/list answer (each item carries credentialID)."""
        items = body.get("credentialInfos")
        if not isinstance(items, list):
            return []
        return [self.parse_credential_info(str(item.get("credentialID", "")), item)
                for item in items if isinstance(item, dict)]
