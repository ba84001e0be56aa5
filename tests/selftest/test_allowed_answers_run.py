"""The suite accepts the other answers the RFCs allow, end to end: the sandbox configured to give
them (``[oauth]`` switches documented as "which of the allowed answers it gives", never defects)
leaves the scenarios green, and each scenario records which answer came as a ``fact``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cscsandbox.config import default_text
from selftest.derived_profile import sandbox_profile_with_config
from selftest.processes import run_suite

OTHER_ANSWERS = ("oauth.par_wrong_method_status=404",
                 "oauth.par_request_uri_error=request_uri_not_supported",
                 "oauth.implicit_refusal=unauthorized_client")
EXPECTED_FACTS = {
    "id_par_006": ("PAR wrong method", "404"),
    "id_par_005": ("PAR push with request_uri", "400 request_uri_not_supported"),
    "id_service_auth_004": ("implicit grant refusal", "unauthorized_client (in the fragment)"),
}


def _profile(workdir: Path) -> Path:
    profile = sandbox_profile_with_config(workdir, default_text())
    text = profile.read_text(encoding="utf-8")
    sets = "".join(f'"--set", "{s}", ' for s in OTHER_ANSWERS)
    assert text.count('\nargs = ["--set", ') == 1, "the sandbox profile's args changed shape"
    profile.write_text(text.replace('\nargs = ["--set", ', f'\nargs = [{sets}"--set", '),
                       encoding="utf-8")
    return profile


@pytest.mark.selftest
@pytest.mark.timeout(400)
def test_the_other_allowed_answers_pass_and_are_recorded(tmp_path: Path) -> None:
    selection = " or ".join(EXPECTED_FACTS)
    run = run_suite([f"--profile={_profile(tmp_path / 'profile')}", "-m", selection, "-n", "0",
                     "-q"], tmp_path / "reports", timeout_s=340)
    assert run.returncode == 0, run.output[-3000:]
    summary = json.loads((run.reports_dir / "summary.json").read_text(encoding="utf-8"))
    seen = {sid: 0 for sid in EXPECTED_FACTS}
    for item in summary["scenarios"].values():
        sid = item.get("stable_id")
        label, value = EXPECTED_FACTS[sid]
        assert item.get("facts", {}).get(label) == value, (sid, item.get("facts"))
        seen[sid] += 1
    assert all(seen.values()), f"scenarios that did not run: {seen}"
