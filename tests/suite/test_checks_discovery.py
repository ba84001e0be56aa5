"""Each discovery check passes on a conforming info and fails on a deviating one."""

import struct

import pytest

from cscsuite.checks import discovery
from cscsuite.checks.base import GRADING, ConformanceError

V1 = {"specs": "1.0.4.0", "name": "Svc", "logo": "https://x/l.png", "region": "AT",
      "lang": "en-US", "description": "d", "authType": ["oauth2code"],
      "oauth2": "https://id.example/realms/qs/", "methods": ["credentials/list"]}
V2 = {**V1, "specs": "2.1.0.1", "signAlgorithms": {"algos": ["1.2.840.113549.1.1.11"]},
      "signature_formats": {}, "conformance_levels": []}


def png(width, height):
    return b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + struct.pack(">II", width, height)


def jpeg(width, height):
    return (b"\xff\xd8" + b"\xff\xe0\x00\x04ab" + b"\xff\xc0\x00\x0b\x08"
            + struct.pack(">HH", height, width) + b"\x01\x01\x11\x00")


def test_required_fields():
    discovery.check_required_fields(V1, "v1")
    discovery.check_required_fields(V2, "v2")
    with pytest.raises(ConformanceError, match="signAlgorithms"):
        discovery.check_required_fields(V1, "v2")


def test_specs_major():
    discovery.check_specs_major("2.1.0.1", "v2")
    with pytest.raises(ConformanceError):
        discovery.check_specs_major("1.0.4.0", "v2")
    with pytest.raises(ConformanceError):
        discovery.check_specs_major(None, "v1")


def test_lengths_and_region():
    discovery.check_text_lengths(V1)
    with pytest.raises(ConformanceError):
        discovery.check_text_lengths({**V1, "name": "x" * 256})
    discovery.check_region("AT")
    with pytest.raises(ConformanceError):
        discovery.check_region("aut")


def test_auth_types_and_oauth_server():
    discovery.check_auth_types(["oauth2code", "TLS"])
    with pytest.raises(ConformanceError):
        discovery.check_auth_types(["oauth2code", "saml"])
    discovery.check_oauth_server_named(V1, "v1")
    discovery.check_oauth_server_named({**V1, "oauth2": "http://127.0.0.1:5/realms/x/"}, "v1")
    with pytest.raises(ConformanceError, match="https"):
        discovery.check_oauth_server_named({**V1, "oauth2": "http://id.example/"}, "v1")
    with pytest.raises(ConformanceError):
        discovery.check_oauth_server_named({k: v for k, v in V1.items() if k != "oauth2"}, "v1")
    issuer_only = {k: v for k, v in V2.items() if k != "oauth2"} | {
        "oauth2Issuer": "https://id.example"}
    discovery.check_oauth_server_named(issuer_only, "v2")


def test_logo():
    discovery.check_logo(200, "image/png", png(128, 64))
    discovery.check_logo(200, "image/jpeg", jpeg(256, 256))
    with pytest.raises(ConformanceError, match="256x256"):
        discovery.check_logo(200, "image/png", png(512, 64))
    with pytest.raises(ConformanceError):
        discovery.check_logo(200, "image/gif", b"GIF89a")
    with pytest.raises(ConformanceError):
        discovery.check_logo(404, "image/png", png(1, 1))


def test_lang_fallback_and_algorithms(strict_grading):
    discovery.check_lang_fallback({"lang": "en-US"}, "xx-YY", "en-US")
    with pytest.raises(ConformanceError):
        discovery.check_lang_fallback({"lang": "xx-YY"}, "xx-YY", "en-US")
    discovery.check_sign_algorithms({"signAlgorithms": {"algos": ["1.2.3"], "algoParams": [""]}})
    with pytest.raises(ConformanceError):
        discovery.check_sign_algorithms({"signAlgorithms": {"algos": ["sha256WithRSA"]}})
    with pytest.raises(ConformanceError):
        discovery.check_sign_algorithms({"signAlgorithms": {"algos": ["1.2.3"],
                                                            "algoParams": ["", ""]}})


def test_algo_params_length_is_should_level():
    """Inferred (spec-notes §10 item 10): a finding, not a failure."""
    GRADING.findings.clear()
    discovery.check_sign_algorithms({"signAlgorithms": {"algos": ["1.2.3"], "algoParams": []}})
    assert [(f.clause, f.expected, f.actual) for f in GRADING.findings] == [
        ("CSC2-11.1", "1 entries", "0 entries")]
    GRADING.findings.clear()


def test_methods():
    discovery.check_methods_exist({"credentials/list": 400, "signatures/signHash": 401})
    with pytest.raises(ConformanceError):
        discovery.check_methods_exist({"credentials/list": 404})
    discovery.check_method_absent(501)
    with pytest.raises(ConformanceError):
        discovery.check_method_absent(400)


def test_metadata_is_should_level():
    GRADING.findings.clear()
    discovery.check_metadata({"issuer": "i", "authorization_endpoint": "a", "token_endpoint": "t"})
    assert not GRADING.findings
    discovery.check_metadata({"issuer": "i"})
    assert GRADING.findings and GRADING.findings[-1].clause == "RFC8414-3"
    discovery.check_issuer_matches("https://id/realms/qs", "https://id/realms/qs/")
    discovery.check_issuer_matches("https://other", "https://id/realms/qs/")
    assert GRADING.findings[-1].clause == "RFC8414-3.3"
    GRADING.findings.clear()


def test_pinned():
    discovery.check_pinned(V2, {"specs": "2.1.0.1"})
    with pytest.raises(ConformanceError):
        discovery.check_pinned(V2, {"supportsRar": True})
