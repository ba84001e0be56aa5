"""Static rules for the feature files: tags, ids, business language, assertion coverage."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from gherkin.parser import Parser

from cscsuite import tags

ROOT = Path(__file__).resolve().parents[2]
FEATURES = ROOT / "features"
SPEC_NOTES = ROOT.parent / "shared" / "docs" / "spec-notes.md"

#: Tokens that betray wire details in a step: URLs, JSON field names, selectors, versions.
DENYLIST = ("http", "/csc/", "credentialID", "hashAlgo", "hashAlgorithmOID", "signAlgo", 'SAD"',
            "#", ".btn", "hashes=", "hash=", "access_token", "refresh_token", "request_uri",
            "authorization_details", "account_token", "clientData", "numSignatures", "oauth2/",
            "{", "}", "[", "]", "v1", "v2", "css=", "xpath", "getBy", "code_challenge", "scope=")


def _scenarios() -> list[tuple[str, dict]]:
    out = []
    for path in sorted(FEATURES.glob("*.feature")):
        doc = Parser().parse(path.read_text(encoding="utf-8"))
        feature = doc["feature"]
        feature_tags = [t["name"].lstrip("@") for t in feature["tags"]]
        for child in feature["children"]:
            if "scenario" in child:
                sc = child["scenario"]
                sc["all_tags"] = feature_tags + [t["name"].lstrip("@") for t in sc["tags"]]
                out.append((path.name, sc))
    return out


SCENARIOS = _scenarios()


def _steps() -> list[tuple[str, str]]:
    found = []
    for path in sorted(FEATURES.glob("*.feature")):
        doc = Parser().parse(path.read_text(encoding="utf-8"))
        for child in doc["feature"]["children"]:
            block = child.get("scenario") or child.get("background") or {}
            found += [(path.name, s["text"]) for s in block.get("steps", [])]
    return found


def test_at_least_90_scenarios():
    assert len(SCENARIOS) >= 90, len(SCENARIOS)


@pytest.mark.parametrize(("file", "scenario"), SCENARIOS, ids=[s["name"] for _, s in SCENARIOS])
def test_scenario_has_area_clause_and_id(file, scenario):
    all_tags = scenario["all_tags"]
    areas = [t for t in all_tags if t in tags.AREAS]
    assert len(areas) == 1, f"{file}: {scenario['name']}: area tags {areas}"
    assert tags.clauses(all_tags), f"{file}: {scenario['name']}: no clause tag"
    ids = [t for t in all_tags if t.startswith("id_")]
    assert len(ids) == 1, f"{file}: {scenario['name']}: ids {ids}"
    assert ids[0].startswith(f"id_{areas[0]}_"), f"{ids[0]} does not name area {areas[0]}"
    unknown = [t for t in all_tags if tags.kind(t) is None]
    assert not unknown, f"{file}: {scenario['name']}: unregistered tags {unknown}"


def test_ids_unique_across_files():
    ids = [t for _, s in SCENARIOS for t in s["all_tags"] if t.startswith("id_")]
    dups = [i for i, n in Counter(ids).items() if n > 1]
    assert not dups, dups


def test_browser_tag_marks_logins():
    login_words = re.compile(r"\bthe signer (grants|has granted|authorizes|logs in|tries)")
    for file, sc in SCENARIOS:
        texts = " ".join(s["text"] for s in sc["steps"])
        if login_words.search(texts) and "tries" not in texts:
            assert "browser" in sc["all_tags"], f"{file}: {sc['name']} logs in without @browser"


@pytest.mark.parametrize(("file", "text"), _steps())
def test_steps_speak_business_language(file, text):
    prose = re.sub(r'"[a-z_]+"', '""', text)  # quoted error codes are vocabulary, not fields
    leaked = [tok for tok in DENYLIST if tok in prose]
    assert not leaked, f"{file}: step {text!r} contains {leaked}"


def test_every_assertion_is_mapped():
    readme = (FEATURES / "README.md").read_text(encoding="utf-8")
    rows = {int(m.group(1)): m.group(2) for m in re.finditer(r"^\| (\d+) \|.*?\|(.*)$", readme,
                                                             re.M)}
    wanted = range(1, 105)
    if SPEC_NOTES.exists():
        text = SPEC_NOTES.read_text(encoding="utf-8")
        section = text[text.index("## 10."):]
        wanted = sorted({int(n) for n in re.findall(r"^(\d+)\. ", section, re.M)})
    missing = [n for n in wanted if n not in rows]
    assert not missing, f"assertions missing from features/README.md: {missing}"
    ids = {t[3:] for _, s in SCENARIOS for t in s["all_tags"] if t.startswith("id_")}
    for n, rest in rows.items():
        named = re.findall(r"`([a-z_]+_\d{3})`", rest)
        assert named or "not applicable" in rest, f"assertion {n}: no scenario and no reason"
        assert set(named) <= ids, f"assertion {n}: unknown scenario ids {set(named) - ids}"


def test_every_mapped_assertion_names_the_scenario_that_fails_when_it_breaks():
    readme = (FEATURES / "README.md").read_text(encoding="utf-8")
    for m in re.finditer(r"^\| (\d+) \|(.*)\|$", readme, re.M):
        cells = [c.strip() for c in m.group(2).split(" | ")]
        breaks = cells[-1]
        applicable = "not applicable" not in m.group(2)
        assert len(cells) == 4, f"assertion {m.group(1)}: {len(cells) + 1} columns, not 5"
        assert re.search(r"`[a-z_]+_\d{3}`: ", breaks) or (not applicable and breaks == "—"), \
            f"assertion {m.group(1)}: no scenario named with how the service breaks it"


def test_markers_register_every_used_tag(tmp_path):
    class Config:
        rootpath = ROOT

        def __init__(self):
            self.lines: list[str] = []

        def getini(self, name):
            return "features/"

        def addinivalue_line(self, name, line):
            self.lines.append(line)

    config = Config()
    refused = tags.register_markers(config)
    assert refused == []
    registered = {line.split(":")[0] for line in config.lines}
    used = tags.feature_tags(FEATURES)
    assert used <= registered
    (tmp_path / "x.feature").write_text("@signhsh @id_signhash_001 @needs_parr @needs_par\n"
                                        "Feature: x\n")
    assert tags.register_markers(Config(), tmp_path) == ["needs_parr", "signhsh"]


def test_misspelt_capability_tag_names_file_and_known_capabilities(tmp_path):
    (tmp_path / "par.feature").write_text("@needs_parr\nFeature: x\n")
    tags.check_needs_tag("needs_par", tmp_path)  # a known capability passes
    with pytest.raises(tags.UnknownCapabilityTag) as caught:
        tags.check_needs_tag("@needs_parr", tmp_path, tmp_path)
    assert str(caught.value).startswith("unknown capability tag @needs_parr in par.feature: "
                                        "known capabilities are account_token_client, ")
    assert all(f"needs_{name}" in tags.feature_tags(FEATURES) or name in str(caught.value)
               for name in tags.capability_names())
