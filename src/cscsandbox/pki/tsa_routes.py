"""``POST /pki/tsa``: the RFC 3161 time-stamp protocol over HTTP (RFC 3161 §3.4).

The URL is published in the TSA certificate's subject information access (``id-ad-timeStamping``)
and behind the CSC method ``signatures/timestamp``. A request that is not a time-stamp query by
its media type gets a JSON error like every other endpoint; any body sent as a query gets a
``TimeStampResp``, a refusal included (``PKIStatusInfo`` with a failure reason), never a 500.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request

from cscsandbox.errors import CscError
from cscsandbox.pki import tsa

blueprint = Blueprint("pki_tsa", __name__)

QUERY_TYPE = "application/timestamp-query"
REPLY_TYPE = "application/timestamp-reply"


@blueprint.post(tsa.TSA_PATH)
def time_stamp() -> Response:
    if request.mimetype != QUERY_TYPE:
        raise CscError(415, "invalid_request", f"Content-Type must be {QUERY_TYPE}")
    unit = tsa.unit(current_app.extensions["cscsandbox"])
    return Response(tsa.respond(unit, request.get_data()), mimetype=REPLY_TYPE)
