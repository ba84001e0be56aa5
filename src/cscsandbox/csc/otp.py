"""``credentials/sendOTP`` (CSC1 §11.6 / spec-notes §3.8) and the online one-time codes it sends.

Only for an explicit credential whose OTP is ``online``; the code goes to the signer's phone,
that is the sandbox's SMS outbox (``GET /_sandbox/sms?user=...``), and is good for one
``credentials/authorize`` within ``factors.ONLINE_OTP_LIFETIME_S``.
"""

from __future__ import annotations

from flask import Blueprint, Response

from cscsandbox import audit
from cscsandbox.csc.auth import service_call
from cscsandbox.csc.credinfo import owned_credential
from cscsandbox.csc.factors import locked_factor, remember_online_otp
from cscsandbox.errors import invalid_request
from cscsandbox.login import sms
from cscsandbox.oauth.settings import from_config

blueprint = Blueprint("csc_otp", __name__)


@blueprint.post("/csc/<any(v1, v2):version>/credentials/sendOTP")
def send_otp(version: str) -> Response:
    call = service_call()
    cred = owned_credential(call.ctx, call.caller, call.params)
    if cred.auth_mode != "explicit" or cred.otp_type != "online":
        raise invalid_request("The credential has no online OTP (OTP type online)")
    if locked_factor(cred.credential_id, call.ctx.config.service.factor_max_failures):
        raise invalid_request("OTP locked")
    user = call.ctx.config.user(cred.user_id)
    code = sms.new_code()
    remember_online_otp(cred.credential_id, code)
    sms.send(user.username if user else cred.user_id, code,
             outbox=from_config(call.ctx.config).sms_outbox)
    audit.record("credentials/sendOTP", transaction_id=call.transaction_id,
                 client_id=call.caller.client_id, user_id=call.caller.user_id,
                 detail={"credential_id": cred.credential_id, "api_version": version})
    return Response(status=204)
