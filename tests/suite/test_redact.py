"""The one redaction function: known secrets and sensitive fields never survive."""

from __future__ import annotations

import json
import logging
from urllib.parse import quote_plus

import pytest

from cscsuite.evidence import Evidence
from cscsuite.redact import MASK, RedactingFilter, Redactor

SECRET = "s3cr3t-Value/+&="


@pytest.fixture
def redactor() -> Redactor:
    return Redactor([SECRET, "alice-password"])


def test_known_value_removed_from_text_bytes_and_encodings(redactor: Redactor) -> None:
    text = f"a {SECRET} b {quote_plus(SECRET)} c"
    assert SECRET not in redactor(text)
    assert quote_plus(SECRET) not in redactor(text)
    assert SECRET.encode() not in redactor(f"x{SECRET}y".encode())
    assert b"alice-password" not in redactor(b"\xff\x00alice-password\x01")  # binary


def test_sensitive_fields_masked_in_nested_structures(redactor: Redactor) -> None:
    body = {"access_token": "tok-123456", "token_type": "Bearer",
            "nested": [{"SAD": "sad-value-1"}, {"Password": "pw-value-1"}],
            "code": "", "credentialID": "alice-rsa2048"}
    out = redactor(body)
    assert out["access_token"] == MASK
    assert out["nested"] == [{"SAD": MASK}, {"Password": MASK}]
    assert out["code"] == ""  # an empty value stays visible: it is evidence, not a secret
    assert out["credentialID"] == "alice-rsa2048" and out["token_type"] == "Bearer"
    assert body["access_token"] == "tok-123456"  # a copy, the original is untouched


@pytest.mark.parametrize("text", [
    "https://as.example/cb?code=abcdefgh&state=xyz",
    "grant_type=authorization_code&code=abcdefgh&code_verifier=verif123456&client_secret=zz",
    '{"refresh_token": "abcdefgh", "account_token": "eyJ.x.y"}',
    "Authorization: Bearer abcdefgh.ijkl",
    "header Bearer abcdefghijkl in free text",
])
def test_name_based_patterns(redactor: Redactor, text: str) -> None:
    out = redactor(text)
    for value in ("abcdefgh", "verif123456", "eyJ.x.y"):
        assert value not in out
    assert MASK in out


def test_userinfo_in_urls(redactor: Redactor) -> None:
    assert redactor("target https://user:pa55word@csc.example/x") == \
        "target https://***@csc.example/x"


def test_similar_names_and_urls_are_kept(redactor: Redactor) -> None:
    text = "code_challenge=E9Melhoa&error_code=x&state=abc"
    assert redactor(text) == text


def test_runtime_learned_values(redactor: Redactor) -> None:
    redactor.add("learned-token-42", None, "abc")  # None and too-short values are ignored
    assert "learned-token-42" not in redactor("use learned-token-42 now")
    assert redactor("abc") == "abc"


def test_every_known_value_that_fits_is_masked_whatever_the_lengths() -> None:
    values = [f"{n:02d}-" + "v" * n for n in range(6, 60)]  # 54 values of 9 to 63 characters
    redactor = Redactor(values)
    for value in values:
        assert redactor(value) == MASK  # the text exactly as long as the value
        assert redactor(f"<{value}>") == f"<{MASK}>"
    assert redactor("12-vvvvv") == "12-vvvvv"  # a value's prefix, shorter than every value


def test_logging_filter_redacts_formatted_message(redactor: Redactor,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("cscsuite.test.redact")
    caplog.handler.addFilter(RedactingFilter(redactor))
    logger.warning("client secret %s in %s", SECRET, "code=abcdefgh")
    assert SECRET not in caplog.text and "abcdefgh" not in caplog.text
    assert "client secret ***" in caplog.text


def test_evidence_files_hold_no_secret(tmp_path, redactor: Redactor) -> None:
    ev = Evidence("steps/test_x.py::test_y[v2]", tmp_path, redactor=redactor)
    ev.record_exchange(method="POST", url="https://as/token",
                       request_headers={"Authorization": "Basic Y2xpZW50OnNlY3JldA=="},
                       request_body=f"grant_type=authorization_code&code=c0de-1234&"
                                    f"client_secret={quote_plus(SECRET)}".encode(),
                       status=200, response_headers={},
                       response_body=json.dumps({"access_token": "at-999999"}).encode())
    redactor.add("late-learned-sad")  # learned after the exchange was recorded
    ev.note("SAD was late-learned-sad")
    ev.attach("page.html", f"<input value='{SECRET}'>")
    out = ev.write()
    written = "".join(p.read_text() for p in out.iterdir())
    for secret in (SECRET, quote_plus(SECRET), "c0de-1234", "at-999999", "Y2xpZW50OnNlY3JldA==",
                   "late-learned-sad"):
        assert secret not in written
    doc = json.loads((out / "exchanges.json").read_text())
    assert doc["exchanges"][0]["status"] == 200 and doc["exchanges"][0]["id"] == 1
