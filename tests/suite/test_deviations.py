"""Known deviations: strict xfail per id and version, unexpected pass fails, stale listed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from checks_helpers import OFFLINE_PROFILE as PROFILE

from cscsuite.deviations import Deviation, DeviationsError, deviations_path, load

DEVIATIONS = """
[[deviations]]
id = "id_x_001"
api = "v2"
reason = "fails in v2 only"
link = "https://tracker.example/1"

[[deviations]]
id = "id_x_002"
reason = "was broken, now fixed"

[[deviations]]
id = "id_x_999"
api = "v1"
reason = "scenario was renamed"
"""
TESTS = """
import pytest

@pytest.mark.id_x_001
def test_fails_in_v2(csc_version):
    assert csc_version != "v2"

@pytest.mark.id_x_002
def test_fixed(csc_version):
    pass

def test_plain(csc_version):
    pass
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "targets").mkdir()
    (tmp_path / "targets" / "t.toml").write_text(PROFILE)
    (tmp_path / "targets" / "t.deviations.toml").write_text(DEVIATIONS)
    (tmp_path / "pytest.ini").write_text("[pytest]\naddopts = -p no:cacheprovider\n")
    (tmp_path / "conftest.py").write_text('pytest_plugins = ["cscsuite.plugin"]\n')
    (tmp_path / "test_dev.py").write_text(TESTS)
    return tmp_path


def run(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    return subprocess.run([sys.executable, "-m", "pytest", "-rA", "--profile=t", *args],
                          cwd=project, env=env, capture_output=True, text=True, timeout=60,
                          check=False)


def stale_section(out: str) -> str:
    """The lines of the terminal section "stale known deviations"."""
    section = out.split("stale known deviations", 1)[1].split("\n", 1)[1]
    return section.split("=====", 1)[0]


def test_xfail_unexpected_pass_and_stale(project: Path) -> None:
    result = run(project)
    out = result.stdout
    assert result.returncode == 1, out
    assert "PASSED test_dev.py::test_fails_in_v2[v1]" in out
    assert "XFAIL test_dev.py::test_fails_in_v2[v2]" in out
    assert "fails in v2 only (https://tracker.example/1)" in out
    assert "FAILED test_dev.py::test_fixed[v1]" in out and "[XPASS(strict)]" in out
    assert "FAILED test_dev.py::test_fixed[v2]" in out
    assert "PASSED test_dev.py::test_plain[v2]" in out
    stale = stale_section(out)
    assert "id_x_999" in stale and "id_x_001" not in stale and "id_x_002" not in stale


def test_version_filter_keeps_entry_used(project: Path) -> None:
    # With only v1 tested, the v2 entry matches nothing in this run: it is reported as stale.
    result = run(project, "--csc-api", "v1")
    assert "PASSED test_dev.py::test_fails_in_v2[v1]" in result.stdout
    stale = stale_section(result.stdout)
    assert "id_x_001" in stale


def test_load_and_apply_rules(tmp_path: Path) -> None:
    assert deviations_path(Path("targets/sandbox.toml")) == Path(
        "targets/sandbox.deviations.toml")
    assert load(tmp_path / "missing.toml") == []
    dev = Deviation("id_a_001", "v1", "r")
    assert dev.applies({"id_a_001", "signhash"}, "v1")
    assert not dev.applies({"id_a_001"}, "v2") and not dev.applies({"id_a_002"}, "v1")
    assert Deviation("id_a_001", "both", "r").applies({"id_a_001"}, "v2")


@pytest.mark.parametrize(("text", "message"), [
    ('[[deviations]]\nreason = "r"', "'id' is required"),
    ('[[deviations]]\nid = "x"\nreason = "r"\napi = "v3"', "'api' must be"),
    ('[[deviations]]\nid = "x"\nreason = "r"\nticket = 1', "unknown key 'ticket'"),
    ('[[deviation]]\nid = "x"', "unknown key 'deviation'"),
    ("deviations = [", "not valid TOML"),
])
def test_malformed_file_is_one_clear_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "x.deviations.toml"
    path.write_text(text)
    with pytest.raises(DeviationsError, match=message) as err:
        load(path)
    assert str(path) in str(err.value)


def test_shipped_deviation_files_load() -> None:
    targets = Path(__file__).resolve().parents[2] / "targets"
    for path in targets.glob("*.deviations.toml"):
        assert load(path) == []
