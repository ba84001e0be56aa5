"""Path options written as two arguments (``--reports-dir /elsewhere``) work like ``--opt=value``.

The plugins load by entry point, so pytest parses their options; but it picks the rootdir and the
config file earlier still, before any plugin is loaded, from every argument naming an existing
path. The value of ``--reports-dir /elsewhere`` then moves the rootdir there (no pyproject.toml,
no testpaths, no profile), in the controller and again in each xdist worker, which re-parses the
same arguments (by then the run may have created the directory). ``--opt=value`` is
unambiguous: a command-line run given a path option as two arguments is re-executed at once with
the option joined to its value (pytest has no earlier hook), so the workers get that form too; an
in-process run (``pytest.main``) whose rootdir moved gets a usage error naming the form to write.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

import pytest

#: The suite's and the reports plugin's options whose value is a file or a directory.
PATH_OPTIONS = frozenset({"--profile", "--browser-path", "--reports-dir", "--compare-with"})


def joined(args: Sequence[str]) -> list[str]:
    """``args`` with every path option joined to its value (``--reports-dir=/x``)."""
    out: list[str] = []
    pending: str | None = None
    for arg in args:
        if pending is not None:
            out.append(f"{pending}={arg}")
            pending = None
        elif arg in PATH_OPTIONS:
            pending = arg
        else:
            out.append(arg)
    if pending is not None:
        out.append(pending)  # no value: let pytest report it
    return out


def rootdir_moved(config: pytest.Config) -> bool:
    """Whether pytest's rootdir or config file differ from what the options, once known, give."""
    from _pytest.config.findpaths import determine_setup  # pytest is pinned (pyproject.toml)

    ns = config.known_args_namespace
    rootpath, inipath, *_ = determine_setup(
        inifile=ns.inifilename, override_ini=ns.override_ini, args=ns.file_or_dir,
        rootdir_cmd_arg=ns.rootdir or None, invocation_dir=config.invocation_params.dir)
    return (rootpath, inipath) != (config.rootpath, config.inipath)


def repair(config: pytest.Config) -> None:
    """Re-execute a command-line run given a path option as two arguments, joined."""
    given = [str(a) for a in config.invocation_params.args]
    fixed = joined(given)
    if fixed == given:
        return
    if sys.argv[1:] == given:  # from a shell (not pytest.main(), not an xdist worker)
        _exec_pytest(config, fixed)
    if not rootdir_moved(config):
        return
    flags = sorted({a.split("=", 1)[0] for a in fixed if a not in given})
    raise pytest.UsageError(f"write {', '.join(f + '=VALUE' for f in flags)} (with '='): as a "
                            f"separate argument pytest took the value for its rootdir")


def _exec_pytest(config: pytest.Config, args: list[str]) -> None:
    """Replace this process by ``python -m pytest args`` on the real stdout/stderr."""
    capture = config.pluginmanager.get_plugin("capturemanager")
    if capture is not None:  # pytest has redirected fds 1 and 2 to files by now
        capture.stop_global_capturing()
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, [sys.executable, "-m", "pytest", *args])
