"""Which target runs a scenario: the profile's own, or one of its companions.

An embedded-service profile may name companions (``[companions.<name>]`` in the profile, see
``profile.py``): other personalities of the embedded service, each declaring the capabilities
whose scenarios it runs. The choice is static, made at collection time from the scenario's
``@needs_<capability>`` tags and what the profiles declare, so it never depends on what a service
answers: a scenario needing a declared capability runs against the first companion (in profile
order) that declares one of its needs and offers the API version; everything else runs against
the profile's own target. Whether the companion really has every need is then decided at run
time, as for any target: a need still unmet skips the scenario with its reason.

The instance's test id shows the companion (``[v1@basic-explicit]``); a primary instance keeps its
plain id (``[v1]``).
"""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from cscsuite.profile_types import Companion, Profile

#: The ``csc_target`` value of an instance that runs against the profile's own target.
PRIMARY = ""
NEEDS_PREFIX = "needs_"


def needs_of(tags: Iterable[str]) -> list[str]:
    """The capabilities a scenario's tags (marker names) say it needs, in tag order."""
    return [t[len(NEEDS_PREFIX):] for t in tags if t.startswith(NEEDS_PREFIX)]


def route(profile: Profile, tags: Iterable[str], version: str, *,
          embedded: bool = True) -> str:
    """The companion that runs this scenario instance (``PRIMARY``: the profile's own target).

    ``embedded`` is false when the run uses a running service (``--base-url``): such a run has
    no companions, whatever the profile says."""
    if not embedded:
        return PRIMARY
    needs = set(needs_of(tags))
    for companion in profile.companions.values():
        if needs & set(companion.capabilities) and version in companion.profile.api_versions:
            return companion.name
    return PRIMARY


def item_target(item: pytest.Item) -> str:
    """The target an instance runs against (``PRIMARY``: the profile's own)."""
    callspec = getattr(item, "callspec", None)
    return str(callspec.params.get("csc_target", PRIMARY)) if callspec else ""


def instance_id(version: str, target: str) -> str:
    """The test id of an instance: ``v1`` on the profile's target, ``v1@<companion>`` else."""
    return f"{version}@{target}" if target else version


def companion(profile: Profile, name: str) -> Companion:
    """The companion called ``name`` (a ``KeyError`` names the ones there are)."""
    try:
        return profile.companions[name]
    except KeyError:
        raise KeyError(f"profile {profile.name!r} has no companion {name!r} (it has: "
                       f"{', '.join(profile.companions) or 'none'})") from None


def describe(profile: Profile) -> str:
    """One line for the run facts: each companion, its profile and what it runs."""
    return "; ".join(
        f"{c.name} = {c.profile.name}"
        + (f" (personality {c.profile.sandbox.personality})" if c.profile.sandbox.personality
           else "")
        + f" for {', '.join(c.capabilities)}"
        for c in profile.companions.values())
