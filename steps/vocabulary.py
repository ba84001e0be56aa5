"""The business words of the features; the tables live in ``cscsuite.vocabulary`` (the driver
needs them too, and ``src`` never imports ``steps``)."""

from cscsuite.vocabulary import (
    ALGORITHMS,
    HASHES,
    INFO_OPTIONS,
    LIST_OPTIONS,
    ROLES,
    Algorithm,
    Hash,
    alphabet_sensitive,
    pss_params,
    split_phrases,
)

__all__ = ["ALGORITHMS", "HASHES", "INFO_OPTIONS", "LIST_OPTIONS", "ROLES", "Algorithm", "Hash",
           "alphabet_sensitive", "pss_params", "split_phrases"]
