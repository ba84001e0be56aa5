"""The signer's factors at ``credentials/authorize``: PIN and OTP of an explicit credential.

v1 names them ``PIN``/``OTP`` and refuses with ``invalid_pin``/``invalid_otp``; v2 sends
``authData [{id, value}]`` and refuses with ``invalid_authentication_data`` (spec-notes §3.6).
An implicit credential takes none (v2: empty ``authData``). An online OTP is the code
``credentials/sendOTP`` sent last, usable once; an offline OTP is the configured fixed code.
With ``[service] factor_max_failures`` > 0, that many wrong factors in a row lock the credential
("Repeated wrong factors MAY lock the credential", CSC1 §11.6): v1 then answers ``PIN locked`` /
``OTP locked``, v2 ``Credential locked`` (spec-notes §3.6); a success resets the count.
"""

from __future__ import annotations

import hmac
import time

from cscsandbox import db
from cscsandbox.config import CredentialConfig
from cscsandbox.csc.params import Params
from cscsandbox.errors import CscError, invalid_request
from cscsandbox.login.sessions import digest

#: How long a sent code can be used (a common SMS-OTP validity; the CSC text sets none).
ONLINE_OTP_LIFETIME_S = 300

db.register_schema(
    """
    CREATE TABLE IF NOT EXISTS credential_otps (
        credential_id TEXT PRIMARY KEY,
        code_hash TEXT NOT NULL,
        expires_at REAL NOT NULL
    );
    CREATE TABLE IF NOT EXISTS credential_factor_failures (
        credential_id TEXT PRIMARY KEY,
        failures INTEGER NOT NULL,
        factor TEXT NOT NULL
    );
    """
)


def remember_online_otp(credential_id: str, code: str) -> None:
    """Keep (the SHA-256 of) the code just sent for ``credential_id``, replacing older ones."""
    with db.transaction() as conn:
        conn.execute(
            "INSERT OR REPLACE INTO credential_otps (credential_id, code_hash, expires_at)"
            " VALUES (?,?,?)", (credential_id, digest(code), time.time() + ONLINE_OTP_LIFETIME_S))


def use_online_otp(credential_id: str, code: str) -> bool:
    """Whether ``code`` is the live code last sent for the credential; a match uses it up."""
    with db.transaction() as conn:
        cur = conn.execute(
            "DELETE FROM credential_otps WHERE credential_id = ? AND code_hash = ?"
            " AND expires_at > ?", (credential_id, digest(code), time.time()))
    return cur.rowcount == 1


def factor_ids(cred: CredentialConfig) -> list[str]:
    """The factors ``cred`` requires, in the order they are checked."""
    if cred.auth_mode != "explicit":
        return []
    ids = ["PIN"] if cred.pin is not None else []
    if cred.otp_type == "online" or cred.otp is not None:
        ids.append("OTP")
    return ids


def _same(given: str, expected: str | None) -> bool:
    return expected is not None and hmac.compare_digest(given.encode(), expected.encode())


def _valid(cred: CredentialConfig, factor: str, value: str) -> bool:
    if factor == "PIN":
        return _same(value, cred.pin)
    if cred.otp_type == "online":
        return use_online_otp(cred.credential_id, value)
    return _same(value, cred.otp)


def locked_factor(credential_id: str, limit: int) -> str | None:
    """The factor whose failures locked the credential (None: not locked or no limit)."""
    if limit < 1:
        return None
    row = db.current().execute(
        "SELECT failures, factor FROM credential_factor_failures WHERE credential_id = ?",
        (credential_id,)).fetchone()
    return str(row[1]) if row and row[0] >= limit else None


def _count_failure(credential_id: str, factor: str) -> None:
    with db.transaction() as conn:
        conn.execute(
            "INSERT INTO credential_factor_failures (credential_id, failures, factor)"
            " VALUES (?, 1, ?) ON CONFLICT(credential_id) DO UPDATE SET"
            " failures = failures + 1, factor = excluded.factor", (credential_id, factor))


def _reset_failures(credential_id: str) -> None:
    with db.transaction() as conn:
        conn.execute("DELETE FROM credential_factor_failures WHERE credential_id = ?",
                     (credential_id,))


def check_v1(params: Params, cred: CredentialConfig, limit: int = 0) -> None:
    locked = locked_factor(cred.credential_id, limit)
    if locked:
        raise invalid_request(f"{locked} locked")
    wanted = factor_ids(cred)
    for factor in wanted:
        if not _valid(cred, factor, params.string(factor)):
            _count_failure(cred.credential_id, factor)
            raise CscError(400, f"invalid_{factor.lower()}", f"The {factor} is invalid")
    if wanted:
        _reset_failures(cred.credential_id)


def _authentication_data(params: Params) -> dict[str, str]:
    data = params.data.get("authData", [])
    if not isinstance(data, list) or not all(
        isinstance(i, dict) and isinstance(i.get("id"), str) and isinstance(i.get("value"), str)
        for i in data
    ):
        raise invalid_request("Missing (or invalid type) array parameter authData")
    return {item["id"]: item["value"] for item in data}


def check_v2(params: Params, cred: CredentialConfig, limit: int = 0) -> None:
    """The ids must be exactly the credential's factors before any value is tried (an online
    OTP is used up by a match)."""
    given = _authentication_data(params)
    if locked_factor(cred.credential_id, limit):
        raise invalid_request("Credential locked")
    wanted = factor_ids(cred)
    if set(given) == set(wanted):
        wrong = next((f for f in wanted if not _valid(cred, f, given[f])), None)
        if wrong is None:
            if wanted:
                _reset_failures(cred.credential_id)
            return
        _count_failure(cred.credential_id, wrong)
    elif wanted:
        _count_failure(cred.credential_id, wanted[0])
    raise CscError(400, "invalid_authentication_data", "The authentication data is invalid")
