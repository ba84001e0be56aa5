"""The test command of a mutation run: the conformance scenarios that exercise the mutated module.

cosmic-ray rewrites one module of the work copy in place and runs this script there. It finds
that module (``git diff --name-only`` against the work copy's commit), picks the feature areas
that exercise it (``AREAS``, by tag: every feature carries its area tag), and runs them with
``pytest -x`` against the embedded service. The service is a subprocess of the suite that imports
the work copy's ``src`` (``PYTHONPATH``), so it runs the mutated code. Exit status 0 means the
mutant survived; any other status means the suite caught it (a failed scenario, an error, a
service that would not start).

Selecting by area keeps a mutant affordable (issue 16 item 4): a mutant of ``oauth/revocation.py``
runs the revocation feature, not the whole suite. A module without an entry runs everything.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import coverage_map  # this directory: the script's own

_CSC = "signhash or verification or credential_auth or credentials or errors or client_data"
_OAUTH = ("service_auth or token or revoke or par or rar or credential_auth or account_token"
          " or client_data or login or discovery")
_PKI = "verification or credentials or signhash"

#: Module (relative to ``src/cscsandbox``) -> pytest marker expression over area tags.
AREAS: dict[str, str] = {
    "csc/__init__.py": "errors or discovery or credentials",
    "csc/algorithms.py": "signhash or verification or credentials or errors or discovery",
    "csc/auth.py": "errors or credentials or signhash or service_auth",
    "csc/authorize.py": "credential_auth or signhash",
    "csc/credentials.py": "credentials or verification or discovery or errors",
    "csc/credinfo.py": "credentials or verification or discovery",
    "csc/factors.py": "credential_auth or signhash",
    "csc/info.py": "discovery",
    "csc/otp.py": "credential_auth",
    "csc/params.py": _CSC,
    "csc/sad.py": "signhash or credential_auth",
    "csc/service_auth.py": "service_auth or revoke or errors",
    "csc/shortcut.py": "signhash or verification or client_data or errors",
    "csc/signhash.py": "signhash or verification or client_data or errors",
    "csc/signing.py": "signhash or verification",
    "csc/timestamp.py": "document",
    "oauth/account_token.py": "account_token",
    "oauth/authorize.py": _OAUTH,
    "oauth/credential_request.py": "credential_auth or rar or par or signhash",
    "oauth/rar.py": "rar or credential_auth or par",
    "oauth/revocation.py": "revoke",
    "pki/certs.py": _PKI,
    "pki/keys.py": _PKI,
    "pki/store.py": _PKI,
    "pki/revocation.py": "verification or document",
    "pki/routes.py": "verification or document",
    "pki/site.py": _PKI,
    "pki/tsa.py": "document",
    "pki/tsa_certs.py": "document",
    "pki/tsa_routes.py": "document",
    "login/flow.py": "login or service_auth or credential_auth",
    "login/sessions.py": "login or service_auth or credential_auth",
    "login/sms.py": "login or service_auth or credential_auth",
    "login/views.py": "login or service_auth or credential_auth",
}
for _name in ("__init__", "clients", "endpoints", "runtime", "server", "settings", "store"):
    AREAS.setdefault(f"oauth/{_name}.py", _OAUTH)

PACKAGE = "src/cscsandbox/"
#: At most this many scenarios per mutant (0: all). A statement on the hot path (login pages,
#: signHash) runs in a hundred scenarios; the first failure comes early in most killed mutants.
DEFAULT_CAP = 30
CAPPED = "capped at the"
START_UP = coverage_map.START_UP


def mutated_module(work: Path) -> str | None:
    """The one module of ``src/cscsandbox`` that differs from the work copy's commit."""
    out = subprocess.run(["git", "-C", str(work), "diff", "--name-only", "--", PACKAGE],
                         capture_output=True, text=True, check=True, timeout=30).stdout
    changed = [line[len(PACKAGE):] for line in out.split() if line.startswith(PACKAGE)]
    return changed[0] if len(changed) == 1 else None


def pytest_command(work: Path, module: str | None, reports: Path,
                   node_ids: list[str] | None = None) -> list[str]:
    """pytest over the given scenarios, else the areas of ``module`` (all areas when it is
    unknown), stopping at the first failure: one failure is enough to kill a mutant."""
    cmd = [sys.executable, "-m", "pytest", "-x", "-q", "-n", "0", "-p", "no:randomly",
           "-p", "no:cacheprovider", f"--reports-dir={reports}", "--rootdir", str(work)]
    if node_ids:
        return cmd + node_ids
    expression = AREAS.get(module or "")
    return cmd + (["-m", expression] if expression else [])


def chosen_scenarios(work: Path, module: str | None) -> tuple[list[str] | None, str]:
    """The scenarios that execute the mutated statement, from the coverage map of the baseline
    (``coverage_map.py``); None: use the module's areas (no map, or start-up code)."""
    path = os.environ.get("CSC_MUTATION_MAP")
    if not module or not path or not Path(path).exists():
        return None, "no coverage map"
    table = json.loads(Path(path).read_text())
    source = subprocess.run(["git", "-C", str(work), "show", f"HEAD:{PACKAGE}{module}"],
                            capture_output=True, text=True, check=True, timeout=30).stdout
    own_area = AREAS.get(module, "").split(" or ")[0]  # the first area named is its own
    return coverage_map.select(table, module, source, coverage_map.changed_lines(work, module),
                               prefer=own_area)


def main() -> int:
    work = Path.cwd()
    module = mutated_module(work)
    reports = Path(os.environ.get("CSC_MUTATION_REPORTS", work / ".mutation-reports"))
    env = dict(os.environ, PYTHONPATH=f"{work / 'src'}{os.pathsep}{work}")
    node_ids, why = chosen_scenarios(work, module)
    if node_ids == []:
        print(f"mutated: {module}; {why}: no scenario executes it", flush=True)
        return 0
    cap = int(os.environ.get("CSC_MUTATION_MAX_SCENARIOS", DEFAULT_CAP))
    if node_ids and 0 < cap < len(node_ids):
        # The cheapest ones first; a survivor of a capped run says so, and `mutate.py run
        # --rerun-capped` runs it again with all its scenarios before anyone classifies it.
        why = f"{why}; {CAPPED} {cap} cheapest of {len(node_ids)}"
        node_ids = node_ids[:cap]
    cmd = pytest_command(work, module, reports, node_ids)
    areas = AREAS.get(module or "", "(all)")
    what = f"{len(node_ids)} scenario(s)" if node_ids else f"the areas {areas!r}"
    print(f"mutated: {module}; {why}; running {what}", flush=True)
    # No timeout here: cosmic-ray bounds the whole command (its ``timeout``) and kills the group.
    return subprocess.run(cmd, cwd=work, env=env, check=False,
                          stderr=subprocess.STDOUT).returncode


if __name__ == "__main__":
    sys.exit(main())
