"""``Secret``: a string that never shows its value in a repr.

Its own module because profiles, the OAuth client and the per-scenario ``World`` all hold
secrets; none of them should have to import another to get the type.
"""

from __future__ import annotations


class Secret(str):
    """A string whose repr and str-in-containers never show the value."""

    def __repr__(self) -> str:
        return "Secret('***')"
