"""Load a target profile (``targets/<name>.toml``) into ``profile_types`` objects.

Tables map onto the dataclasses generically (field names are the TOML keys), so a new optional
field in ``profile_types`` needs no loader change. Secret references ``{ env = "VAR" }`` or
``{ env = "VAR", default = "..." }`` become ``Secret`` values; a missing variable without default,
an unknown key or a value of the wrong type is a ``ProfileError`` naming the file and the key.
"""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
import types
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Union

from cscsuite.profile_types import (
    AccountTokenPolicy,
    Client,
    Companion,
    Identity,
    LoginStep,
    OtpSource,
    Profile,
    RunSettings,
    SandboxSettings,
    ServiceAuthSettings,
    Timeouts,
    TrustAnchor,
)
from cscsuite.secret import Secret

__all__ = ["Profile", "ProfileError", "expand", "load_profile", "resolve_profile_path"]

API_VERSIONS = ("v1", "v2")
#: Identity values that are secret even when written literally.
SECRET_VALUE_KEYS = frozenset({"password", "pin", "otp", "secret"})
#: Dataclass fields whose values are secret (an env reference there becomes a ``Secret``).
SECRET_FIELDS = frozenset({"secret", "value", "service_token"})
#: A companion's name becomes part of test ids (``[v1@basic-explicit]``).
_COMPANION_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")


class ProfileError(Exception):
    """A profile that cannot be used; the message is one line naming file and key."""


def resolve_profile_path(name_or_path: str, root: Path) -> Path:
    """``sandbox`` → ``<root>/targets/sandbox.toml``; a path is taken as it is."""
    candidate = Path(name_or_path)
    if candidate.suffix == ".toml" or os.sep in name_or_path or "/" in name_or_path:
        path = candidate if candidate.is_absolute() else (Path.cwd() / candidate)
    else:
        path = root / "targets" / f"{name_or_path}.toml"
    if not path.is_file():
        raise ProfileError(f"profile not found: {name_or_path} (looked for {path})")
    return path


def expand(template: str, **values: str) -> str:
    """Fill ``{base_url}``-style placeholders, leaving unknown ones untouched."""
    for key, value in values.items():
        template = template.replace("{" + key + "}", value.rstrip("/") if key == "base_url"
                                    else value)
    return template


def load_profile(name_or_path: str, root: Path,
                 env: Mapping[str, str] | None = None) -> Profile:
    path = resolve_profile_path(name_or_path, root)
    data = _read_toml(path, root, ())
    return _Loader(path, os.environ if env is None else env, root).profile(data)


def _read_toml(path: Path, root: Path, seen: tuple[Path, ...]) -> dict[str, Any]:
    """A profile's TOML with its ``extends`` chain applied: the base profile (a name or a
    ``.toml`` path, next to this file or in ``targets/``: ``related_profile``) first, then this
    file's tables merged over it (arrays and values replace); ``drop = ["clients.other", ...]``
    removes inherited keys."""
    if path in seen:
        raise ProfileError(f"{path}: 'extends' loops back to this file")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{path}: not valid TOML: {exc}") from None
    base_name = data.pop("extends", None)
    drops = data.pop("drop", [])
    if base_name is None:
        return data
    if not isinstance(base_name, str) or not isinstance(drops, list):
        raise ProfileError(f"{path}: key 'extends' names one profile, 'drop' lists dotted keys")
    base_path = related_profile(base_name, path, root)
    merged = _merge(_read_toml(base_path, root, (*seen, path)), data)
    for dotted in drops:
        *parents, last = str(dotted).split(".")
        table: Any = merged
        for key in parents:
            table = table.get(key, {}) if isinstance(table, dict) else {}
        if not isinstance(table, dict) or table.pop(last, None) is None:
            raise ProfileError(f"{path}: key 'drop': {dotted} is not inherited")
    return merged


def related_profile(ref: str, beside: Path, root: Path) -> Path:
    """A profile another one names (``extends``, a companion): a ``.toml`` path or a name,
    looked up next to that profile first, then in ``<root>/targets/``."""
    near = beside.parent / (ref if ref.endswith(".toml") else f"{ref}.toml")
    return near if near.is_file() else resolve_profile_path(ref, root)


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        old = out.get(key)
        out[key] = _merge(old, value) if isinstance(old, dict) and isinstance(value, dict) \
            else value
    return out


