"""Screenshot a report page in headless Chromium, to look at it the way a reader does.

Usage: python scripts/screenshot_report.py [reports/index.html] [out.png] [--width 1400]
       [--full] [--click "Failed / error"]
Uses Debian's /usr/bin/chromium when present, else the Playwright-managed Chromium.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from playwright.sync_api import sync_playwright

SYSTEM_CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", nargs="?", default="reports/index.html")
    parser.add_argument("out", nargs="?", default="reports/index.png")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=1000)
    parser.add_argument("--full", action="store_true", help="capture the whole page")
    parser.add_argument("--click", default="", help="click the button with this text first")
    parser.add_argument("--no-js", action="store_true", help="render with JavaScript disabled")
    args = parser.parse_args()
    launch: dict[str, object] = {"headless": True, "args": ARGS}
    if os.path.exists(SYSTEM_CHROMIUM):
        launch["executable_path"] = SYSTEM_CHROMIUM
    with sync_playwright() as pw:
        browser = pw.chromium.launch(**launch)  # type: ignore[arg-type]
        context = browser.new_context(viewport={"width": args.width, "height": args.height},
                                      java_script_enabled=not args.no_js)
        page = context.new_page()
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:")
                   else r.abort())  # prove the page needs nothing from the network
        page.goto(Path(args.page).resolve().as_uri())
        if args.click:
            page.get_by_role("button", name=args.click).click()
        page.screenshot(path=args.out, full_page=args.full)
        browser.close()
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
