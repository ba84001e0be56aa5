"""account_token (CSC1 §8.3.1): the valid one verifies; each variant breaks exactly one rule."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import pytest

from cscsuite import account_token as at
from cscsuite.account_token import Variant

SECRET = "sandbox-client-secret"
NOW = 1_780_000_000
ARGS = {"client_id": "sandbox-client-acct", "client_secret": SECRET, "sub": "acct-42",
        "iss": "Suite Signing App", "jti": "jti-1", "now": NOW}


def b64url_decode(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def parts(token: str) -> tuple[dict, dict, bytes, bytes]:
    h, p, s = token.split(".")
    return json.loads(b64url_decode(h)), json.loads(b64url_decode(p)), f"{h}.{p}".encode(), \
        b64url_decode(s)


def test_valid_token_header_claims_and_hmac_checked_independently():
    header, claims, signing_input, signature = parts(at.make(Variant.VALID, **ARGS))
    assert header == {"typ": "JWT", "alg": "HS256"}
    assert claims == {"sub": "acct-42", "iat": NOW, "jti": "jti-1", "iss": "Suite Signing App",
                      "azp": "sandbox-client-acct"}
    key = hashlib.sha256(SECRET.encode()).digest()  # the binary digest, not its hex text
    assert len(key) == 32
    assert signature == hmac.new(key, signing_input, hashlib.sha256).digest()


def test_valid_token_is_unpadded_base64url():
    token = at.make(Variant.VALID, **ARGS)
    assert "=" not in token and "+" not in token and "/" not in token
    assert "acct" not in repr(token)  # a Secret: never shown in a repr


def test_defaults_fresh_jti_and_now():
    one = at.decode(at.build(client_id="c", client_secret=SECRET, sub="s"))
    two = at.decode(at.build(client_id="c", client_secret=SECRET, sub="s"))
    assert one.claims["jti"] != two.claims["jti"]
    assert one.claims["azp"] == "c" and "iss" not in one.claims
    assert isinstance(one.claims["iat"], int)


def _diff(variant: Variant, **extra: object) -> tuple[dict, dict, bytes, bool]:
    valid = at.decode(at.make(Variant.VALID, **ARGS))
    token = at.make(variant, **{**ARGS, **extra})
    other = at.decode(token)
    changed_header = {k: v for k, v in other.header.items() if valid.header.get(k) != v}
    changed_claims = {k: v for k, v in other.claims.items() if valid.claims.get(k) != v}
    return changed_header, changed_claims, other.signature, at.verify(token, SECRET)


def test_alg_none_changes_only_alg_and_drops_the_signature():
    header, claims, signature, verifies = _diff(Variant.ALG_NONE)
    assert (header, claims, signature, verifies) == ({"alg": "none"}, {}, b"", False)
    assert at.make(Variant.ALG_NONE, **ARGS).endswith(".")


def test_wrong_key_changes_only_the_signature():
    header, claims, signature, verifies = _diff(Variant.WRONG_KEY)
    assert (header, claims, verifies) == ({}, {}, False)
    hex_key = hashlib.sha256(SECRET.encode()).hexdigest().encode()
    signing_input = at.decode(at.make(Variant.WRONG_KEY, **ARGS)).signing_input
    assert signature == hmac.new(hex_key, signing_input, hashlib.sha256).digest()


def test_stale_iat_changes_only_iat():
    header, claims, _, verifies = _diff(Variant.STALE_IAT, stale_age_s=7200)
    assert (header, claims, verifies) == ({}, {"iat": NOW - 7200}, True)


def test_foreign_azp_changes_only_azp():
    header, claims, _, verifies = _diff(Variant.FOREIGN_AZP, foreign_azp="other-client")
    assert (header, claims, verifies) == ({}, {"azp": "other-client"}, True)


def test_replayed_jti_reuses_the_given_jti_and_is_otherwise_valid():
    first = at.make(Variant.VALID, **{**ARGS, "jti": None})
    jti = at.decode(first).claims["jti"]
    replay = at.make(Variant.REPLAYED_JTI, **{**ARGS, "jti": jti, "now": NOW + 5})
    assert at.decode(replay).claims["jti"] == jti and at.verify(replay, SECRET)
    with pytest.raises(ValueError, match="jti"):
        at.make(Variant.REPLAYED_JTI, **{**ARGS, "jti": None})


def test_verify_rejects_a_flipped_byte():
    token = at.make(Variant.VALID, **ARGS)
    header, payload, _ = token.split(".")
    tampered_claims = {**json.loads(b64url_decode(payload)), "sub": "acct-43"}
    forged = ".".join([header, at.b64url(json.dumps(tampered_claims).encode()),
                       token.split(".")[2]])
    assert at.verify(token, SECRET) and not at.verify(forged, SECRET)


def test_decode_refuses_a_non_jwt():
    with pytest.raises(ValueError, match="three"):
        at.decode("abc.def")


def test_jti_variants_change_only_the_jti_and_stay_correctly_signed():
    for variant, expected in ((Variant.NO_JTI, None), (Variant.EMPTY_JTI, "")):
        token = at.make(variant, **ARGS)
        claims = at.decode(token).claims
        valid = at.decode(at.make(Variant.VALID, **ARGS)).claims
        assert claims.get("jti") == expected and at.verify(token, SECRET)
        assert {k: v for k, v in claims.items() if k != "jti"} == \
            {k: v for k, v in valid.items() if k != "jti"}


def test_foreign_sub_changes_only_sub_and_stays_correctly_signed():
    header, claims, _, verifies = _diff(Variant.FOREIGN_SUB)
    assert header == {} and set(claims) == {"sub"} and verifies
    assert claims["sub"].startswith("no-such-account-")