class _Loader:
    def __init__(self, path: Path, env: Mapping[str, str], root: Path | None = None) -> None:
        self.path = path
        self.env = env
        self.root = root or path.parent.parent

    def error(self, key: str, message: str) -> ProfileError:
        return ProfileError(f"{self.path}: key '{key}': {message}")

    def profile(self, data: dict[str, Any]) -> Profile:
        allowed = {f.name for f in dataclasses.fields(Profile)} - {"source_path"}
        self._no_unknown(data, allowed, "")
        sandbox = self.build(SandboxSettings, data.get("sandbox", {}), "sandbox")
        raw_url = data.get("base_url")
        base_url = self.value(raw_url, "base_url", secret=False) if isinstance(raw_url, dict) \
            else self.scalar(raw_url, str, "base_url", optional=True)
        if not base_url and not sandbox.enabled:
            raise self.error("base_url", "required unless sandbox.enabled = true")
        versions = tuple(self.scalar_list(data.get("api_versions", list(API_VERSIONS)), str,
                                          "api_versions"))
        if not versions or set(versions) - set(API_VERSIONS):
            raise self.error("api_versions", f"must be a non-empty subset of {API_VERSIONS}")
        clients = {n: self.client(n, t) for n, t in self.tables(data, "clients").items()}
        identities = {n: self.identity(n, t) for n, t in self.tables(data, "identities").items()}
        recipes = {name: tuple(self.build(LoginStep, step, f"login_recipes.{name}[{i}]")
                               for i, step in enumerate(self.table_list(steps,
                                                                        f"login_recipes.{name}")))
                   for name, steps in self.tables(data, "login_recipes").items()}
        self._require(identities, "identities.signer")
        for name, ident in identities.items():
            if ident.login is not None and ident.login not in recipes:
                raise self.error(f"identities.{name}.login",
                                 f"no login recipe '{ident.login}' in login_recipes")
        capabilities = self.tables(data, "capabilities", tables_only=False)
        self._check_capabilities(capabilities)
        profile = Profile(
            name=self.scalar(data.get("name", self.path.stem), str, "name"),
            base_url=base_url or None,
            api_versions=versions,
            clients=clients,
            identities=identities,
            login_recipes=recipes,
            capabilities=capabilities,
            trust_anchors=tuple(self.build(TrustAnchor, t, f"trust_anchors[{i}]")
                                for i, t in enumerate(self.table_list(
                                    data.get("trust_anchors", []), "trust_anchors"))),
            timeouts=self.build(Timeouts, data.get("timeouts", {}), "timeouts"),
            sandbox=sandbox,
            test_endpoints={k: self.scalar(v, str, f"test_endpoints.{k}") for k, v in
                            self.tables(data, "test_endpoints", tables_only=False).items()},
            source_path=str(self.path),
            run=self.build(RunSettings, data.get("run", {}), "run"),
            tsa_url=self.scalar(data.get("tsa_url"), str, "tsa_url", optional=True) or None,
            service_auth=self.build(ServiceAuthSettings, data.get("service_auth", {}),
                                    "service_auth"),
        )
        # last: a companion's own errors come after this profile's
        return dataclasses.replace(profile, companions=self.companions(data, sandbox,
                                                                        capabilities))

    def companions(self, data: dict[str, Any], sandbox: SandboxSettings,
                   capabilities: Mapping[str, Any]) -> dict[str, Companion]:
        """``[companions.<name>] profile = "...", capabilities = [...]``: the embedded-service
        profiles that run the scenarios needing those capabilities (one companion each)."""
        from cscsuite.capabilities import CAPABILITIES, DATA_KEYS

        section = self.tables(data, "companions")
        if section and not sandbox.enabled:
            raise self.error("companions", "only a profile of the embedded service "
                             "(sandbox.enabled = true) may name companions")
        owner: dict[str, str] = {}
        result: dict[str, Companion] = {}
        for name, table in section.items():
            where = f"companions.{name}"
            if not _COMPANION_NAME.fullmatch(name):
                raise self.error(where, "a companion's name is lowercase letters, digits and "
                                 "'-' (it becomes part of test ids)")
            table = self.mapping(table, where)
            self._no_unknown(table, {"profile", "capabilities"}, where)
            caps = self.scalar_list(table.get("capabilities", []), str, f"{where}.capabilities")
            if not caps:
                raise self.error(f"{where}.capabilities", "list the capabilities whose "
                                 "scenarios this companion runs (at least one)")
            for cap in caps:
                if cap not in CAPABILITIES or cap in DATA_KEYS:
                    raise self.error(f"{where}.capabilities", f"unknown capability {cap!r} (see "
                                     "pytest --csc-capabilities)")
                if cap in owner:
                    raise self.error(f"{where}.capabilities", f"{cap!r} is already companion "
                                     f"{owner[cap]!r}'s (one companion per capability)")
                if capabilities.get(cap) is True:
                    raise self.error(f"{where}.capabilities", f"{cap!r}: this profile declares "
                                     f"it itself ([capabilities] {cap} = true)")
                owner[cap] = name
            ref = self.scalar(table.get("profile"), str, f"{where}.profile")
            result[name] = Companion(name, self.companion_profile(ref, f"{where}.profile"),
                                     tuple(caps))
        return result

    def companion_profile(self, ref: str, where: str) -> Profile:
        """A companion's own profile (a ``.toml`` path or a name, looked up next to this profile,
        then in ``targets/``): an embedded-service profile without companions of its own."""
        try:
            path = related_profile(ref, self.path, self.root)
        except ProfileError as exc:
            raise self.error(where, str(exc)) from None
        if path.resolve() == self.path.resolve():
            raise self.error(where, "names this profile itself")
        data = _read_toml(path, self.root, ())
        if data.get("companions"):
            raise self.error(where, f"{path.name} names companions of its own; a companion "
                             "may not (drop them there: drop = [\"companions\"])")
        companion = _Loader(path, self.env, self.root).profile(data)
        if not companion.sandbox.enabled:
            raise self.error(where, f"{path.name} is not a profile of the embedded service "
                             "(sandbox.enabled = true): a remote target is never a companion")
        return companion

    def client(self, name: str, table: dict[str, Any]) -> Client:
        table = dict(table)
        policy = self.build(AccountTokenPolicy, table.pop("account_token", {}),
                            f"clients.{name}.account_token")
        return self.build(Client, {**table, "name": name, "account_token": policy},
                          f"clients.{name}")

    def identity(self, name: str, table: dict[str, Any]) -> Identity:
        where = f"identities.{name}"
        table = dict(table)
        values = {k: self.value(v, f"{where}.values.{k}",
                                secret=k in SECRET_VALUE_KEYS or isinstance(v, dict))
                  for k, v in self.mapping(table.pop("values", {}), f"{where}.values").items()}
        creds = {k: str(self.value(v, f"{where}.credentials.{k}", secret=False)) for k, v in
                 self.mapping(table.pop("credentials", {}), f"{where}.credentials").items()}
        otp_table = table.pop("otp", None)
        otp = None if otp_table is None else self.otp(otp_table, f"{where}.otp")
        return self.build(Identity, {**table, "name": name, "values": values, "otp": otp,
                                     "credentials": {k: v for k, v in creds.items() if v}}, where)

    def otp(self, table: Any, where: str) -> OtpSource:
        table = dict(self.mapping(table, where))
        kind = table.get("kind")
        if kind not in ("http", "env", "static", "none"):
            raise self.error(f"{where}.kind", "must be one of http, env, static, none")
        if kind == "env":
            var = self.scalar(table.get("var"), str, f"{where}.var")
            table["value"] = {"env": var}
        elif kind == "static" and "value" in table:
            table["value"] = self.value(table["value"], f"{where}.value", secret=True)
        if kind == "http" and not table.get("url"):
            raise self.error(f"{where}.url", "required for kind = \"http\"")
        return self.build(OtpSource, table, where)

    # -- generic building -------------------------------------------------------------------

    def build(self, cls: type, table: Any, where: str) -> Any:
        """Build a dataclass from a table: unknown keys and wrong types are errors."""
        table = self.mapping(table, where)
        fields = {f.name: f for f in dataclasses.fields(cls)}
        self._no_unknown(table, set(fields), where)
        hints = typing.get_type_hints(cls)
        kwargs: dict[str, Any] = {}
        for key, value in table.items():
            kwargs[key] = self.coerce(value, hints[key], f"{where}.{key}" if where else key)
        for name, f in fields.items():  # a field that may be None may be left out
            if name not in kwargs and _required(f) and _admits_none(hints[name]):
                kwargs[name] = None
        missing = [n for n, f in fields.items() if n not in kwargs and _required(f)]
        if missing:
            raise self.error(f"{where}.{missing[0]}" if where else missing[0], "missing")
        return cls(**kwargs)

    def coerce(self, value: Any, hint: Any, where: str) -> Any:
        """Check ``value`` against a (simple) type hint; resolves secret references."""
        if isinstance(value, dict) and "env" in value:
            value = self.value(value, where, secret=where.rsplit(".", 1)[-1] in SECRET_FIELDS)
        origin = typing.get_origin(hint)
        args = typing.get_args(hint)
        if origin in (Union, types.UnionType):
            if value in (None, "") and type(None) in args:
                return None
            non_none = [a for a in args if a is not type(None)]
            return self.coerce(value, non_none[0], where) if len(non_none) == 1 else value
        if origin is tuple:
            return tuple(self.scalar_list(value, args[0], where))
        if origin is typing.Literal:
            if value not in args:
                raise self.error(where, f"must be one of {', '.join(map(str, args))}")
            return value
        if isinstance(hint, type) and hint in (str, bool, int, float):
            return self.scalar(value, hint, where)
        return value

    def value(self, raw: Any, where: str, *, secret: bool) -> Any:
        """A plain value or a secret reference ``{ env = "VAR", default = "..." }``."""
        if isinstance(raw, dict):
            self._no_unknown(raw, {"env", "default"}, where)
            var = raw.get("env")
            if not isinstance(var, str) or not var:
                raise self.error(f"{where}.env", "must name an environment variable")
            if var in self.env:
                resolved = self.env[var]
            elif "default" in raw:
                resolved = str(raw["default"])
            else:
                raise ProfileError(f"profile '{self.path.stem}' ({self.path}) needs environment "
                                   f"variable {var} (for {where}); set it or pick another profile")
            return Secret(resolved) if secret else resolved
        if not isinstance(raw, str):
            raise self.error(where, f"expected a string, got {type(raw).__name__}")
        return Secret(raw) if secret else raw

    def scalar(self, value: Any, kind: type, where: str, optional: bool = False) -> Any:
        if value is None and optional:
            return None
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.error(where, f"expected {kind.__name__}, got {type(value).__name__}")
        return value

    def scalar_list(self, value: Any, kind: Any, where: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.error(where, f"expected a list, got {type(value).__name__}")
        if not isinstance(kind, type):
            return value
        return [self.scalar(v, kind, f"{where}[{i}]") for i, v in enumerate(value)]

    def mapping(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.error(where, f"expected a table, got {type(value).__name__}")
        return value

    def table_list(self, value: Any, where: str) -> list[dict[str, Any]]:
        return [self.mapping(v, f"{where}[{i}]")
                for i, v in enumerate(self.scalar_list(value, object, where))]

    def tables(self, data: dict[str, Any], key: str, tables_only: bool = True) -> dict[str, Any]:
        section = self.mapping(data.get(key, {}), key)
        if tables_only:
            for name, value in section.items():
                if not isinstance(value, dict | list):
                    raise self.error(f"{key}.{name}", "expected a table")
        return section

    def _no_unknown(self, table: Mapping[str, Any], allowed: set[str], where: str) -> None:
        for key in table:
            if key not in allowed:
                full = f"{where}.{key}" if where else key
                raise self.error(full, f"unknown key (allowed: {', '.join(sorted(allowed))})")

    def _require(self, section: Mapping[str, Any], key: str) -> None:
        if key.split(".")[1] not in section:
            raise self.error(key, "missing (every profile needs it)")

    def _check_capabilities(self, capabilities: Mapping[str, Any]) -> None:
        from cscsuite.capabilities import CAPABILITIES, SECONDS_KEYS

        for name, value in capabilities.items():
            if name in SECONDS_KEYS:
                if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                    raise self.error(f"capabilities.{name}", "expected seconds (a number >= 0)")
                continue
            if name == "pinned_info":
                if not isinstance(value, dict):
                    raise self.error("capabilities.pinned_info", "expected a table of info values")
                continue
            if name not in CAPABILITIES:
                raise self.error(f"capabilities.{name}", "unknown capability (see "
                                 "cscsuite/capabilities.py for the list)")
            per_version = value if isinstance(value, dict) else {"all": value}
            for ver, flag in per_version.items():
                if ver not in (*API_VERSIONS, "all") or not isinstance(flag, bool):
                    raise self.error(f"capabilities.{name}",
                                     "expected true/false or { v1 = bool, v2 = bool }")


def _required(f: dataclasses.Field[Any]) -> bool:
    return f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING


def _admits_none(hint: Any) -> bool:
    union = typing.get_origin(hint) in (Union, types.UnionType)
    return union and type(None) in typing.get_args(hint)
