"""Make sure a Chromium for Playwright exists: Debian's chromium-headless-shell or chromium, else
Playwright's own.

Used by ./run and tox before browser scenarios. Offline machines with Debian chromium never reach
the download; without it, ``playwright install chromium`` fetches the managed build (with
``--with-deps`` as root, which installs its system libraries). Exit 0 when a browser is usable.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

#: Debian's headless shell (what headless runs prefer) and the full browser (headed runs).
SYSTEM_BROWSERS = (Path("/usr/bin/chromium-headless-shell"), Path("/usr/bin/chromium"))


def managed_chromium_present() -> bool:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return False
    with sync_playwright() as pw:
        return Path(pw.chromium.executable_path).exists()


def main() -> int:
    found = [str(path) for path in SYSTEM_BROWSERS if path.exists()]
    if found:
        print(f"browser: {' and '.join(found)} (Debian)")
        return 0
    if managed_chromium_present():
        print("browser: Playwright-managed Chromium (already installed)")
        return 0
    cmd = [sys.executable, "-m", "playwright", "install", "chromium"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.insert(-1, "--with-deps")
    print("browser: installing Playwright's Chromium:", " ".join(cmd[1:]), flush=True)
    if subprocess.run(cmd, check=False).returncode != 0:
        print("browser: no Chromium available. Install Debian's package (apt-get install -y "
              "chromium) or run 'playwright install chromium' with network access; scenarios "
              "tagged @browser cannot run without one.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
