"""Coverage of the embedded service per scenario, for the mutation run's coverage map.

Put on ``PYTHONPATH`` only by ``benchmarks/mutation/coverage_map.py``: in the service process
(the one started with ``--ready-file``) it starts coverage.py and labels what runs with the
scenario that ``context_plugin.py`` writes to a file before each test (coverage's dynamic
contexts). Nothing of the service or the suite knows about it.
"""

import os
import sys

if os.environ.get("CSC_MUTATION_COVERAGE_DATA") and "--ready-file" in sys.argv:
    import threading
    import time

    import coverage

    _cov = coverage.Coverage(data_file=os.environ["CSC_MUTATION_COVERAGE_DATA"],
                             data_suffix=True, auto_data=True, source_pkgs=["cscsandbox"])
    _path = os.environ["CSC_MUTATION_CONTEXT_FILE"]
    _ready = sys.argv[sys.argv.index("--ready-file") + 1]

    def _follow() -> None:
        # No switch before the service is ready: it is still importing itself then, and a
        # switch (a flush of coverage's data) during that import breaks it (KeyError on the
        # package). A companion starts in the middle of the run, when a scenario's label is
        # already in the file; until it is ready, what runs counts as start-up.
        while not os.path.exists(_ready):
            time.sleep(0.005)
        last = ""
        while True:
            try:
                with open(_path, encoding="utf-8") as handle:
                    label = handle.read()
            except OSError:
                label = ""
            if label != last:
                _cov.switch_context(label)
                last = label
            time.sleep(0.005)

    # Started before coverage, so coverage does not trace it. Twice the service's start-up import
    # failed (KeyError 'runpy', 'gettext') with the thread started after coverage; the suspect is
    # the traced thread starting during that import (not reproduced on demand).
    threading.Thread(target=_follow, name="coverage-context", daemon=True).start()
    _cov.start()
