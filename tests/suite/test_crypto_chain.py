"""validate_chain / check_order: order, trust, validity, key usage, QC and revocation."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from suite_crypto_factory import NOW, ec_key, make_cert, make_crl, make_pki, name, serial_of

from cscsuite.crypto import ChainError, check_order, validate_chain
from cscsuite.crypto.chain import check_qualified


@pytest.fixture(scope="module")
def pki():
    return make_pki()


def reason(fn, *args, **kwargs) -> str:
    with pytest.raises(ChainError) as exc:
        fn(*args, **kwargs)
    return exc.value.reason


def test_valid_chain_validates_end_entity_first(pki) -> None:
    result = validate_chain([pki.ee, pki.inter], [pki.root], NOW)
    assert result.path == (pki.ee, pki.inter, pki.root)


def test_chain_including_the_root_validates(pki) -> None:
    assert validate_chain([pki.ee, pki.inter, pki.root], [pki.root], NOW).path[0] == pki.ee


@pytest.mark.parametrize("order", [
    ["inter", "ee"],
    ["root", "inter", "ee"],
    ["ee", "root", "inter"],
    ["ee", "root"],
])
def test_wrong_order_is_rejected(pki, order) -> None:
    certs = [getattr(pki, n) for n in order]
    assert reason(check_order, certs) == "wrong_order"
    assert reason(validate_chain, certs, [pki.root], NOW) == "wrong_order"


def test_wrong_order_message_names_the_certificates(pki) -> None:
    pattern = r"#1 \(CN=Test Root CA.*did not issue certificate #0 \(CN=Alice"
    with pytest.raises(ChainError, match=pattern):
        check_order([pki.ee, pki.root, pki.inter])


def test_unknown_trust_anchor_is_rejected(pki) -> None:
    other_root = make_cert(name("Other Root"), ec_key("P-256", 7), ca=True)
    assert reason(validate_chain, [pki.ee, pki.inter], [other_root], NOW) == "untrusted"


@pytest.mark.parametrize("offset", [timedelta(days=400), timedelta(days=-2)])
def test_certificate_outside_validity_at_signing_time_is_rejected(pki, offset) -> None:
    assert reason(validate_chain, [pki.ee, pki.inter], [pki.root], NOW + offset) == "expired"


def test_missing_non_repudiation_is_rejected() -> None:
    p = make_pki(non_repudiation=False)
    assert reason(validate_chain, [p.ee, p.inter], [p.root], NOW) == "key_usage"


def test_qualified_requirement(pki) -> None:
    validate_chain([pki.ee, pki.inter], [pki.root], NOW, require_qualified=True)
    no_qc = make_pki(qc=False)
    assert reason(check_qualified, no_qc.ee) == "not_qualified"
    no_policy = make_pki(policy="1.2.3.4")
    assert reason(validate_chain, [no_policy.ee, no_policy.inter], [no_policy.root], NOW,
                  require_qualified=True) == "not_qualified"


# certvalidator consults a CRL only for a certificate that names a CRL distribution point;
# port 9 on loopback refuses, so only the supplied CRL can answer.
UNREACHABLE_CRL = "http://127.0.0.1:9/ca.crl"


def test_revoked_certificate_with_supplied_crl() -> None:
    p = make_pki(crl_url=UNREACHABLE_CRL)
    crl = make_crl(p.inter, p.inter_key, [serial_of(p.ee)])
    chain = [p.ee, p.inter]
    assert reason(validate_chain, chain, [p.root], NOW, "hard", crls=[crl]) == "revoked"
    assert reason(validate_chain, chain, [p.root], NOW, "soft", crls=[crl]) == "revoked"
    validate_chain(chain, [p.root], NOW, "off", crls=[crl])  # off: revocation not consulted


def test_unrevoked_certificate_with_supplied_crl_validates() -> None:
    p = make_pki(crl_url=UNREACHABLE_CRL)
    crl = make_crl(p.inter, p.inter_key, [serial_of(p.inter)])
    assert validate_chain([p.ee, p.inter], [p.root], NOW, "hard", crls=[crl]).path[0] == p.ee


class _CrlServer:
    """Serves CRLs on 127.0.0.1 by path, like the embedded service's /pki/crl/..."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        files = self.files

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = files.get(self.path)
                self.send_response(200 if body else 404)
                self.send_header("Content-Type", "application/pkix-crl")
                self.end_headers()
                self.wfile.write(body or b"")

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def crl_server() -> Iterator[_CrlServer]:
    server = _CrlServer()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


def test_revoked_certificate_with_crl_fetched_from_loopback(crl_server) -> None:
    p = make_pki(crl_url=crl_server.url + "/revoked.crl")
    crl_server.files["/revoked.crl"] = make_crl(p.inter, p.inter_key, [serial_of(p.ee)])
    assert reason(validate_chain, [p.ee, p.inter], [p.root], NOW, "hard") == "revoked"
    validate_chain([p.ee, p.inter], [p.root], NOW, "off")


def test_good_certificate_with_crl_fetched_from_loopback(crl_server) -> None:
    p = make_pki(crl_url=crl_server.url + "/good.crl")
    crl_server.files["/good.crl"] = make_crl(p.inter, p.inter_key, [])
    assert validate_chain([p.ee, p.inter], [p.root], NOW, "hard").path[0] == p.ee


def test_unreachable_crl_fails_hard_but_not_soft(crl_server) -> None:
    p = make_pki(crl_url=crl_server.url + "/missing.crl")
    assert reason(validate_chain, [p.ee, p.inter], [p.root], NOW, "hard") == "revocation_unknown"
    validate_chain([p.ee, p.inter], [p.root], NOW, "soft")


def test_works_while_an_event_loop_runs_in_this_thread(pki) -> None:
    """Playwright's sync API leaves a running loop on the main thread (eng-notes §2.4)."""

    async def inside_loop():
        return validate_chain([pki.ee, pki.inter], [pki.root], NOW)

    assert asyncio.run(inside_loop()).path[-1] == pki.root
