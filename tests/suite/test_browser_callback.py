"""The redirect to the client answered inside the browser (``cscsuite.browser_callback``): what a
paused request's target is, and which paused requests are answered 204 or continued."""

from __future__ import annotations

from typing import Any

from cscsuite.browser_callback import CallbackCatcher, redirect_target
from cscsuite.browser_login_state import LoginState

PREFIX = "https://client.example/callback"


def _paused(url: str, status: int | None = None, location: str | None = None,
            fragment: str = "") -> dict[str, Any]:
    event: dict[str, Any] = {"requestId": "r1", "request": {"url": url}}
    if fragment:
        event["request"]["urlFragment"] = fragment
    if status is not None:
        event["responseStatusCode"] = status
        event["responseHeaders"] = [{"name": "Location", "value": location}] if location else []
    return event


def test_a_redirects_target_is_its_location_made_absolute_with_the_fragment() -> None:
    assert redirect_target(_paused("https://as.example/consent", 302,
                                   f"{PREFIX}#code=c1&state=s")) == f"{PREFIX}#code=c1&state=s"
    assert redirect_target(_paused("https://as.example/a/b", 303, "../login")) == \
        "https://as.example/login"
    assert redirect_target(_paused("https://as.example/x", 200)) is None  # not a redirect
    assert redirect_target(_paused("https://as.example/x", 302)) is None  # no Location
    assert redirect_target({"requestId": "r", "request": {"url": "u"},
                            "responseErrorReason": "Failed"}) is None
    assert redirect_target(_paused(f"{PREFIX}?code=c2", fragment="#f")) == f"{PREFIX}?code=c2#f"


class FakeCdp:
    """Records what the catcher sends; ``emit`` delivers a paused request to it."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, dict[str, Any]]] = []
        self.handlers: dict[str, Any] = {}

    def on(self, event: str, handler: Any) -> None:
        self.handlers[event] = handler

    def send(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        self.sent.append((method, params or {}))
        return {}

    def emit(self, event: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        self.handlers["Fetch.requestPaused"](event)
        return self.sent[-1]


def test_the_running_logins_redirect_is_recorded_and_answered_204_others_continue() -> None:
    cdp = FakeCdp()
    catcher = CallbackCatcher(cdp)  # type: ignore[arg-type]
    login = LoginState(PREFIX)
    catcher.start(login)
    method, params = cdp.sent[0]
    assert method == "Fetch.enable"
    assert params["patterns"][1] == {"urlPattern": f"{PREFIX}*", "requestStage": "Request"}
    assert cdp.emit(_paused("https://as.example/login", 200)) == (
        "Fetch.continueRequest", {"requestId": "r1"})
    assert cdp.emit(_paused("https://as.example/consent", 302, f"{PREFIX}?code=c1")) == (
        "Fetch.fulfillRequest", {"requestId": "r1", "responseCode": 204})
    assert login.callback_url == f"{PREFIX}?code=c1"
    cdp.emit(_paused("https://as.example/consent", 302, f"{PREFIX}?code=late"))
    assert login.callback_url == f"{PREFIX}?code=c1"  # the first redirect counts
    catcher.stop()
    assert cdp.emit(_paused("https://as.example/consent", 302, f"{PREFIX}?code=c3"))[1] == {
        "requestId": "r1", "responseCode": 204}  # after the login: answered, not recorded
    catcher.start(LoginState(PREFIX))
    assert [m for m, _ in cdp.sent].count("Fetch.enable") == 1  # same redirect URI: no change


def test_wildcards_in_the_redirect_uri_are_escaped() -> None:
    cdp = FakeCdp()
    CallbackCatcher(cdp).start(LoginState("https://c.example/cb*?"))  # type: ignore[arg-type]
    assert cdp.sent[0][1]["patterns"][1]["urlPattern"] == "https://c.example/cb\\*\\?*"
