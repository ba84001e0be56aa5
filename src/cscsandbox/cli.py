"""``python -m cscsandbox``: serve the sandbox with waitress until SIGTERM/SIGINT.

``python -m cscsandbox issue-token --db PATH --user ID`` prints an ``external`` service token
(the outside issuer of a personality whose authType is ``external``).
"""

from __future__ import annotations

import argparse
import atexit
import logging
import os
import shutil
import signal
import sys
import tempfile
from pathlib import Path
from types import FrameType

from cscsandbox import config, defects
from cscsandbox.context import SandboxContext

log = logging.getLogger("cscsandbox")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cscsandbox", description="Reference CSC service (PrimeSign stand-in)",
        epilog="Also: cscsandbox issue-token --db PATH --user ID (an external service token; "
               "see issue-token --help).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port; 0 picks a free one")
    parser.add_argument("--db", help="SQLite state file (default: a temporary file)")
    parser.add_argument("--config", help="TOML configuration (default: the committed one)")
    parser.add_argument(
        "--personality", metavar="NAME",
        help="overlay a committed personality on the configuration (see --list-personalities)",
    )
    parser.add_argument(
        "--list-personalities", action="store_true", help="list personalities and exit"
    )
    parser.add_argument(
        "--set", action="append", default=[], metavar="TABLE.KEY=VALUE", dest="settings",
        help="override one configuration value (repeatable), e.g. oauth.par_expires_in=4",
    )
    parser.add_argument("--ready-file", help="write the base URL here once serving")
    parser.add_argument(
        "--defect", action="append", default=[], metavar="NAME",
        help="switch on a deliberate defect (repeatable; see --list-defects)",
    )
    parser.add_argument("--list-defects", action="store_true", help="list defects and exit")
    parser.add_argument(
        "--no-test-endpoints", action="store_true", help="do not serve /_sandbox/* automation"
    )
    parser.add_argument("--threads", type=int, default=8, help="waitress worker threads")
    parser.add_argument("--log-level", default="WARNING", help="Python logging level")
    return parser


def _temporary_db() -> str:
    """A database file in a private directory removed at exit."""
    directory = tempfile.mkdtemp(prefix="cscsandbox-")
    atexit.register(shutil.rmtree, directory, True)
    return os.path.join(directory, "sandbox.db")


def _write_ready_file(path: str, base_url: str) -> None:
    """Write atomically so a poller never reads a half-written URL."""
    tmp = Path(path + ".tmp")
    tmp.write_text(base_url + "\n", encoding="utf-8")
    os.replace(tmp, path)


def _stop(signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(0)


def build_token_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cscsandbox issue-token",
        description="Print an external service access token (authType external)",
    )
    parser.add_argument("--db", required=True, help="the running sandbox's SQLite state file")
    parser.add_argument("--user", required=True, help="user id the token acts for")
    parser.add_argument("--config", help="TOML configuration (default: the committed one)")
    parser.add_argument("--personality", metavar="NAME", help="personality of that sandbox")
    parser.add_argument("--expires-in", type=int, default=3600, help="lifetime in seconds")
    return parser


def issue_token(argv: list[str]) -> int:
    """``issue-token``: write the token to the database the sandbox serves from, print it."""
    from cscsandbox import db, external

    args = build_token_parser().parse_args(argv)
    try:
        cfg = config.load(args.config, args.personality)
        db.set_default_path(args.db)
        db.connect(args.db)
        print(external.issue_token(cfg, args.user, args.expires_in))
    except config.ConfigError as exc:
        print(f"cscsandbox issue-token: error: {exc}", file=sys.stderr)
        return 2
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["issue-token"]:
        return issue_token(argv[1:])
    args = build_parser().parse_args(argv)
    if args.list_defects:
        print(defects.listing())
        return 0
    if args.list_personalities:
        print("\n".join(config.personalities()))
        return 0
    logging.basicConfig(level=args.log_level.upper(), format="%(levelname)s %(name)s %(message)s")
    try:
        defects.activate(args.defect)
        cfg = config.load(args.config, args.personality, args.settings)
    except (defects.UnknownDefect, config.ConfigError) as exc:
        print(f"cscsandbox: error: {exc}", file=sys.stderr)
        return 2
    return serve(args, cfg)


def serve(args: argparse.Namespace, cfg: config.SandboxConfig) -> int:
    """Bind, announce readiness, serve until a stop signal."""
    from waitress.server import create_server

    from cscsandbox.app import create_app

    ctx = SandboxContext(
        config=cfg,
        db_path=args.db or _temporary_db(),
        defects=tuple(args.defect),
        test_endpoints=not args.no_test_endpoints,
    )
    app = create_app(ctx)
    try:
        server = create_server(app, host=args.host, port=args.port, threads=args.threads)
    except OSError as exc:
        where = f"{args.host}:{args.port}"
        print(f"cscsandbox: error: cannot listen on {where}: {exc}", file=sys.stderr)
        return 2
    host = args.host if ":" not in args.host else f"[{args.host}]"
    ctx.base_url = f"http://{host}:{server.effective_port}"
    ctx.pki.ensure_authorities()
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    if args.ready_file:
        _write_ready_file(args.ready_file, ctx.base_url)
    print(f"cscsandbox ready {ctx.base_url}", flush=True)
    try:
        server.run()
    except SystemExit:
        pass
    finally:
        server.close()
    log.info("cscsandbox stopped")
    return 0
