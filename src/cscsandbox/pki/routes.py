"""``/pki/...``: CA certificates, CRLs and the OCSP responder (GET and POST per RFC 6960 A.1)."""

from __future__ import annotations

import base64
import binascii

from flask import Blueprint, Response, current_app, request

from cscsandbox.errors import CscError
from cscsandbox.pki import revocation
from cscsandbox.pki.store import CA_NAMES, PkiStore

blueprint = Blueprint("pki", __name__, url_prefix="/pki")


def _store() -> PkiStore:
    return current_app.extensions["cscsandbox"].pki


def _ca_name(name: str) -> str:
    if name not in CA_NAMES:
        raise CscError(404, "invalid_request", "Unknown certification authority")
    return name


@blueprint.get("/ca/<name>.cer")
def ca_certificate(name: str) -> Response:
    der = _store().authority(_ca_name(name)).der
    return Response(der, mimetype="application/pkix-cert")


@blueprint.get("/crl/<name>.crl")
def crl(name: str) -> Response:
    return Response(revocation.crl(_store(), _ca_name(name)), mimetype="application/pkix-crl")


@blueprint.post("/ocsp")
def ocsp_post() -> Response:
    return _ocsp(request.get_data())


@blueprint.get("/ocsp/<path:encoded>")
def ocsp_get(encoded: str) -> Response:
    try:
        der = base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=False)
    except (binascii.Error, ValueError):
        der = b""
    return _ocsp(der)


def _ocsp(der: bytes) -> Response:
    return Response(revocation.ocsp_response(_store(), der), mimetype="application/ocsp-response")
