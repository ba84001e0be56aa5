"""``info``: the service description, no authentication (CSC §11.1; PrimeSign values §0)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app

from cscsandbox import defects
from cscsandbox.context import SandboxContext
from cscsandbox.csc import algorithms
from cscsandbox.csc.params import json_body

blueprint = Blueprint("csc_info", __name__)

BASE_METHODS = ["credentials/list", "credentials/info", "signatures/signHash"]


def advertised_methods(ctx: SandboxContext) -> list[str]:
    methods = list(BASE_METHODS)
    if ctx.config.service.advertise_credentials_authorize:
        methods.insert(2, "credentials/authorize")
    if ctx.config.service.timestamp_method:
        methods.append("signatures/timestamp")
    return methods


def _common(ctx: SandboxContext, version: str) -> dict[str, Any]:
    service = ctx.config.service
    doc: dict[str, Any] = {
        "specs": service.specs_v1 if version == "v1" else service.specs_v2,
        "name": service.name,
        "logo": f"{ctx.base_url}/static/logo.png",
        "region": service.region,
        "lang": service.lang,
        "description": service.description,
        "authType": ["oauth2code"],
        "oauth2": f"{ctx.issuer}/",
        "methods": advertised_methods(ctx),
    }
    if defects.active("info-missing-name"):
        del doc["name"]
    return doc


def _v2_extras() -> dict[str, Any]:
    algos = list(algorithms.SIGN_ALGOS)
    return {
        "asynchronousOperationMode": False,
        "validationInfo": False,
        "signAlgorithms": {
            "algos": algos,
            "algoParams": [algorithms.advertised_params(oid) for oid in algos],
        },
        "signature_formats": {"formats": ["C", "P"], "envelope_properties": [["Detached"],
                                                                             ["Certification"]]},
        "conformance_levels": ["Ades-B-B"],
        "supportsRar": True,
    }


@blueprint.route("/csc/<any(v1, v2):version>/info", methods=["GET", "POST"])
def info(version: str) -> dict[str, Any]:
    ctx: SandboxContext = current_app.extensions["cscsandbox"]
    json_body(require_json=False)  # malformed JSON is still an error; lang is not translated
    doc = _common(ctx, version)
    if version == "v2":
        doc.update(_v2_extras())
        doc["supportedHashTypes"] = list(ctx.config.service.supported_hash_types)
    return doc
