"""Known deviations of a target (``targets/<name>.deviations.toml``) as strict xfails.

Each entry names a scenario by its id tag (``id_signhash_007``), the API version it concerns
(``v1``, ``v2`` or ``both``), a reason and a link. Matching tests are marked
``xfail(strict=True)``: if the target gets fixed, the unexpected pass fails the run, which forces
the entry's removal. An entry that matches no collected test is *stale* and is reported.

```toml
[[deviations]]
id = "id_par_003"
api = "v2"
reason = "PAR endpoint answers 200 instead of 201"
link = "https://support.example/ticket/42"
```
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest

from cscsuite.profile_types import Profile

_ALLOWED = {"id", "api", "reason", "link"}

#: Where the stale entries of a run are kept (read by the reporting plugin via ``stale``).
STALE_KEY = pytest.StashKey[list["Deviation"]]()


class DeviationsError(Exception):
    """A malformed deviations file (one line naming file and entry)."""


@dataclass(frozen=True)
class Deviation:
    id: str
    api: str
    reason: str
    link: str = ""

    def applies(self, tags: Iterable[str], version: str | None) -> bool:
        return self.id in set(tags) and (self.api == "both" or version in (None, self.api))

    def describe(self) -> str:
        where = f" ({self.link})" if self.link else ""
        return f"known deviation [{self.id} {self.api}]: {self.reason}{where}"


def deviations_path(profile_path: Path) -> Path:
    """``targets/foo.toml`` → ``targets/foo.deviations.toml``."""
    return profile_path.with_name(profile_path.stem + ".deviations.toml")


def load(path: Path) -> list[Deviation]:
    """The entries of a deviations file; a missing file means none."""
    if not path.is_file():
        return []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise DeviationsError(f"{path}: not valid TOML: {exc}") from None
    unknown = set(data) - {"deviations"}
    if unknown:
        raise DeviationsError(f"{path}: unknown key '{sorted(unknown)[0]}' (use [[deviations]])")
    entries = data.get("deviations", [])
    if not isinstance(entries, list):
        raise DeviationsError(f"{path}: 'deviations' must be an array of tables")
    return [_entry(path, i, e) for i, e in enumerate(entries)]


def _entry(path: Path, index: int, raw: object) -> Deviation:
    where = f"{path}: deviations[{index}]"
    if not isinstance(raw, dict):
        raise DeviationsError(f"{where}: expected a table")
    unknown = set(raw) - _ALLOWED
    if unknown:
        raise DeviationsError(f"{where}: unknown key '{sorted(unknown)[0]}'")
    for key in ("id", "reason"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            raise DeviationsError(f"{where}: '{key}' is required (a non-empty string)")
    api = raw.get("api", "both")
    if api not in ("v1", "v2", "both"):
        raise DeviationsError(f"{where}: 'api' must be v1, v2 or both")
    return Deviation(id=raw["id"].removeprefix("@"), api=api, reason=raw["reason"],
                     link=str(raw.get("link", "")))


def item_version(item: pytest.Item) -> str | None:
    callspec = getattr(item, "callspec", None)
    return callspec.params.get("csc_version") if callspec else None


def apply(items: Iterable[pytest.Item], deviations: list[Deviation]) -> list[Deviation]:
    """Mark matching items strict-xfail; return the entries that matched nothing."""
    used: set[Deviation] = set()
    for item in items:
        tags = {m.name for m in item.iter_markers()}
        for dev in deviations:
            if dev.applies(tags, item_version(item)):
                item.add_marker(pytest.mark.xfail(strict=True, reason=dev.describe()))
                used.add(dev)
    return [d for d in deviations if d not in used]


def stale(config: pytest.Config) -> list[Deviation]:
    """Stale entries of this run (empty before collection)."""
    return config.stash.get(STALE_KEY, [])


def per_target(profile: Profile, embedded: bool) -> dict[str, list[Deviation]]:
    """Known deviations per target (``""``: the profile's own; else a companion's name): each
    companion's profile has its own file. A run against a running service has no companions."""
    found = {"": load(deviations_path(Path(profile.source_path)))}
    for name, comp in (profile.companions if embedded else {}).items():
        found[name] = load(deviations_path(Path(comp.profile.source_path)))
    return found
