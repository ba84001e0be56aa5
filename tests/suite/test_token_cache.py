"""The worker's token cache: one login per key, refresh near expiry, nothing revoked handed on,
and the tag policy that decides which scenarios may share a service token."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from cscsuite import tags
from cscsuite.driver_signing import SigningDriver
from cscsuite.redact import Redactor
from cscsuite.token_cache import DEFAULT_LIFETIME_S, Grant, TokenCache, TokenKey
from cscsuite.world import Authorization, Secret, World

KEY = TokenKey("https://as.example/token")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Server:
    """Issues numbered tokens; refreshes (optionally refusing or rotating) count separately."""

    def __init__(self, lifetime: float | None = 60.0, refresh_ok: bool = True,
                 rotate: bool = False) -> None:
        self.logins = self.refreshes = 0
        self.lifetime, self.refresh_ok, self.rotate = lifetime, refresh_ok, rotate
        self.refreshed_with: list[str] = []

    def obtain(self) -> Grant:
        self.logins += 1
        return Grant(Secret(f"access-{self.logins}"), Secret(f"refresh-{self.logins}"),
                     self.lifetime)

    def refresh(self, token: Secret) -> Grant | None:
        self.refreshed_with.append(str(token))
        if not self.refresh_ok:
            return None
        self.refreshes += 1
        rotated = Secret(f"refresh-r{self.refreshes}") if self.rotate else None
        return Grant(Secret(f"access-r{self.refreshes}"), rotated, self.lifetime)


def cache_and_clock(margin: float = 10.0) -> tuple[TokenCache, Clock]:
    clock = Clock()
    return TokenCache(margin_s=margin, clock=clock), clock


def test_one_login_per_key_and_another_for_another_client() -> None:
    cache, _ = cache_and_clock()
    server = Server()
    first = cache.token(KEY, server.obtain, server.refresh)
    again = cache.token(KEY, server.obtain, server.refresh)
    other = cache.token(TokenKey(KEY.server, client="other"), server.obtain, server.refresh)
    assert (first, again, other) == ("access-1", "access-1", "access-2")
    assert server.logins == 2 and cache.stats.hits == 1


def test_a_token_near_its_expiry_is_refreshed_without_a_login() -> None:
    cache, clock = cache_and_clock(margin=10.0)
    server = Server(lifetime=60.0)
    cache.token(KEY, server.obtain, server.refresh)
    clock.now += 45.0  # 15 s left: still beyond the margin
    assert cache.token(KEY, server.obtain, server.refresh) == "access-1"
    clock.now += 6.0  # 9 s left: within the margin
    assert cache.token(KEY, server.obtain, server.refresh) == "access-r1"
    clock.now += 55.0  # the refreshed token nears its end too: the old refresh token is kept
    assert cache.token(KEY, server.obtain, server.refresh) == "access-r2"
    assert server.refreshed_with == ["refresh-1", "refresh-1"]
    assert (server.logins, cache.stats.refreshed) == (1, 2)


def test_a_rotated_refresh_token_replaces_the_old_one() -> None:
    cache, clock = cache_and_clock()
    server = Server(rotate=True)
    cache.token(KEY, server.obtain, server.refresh)
    for _ in range(2):
        clock.now += 100.0
        cache.token(KEY, server.obtain, server.refresh)
    assert server.refreshed_with == ["refresh-1", "refresh-r1"]


def test_a_refused_refresh_falls_back_to_a_login() -> None:
    cache, clock = cache_and_clock()
    server = Server(refresh_ok=False)
    cache.token(KEY, server.obtain, server.refresh)
    clock.now += 100.0
    assert cache.token(KEY, server.obtain, server.refresh) == "access-2"
    assert (server.logins, cache.stats.refresh_failed) == (2, 1)


def test_without_a_refresh_token_or_a_lifetime() -> None:
    cache, clock = cache_and_clock()
    logins = []

    def obtain() -> Grant:
        logins.append(1)
        return Grant(Secret(f"bare-{len(logins)}"))

    cache.token(KEY, obtain)
    clock.now += DEFAULT_LIFETIME_S - 11  # the default lifetime applies, less the margin
    assert cache.token(KEY, obtain) == "bare-1"
    clock.now += 2
    assert cache.token(KEY, obtain) == "bare-2"


@pytest.mark.parametrize("spent", ["access-1", "refresh-1"])
def test_a_revoked_or_spent_token_is_never_handed_on(spent: str) -> None:
    cache, _ = cache_and_clock()
    server = Server()
    cache.token(KEY, server.obtain, server.refresh)
    assert cache.holds(spent) and cache.forget(spent)
    assert not cache.holds("access-1") and cache.get(KEY) is None
    assert cache.token(KEY, server.obtain, server.refresh) == "access-2"
    assert not cache.forget("unknown")


def test_secrets_stay_hidden_in_reprs_and_the_redactor_learns_them() -> None:
    redactor = Redactor()
    cache = TokenCache(redactor=redactor)
    cache.token(KEY, Server().obtain)
    assert "access-1" not in repr(cache._entries) and "refresh-1" not in repr(cache._entries)
    assert redactor.text("sent access-1 and refresh-1") == "sent *** and ***"


@pytest.mark.parametrize(("marks", "shares", "about"), [
    ({"signhash", "browser", "id_signhash_001"}, True, True),
    ({"credentials", "id_credentials_001"}, True, False),
    ({"credential_auth", "browser"}, True, True),
    ({"par"}, True, True),
    ({"revoke", "id_revoke_006"}, False, True),
    ({"service_auth"}, False, True),
    ({"token"}, False, True),
    ({"login"}, False, True),
    ({"account_token"}, False, True),
    ({"parametrize", "usefixtures", "id_revoke_001"}, False, True),  # area from the stable id
])
def test_the_tags_decide_who_shares_and_who_is_about_a_login(marks: set[str], shares: bool,
                                                             about: bool) -> None:
    assert tags.shares_service_token(marks) is shares
    assert tags.about_login(marks) is about


class Driver(SigningDriver):
    """The real service-token path; the login and the token endpoint are stand-ins."""

    def __init__(self, cache: TokenCache, marks: set[str], server: Server) -> None:
        api = SimpleNamespace(version="v2", revoke=self._revoke_call)
        world = World(api=api, profile=None, evidence=None,  # type: ignore[arg-type]
                      tags=frozenset(marks))
        eps = SimpleNamespace(token="https://as.example/token", revoke="https://as.example/revoke")
        target = SimpleNamespace(base_url="https://service.example", endpoints={"v2": eps})
        super().__init__(world, target, None, cache)  # type: ignore[arg-type]
        self.server = server
        self.revoked: list[str] = []

    @property
    def endpoints(self) -> Any:
        return SimpleNamespace(token="https://as.example/token",
                               revoke="https://as.example/revoke")

    def client(self, name: str = "main") -> Any:
        return SimpleNamespace(name=name)

    def fresh_service_token(self) -> Secret:
        grant = self.server.obtain()
        self.world.logins += 1
        self.world.authorization = Authorization(scope="service", access_token=grant.access_token,
                                                 refresh_token=grant.refresh_token)
        self.world.service_token = grant.access_token
        return grant.access_token

    def _revoke_call(self, endpoint: str, client: Any, token: str, *args: Any) -> Any:
        self.revoked.append(token)
        return SimpleNamespace(status=200)


def test_scenarios_about_something_else_share_one_login_per_worker() -> None:
    cache, server = TokenCache(), Server()
    first, second = Driver(cache, {"signhash"}, server), Driver(cache, {"credentials"}, server)
    assert first.service_token() == second.service_token() == "access-1"
    assert (first.world.logins, second.world.logins, server.logins) == (1, 0, 1)
    assert second.world.service_token == "access-1"


def test_a_revocation_scenario_logs_in_for_its_own_token_and_leaves_the_cache_alone() -> None:
    cache, server = TokenCache(), Server()
    shared = Driver(cache, {"signhash"}, server).service_token()
    revoker = Driver(cache, {"revoke"}, server)
    own = revoker.service_token()
    assert (shared, own, revoker.world.logins) == ("access-1", "access-2", 1)
    revoker.revoke(str(own), "access_token")
    assert cache.holds(shared) and not cache.holds(own)


def test_revoking_a_shared_token_drops_it_from_the_cache() -> None:
    cache, server = TokenCache(), Server()
    user = Driver(cache, {"signhash"}, server)
    shared = user.service_token()
    user.revoke(str(shared), "access_token")
    assert user.revoked == ["access-1"] and not cache.holds(shared)
    later = Driver(cache, {"credentials"}, server)
    assert later.service_token() == "access-2" and later.world.logins == 1


class Answer:
    def __init__(self, status: int, body: dict[str, Any]) -> None:
        self.status, self.body, self.error = status, body, body.get("error")

    def field(self, name: str) -> Any:
        return self.body.get(name)


@pytest.mark.parametrize(("answer", "expected"), [
    (Answer(200, {"access_token": "new", "expires_in": 120}), ("new", None, 120.0)),
    (Answer(200, {"access_token": "new", "refresh_token": "r2"}), ("new", "r2", None)),
    (Answer(400, {"error": "invalid_grant"}), None),
    (Answer(200, {"token_type": "Bearer"}), None),  # no access token: no grant
])
def test_the_driver_refreshes_a_shared_token_at_the_token_endpoint(answer: Answer,
                                                                   expected: Any) -> None:
    flow = Driver(TokenCache(), {"signhash"}, Server())
    sent: list[tuple[Any, ...]] = []
    flow.world.api.refresh = lambda *args: sent.append(args) or answer  # type: ignore[attr-defined]
    grant = flow.refresh_grant(Secret("refresh-1"))
    assert sent[0][0] == "https://as.example/token" and sent[0][2] == "refresh-1"
    got = None if grant is None else (grant.access_token, grant.refresh_token, grant.expires_in)
    assert got == expected
    assert flow.world.response is None  # the scenario's own last answer is untouched
