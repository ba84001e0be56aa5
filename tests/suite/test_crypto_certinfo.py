"""compare_cert_info: tolerant of DN notation, strict about values (spec-notes §10 item 31)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID
from suite_crypto_factory import ec_key, make_cert

from cscsuite.crypto.certinfo import compare_cert_info, dn_equal, parse_dn, serial_equal

SUBJECT = x509.Name([
    x509.NameAttribute(NameOID.COUNTRY_NAME, "AT"),
    x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Müller, Söhne & Co"),
    x509.NameAttribute(NameOID.SURNAME, "Müller"),
    x509.NameAttribute(NameOID.GIVEN_NAME, "Anna"),
    x509.NameAttribute(NameOID.SERIAL_NUMBER, "PNOAT-1234"),
    x509.NameAttribute(NameOID.COMMON_NAME, "Anna Müller"),
])
ISSUER = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test CA"),
                    x509.NameAttribute(NameOID.COUNTRY_NAME, "AT")])
NOT_BEFORE = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
NOT_AFTER = datetime(2029, 1, 2, 3, 4, 5, tzinfo=UTC)


@pytest.fixture(scope="module")
def cert() -> bytes:
    return make_cert(SUBJECT, ec_key("P-256"), ISSUER, ec_key("P-256", 3),
                     not_before=NOT_BEFORE, not_after=NOT_AFTER, serial=0x00AB12CD)


def good_info() -> dict[str, str]:
    return {
        "issuerDN": "CN=Test CA,C=AT",
        "subjectDN": "CN=Anna Müller,2.5.4.5=PNOAT-1234,GN=Anna,SN=Müller,"
                     "O=Müller\\, Söhne & Co,C=AT",
        "serialNumber": "ab12cd",
        "validFrom": "20260102030405Z",
        "validTo": "20290102030405Z",
    }


def test_matching_cert_info_has_no_mismatch(cert) -> None:
    assert compare_cert_info(good_info(), cert) == []


@pytest.mark.parametrize("dn", [
    "C=AT, O=Müller\\, Söhne & Co, SURNAME=Müller, GIVENNAME=Anna, SERIALNUMBER=PNOAT-1234, "
    "CN=Anna Müller",                                    # Java order, spaces, long names
    "cn=anna müller,serialNumber=PNOAT-1234,givenName=Anna,sn=MÜLLER,o=Müller\\, Söhne & Co,c=at",
    "CN=Anna M\\C3\\BCller,OID.2.5.4.5=PNOAT-1234,G=Anna,SN=Müller,O=Müller\\, Söhne & Co,C=AT",
])
def test_dn_notation_differences_are_tolerated(cert, dn) -> None:
    assert dn_equal(dn, cert, "subject")


@pytest.mark.parametrize("dn", [
    "CN=Anna Mueller,2.5.4.5=PNOAT-1234,GN=Anna,SN=Müller,O=Müller\\, Söhne & Co,C=AT",
    "CN=Anna Müller,GN=Anna,SN=Müller,O=Müller\\, Söhne & Co,C=AT",       # attribute missing
    "CN=Anna Müller,2.5.4.5=PNOAT-1234,GN=Anna,SN=Müller,O=Müller,C=AT",  # value cut at ','
    "CN=Anna Müller,2.5.4.5=PNOAT-1234,GN=Anna,SN=Müller,O=Müller\\, Söhne & Co,C=AT,C=AT",
    "not a DN",
    "XYZ=1,CN=Anna Müller",
])
def test_different_dn_values_are_not_tolerated(cert, dn) -> None:
    assert not dn_equal(dn, cert, "subject")


@pytest.mark.parametrize(("text", "ok"), [
    ("AB12CD", True), ("00ab12cd", True), ("0xAB12CD", True), ("ab:12:cd", True),
    ("AB12CE", False), ("11211981", False), ("zz", False), ("", False),
])
def test_serial_comparison(text, ok) -> None:
    assert serial_equal(text, 0xAB12CD) is ok


def test_serial_must_be_a_string() -> None:
    assert not serial_equal(0xAB12CD, 0xAB12CD)


@pytest.mark.parametrize(("field", "value", "why"), [
    ("serialNumber", "ab12ce", "not the certificate's serial (hex)"),
    ("subjectDN", "CN=Bob,C=AT", "names a different DN"),
    ("issuerDN", "CN=Anna Müller,C=AT", "names a different DN"),
    ("validFrom", "20260102030406Z", "differs from the certificate"),
    ("validTo", "2029-01-02T03:04:05Z", "not YYYYMMDDHHMMSSZ"),
    ("validTo", None, "missing"),
])
def test_each_mismatch_is_reported(cert, field, value, why) -> None:
    info = good_info()
    if value is None:
        del info[field]
    else:
        info[field] = value
    [mismatch] = compare_cert_info(info, cert)
    assert (mismatch.field, mismatch.actual, mismatch.why) == (field, value, why)


def test_issuer_dn_is_compared_with_the_issuer(cert) -> None:
    info = good_info() | {"issuerDN": good_info()["subjectDN"], "subjectDN": "CN=Test CA,C=AT"}
    assert {m.field for m in compare_cert_info(info, cert)} == {"issuerDN", "subjectDN"}


def test_parse_dn_keeps_multi_valued_rdns() -> None:
    assert sorted(parse_dn("CN=a+SERIALNUMBER=1, C=AT")) == [
        ("2.5.4.3", "a"), ("2.5.4.5", "1"), ("2.5.4.6", "at")]
