"""CSC API v1.0.4.0 wire format (CSC1 §8, §11).

v1 specifics: ``hash`` / ``hashAlgo`` field names, the authorize URL carries ``hash`` as a
base64url comma list without a hash algorithm, credential tokens have ``token_type: "SAD"``,
credentials/list pages with ``maxResults`` / ``pageToken``, credential authorization factors are
the ``PIN`` / ``OTP`` strings, and credentials/info has a top-level ``authMode``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from cscsuite import oauth
from cscsuite.adapters.base import (
    ApiResponse,
    ApiVersion,
    AuthorizationRequest,
    UnsupportedInVersion,
    answers_cite,
)
from cscsuite.adapters.common import AdapterBase, encode_value

if TYPE_CHECKING:
    from cscsuite.profile_types import Client


@answers_cite(parse_signatures="CSC1-11.9", parse_credential_info="CSC1-11.5")
class V1Adapter(AdapterBase):
    version: ApiVersion = "v1"
    credential_token_type = "SAD"

    def list_credentials(self, token: str | None, **options: Any) -> ApiResponse:
        """CSC1 §11.4; options: max_results, page_token, user_id, client_data (neutral)."""
        return self.call("credentials/list", self.apply({}, options), token)

    def list_all_credential_ids(self, token: str | None, page_size: int | None = None,
                                max_pages: int = 100) -> tuple[list[str], list[ApiResponse]]:
        """Follow ``nextPageToken`` until it is absent (bounded by ``max_pages``)."""
        ids: list[str] = []
        pages: list[ApiResponse] = []
        options: dict[str, Any] = {} if page_size is None else {"max_results": page_size}
        for _ in range(max_pages):
            page = self.list_credentials(token, **options)
            pages.append(page)
            found = page.field("credentialIDs")
            ids.extend(found if isinstance(found, list) else [])
            next_token = page.field("nextPageToken")
            if page.status != 200 or not next_token:
                break
            options["page_token"] = next_token
        return ids, pages

    def authorize_params(self, client: Client, request: AuthorizationRequest) -> dict[str, str]:
        """CSC1 §8.3.2: ``hash`` is a base64url comma list; v1 has no RAR, qualifier or OID."""
        if request.authorization_details is not None:
            raise UnsupportedInVersion("CSC v1 has no authorization_details (RAR)")
        if request.signature_qualifier is not None:
            raise UnsupportedInVersion("CSC v1 has no signatureQualifier")
        params = self.common_authorize_params(client, request)
        if request.hashes is not None:
            params["hash"] = oauth.b64url_list(request.hashes)
        return {**params, **request.extra}

    def authorize_credential(self, token: str | None, credential_id: str, num_signatures: int,
                             hashes: list[bytes] | None, hash_algorithm: str | None,
                             pin: str | None = None, otp: str | None = None,
                             **overrides: Any) -> ApiResponse:
        """CSC1 §11.6: PIN and OTP as strings; v1 sends no hash algorithm here."""
        body: dict[str, Any] = {"credentialID": credential_id, "numSignatures": num_signatures}
        if hashes is not None:
            body["hash"] = encode_value(hashes)
        if pin is not None:
            body["PIN"] = pin
        if otp is not None:
            body["OTP"] = otp
        return self.call("credentials/authorize", self.apply(body, overrides), token)

    def auth_mode(self, body: Mapping[str, Any]) -> str | None:
        mode = body.get("authMode")
        return mode if isinstance(mode, str) else None

    def parse_credential_infos(self, body: Mapping[str, Any]) -> list[Any]:
        """v1 credentials/list returns IDs only."""
        return []
