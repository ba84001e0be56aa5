"""Switches that choose which of the answers the RFCs allow the authorization server gives
(``[oauth] par_wrong_method_status``, ``par_request_uri_error``, ``implicit_refusal``). Each
choice conforms; the defaults are the ones the sandbox always gave."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest
from flask.testing import FlaskClient

from cscsandbox import config
from cscsandbox.oauth import settings

from .flows import PAR, authorize
from .test_par import push

Factory = Callable[..., FlaskClient]


@pytest.mark.parametrize("status", [405, 404])
def test_par_wrong_method_status(with_oauth: Factory, status: int) -> None:
    response = with_oauth(par_wrong_method_status=status).get(PAR)
    assert response.status_code == status
    assert response.get_json()["error"] == "invalid_request"
    assert ("Allow" in response.headers) == (status == 405)


@pytest.mark.parametrize("error", ["invalid_request", "request_uri_not_supported"])
def test_par_request_uri_error(with_oauth: Factory, error: str) -> None:
    response = push(with_oauth(par_request_uri_error=error),
                    request_uri="urn:ietf:params:oauth:request_uri:invented")
    assert response.status_code == 400
    assert response.get_json()["error"] == error


def test_implicit_refusal_in_the_fragment(with_oauth: Factory) -> None:
    response = authorize(with_oauth(implicit_refusal="unauthorized_client"),
                         response_type="token", state="s9")
    assert response.status_code == 302
    parts = urlsplit(response.headers["Location"])
    said = {k: v[0] for k, v in parse_qs(parts.fragment).items()}
    assert not parts.query
    assert said["error"] == "unauthorized_client" and said["state"] == "s9"


def test_other_errors_keep_the_query(with_oauth: Factory) -> None:
    response = authorize(with_oauth(implicit_refusal="unauthorized_client"), scope="foo")
    parts = urlsplit(response.headers["Location"])
    assert "error=invalid_scope" in parts.query and not parts.fragment


@pytest.mark.parametrize(("key", "value"), [("par_wrong_method_status", 400),
                                            ("par_request_uri_error", "invalid_scope"),
                                            ("implicit_refusal", "access_denied")])
def test_only_allowed_answers_can_be_chosen(key: str, value: object) -> None:
    with pytest.raises(config.ConfigError, match=key):
        settings.parse({key: value})
