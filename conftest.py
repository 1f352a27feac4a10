"""Per-notebook execution times for the nbval run (`pytest --nbval notebooks`), printed after the results.

nbval makes one test per cell; this adds up each notebook's cells (kernel start-up included) and prints one
line per notebook, slowest first, marking any that exceed the budget of 20 s per notebook. A report, not a
test: timings vary with the machine, so they never fail the run.
"""

from __future__ import annotations

from collections import defaultdict

BUDGET_SECONDS = 20.0
_seconds: dict[str, float] = defaultdict(float)


def pytest_runtest_logreport(report):
    path = report.nodeid.split("::", 1)[0]
    if path.endswith(".ipynb"):
        _seconds[path] += report.duration


def pytest_terminal_summary(terminalreporter):
    if not _seconds:
        return
    write = terminalreporter.write_line
    terminalreporter.section("execution time per notebook")
    for path, seconds in sorted(_seconds.items(), key=lambda item: -item[1]):
        flag = f"  OVER the {BUDGET_SECONDS:.0f} s budget" if seconds > BUDGET_SECONDS else ""
        write(f"{seconds:6.1f} s  {path}{flag}")
    write(f"{sum(_seconds.values()):6.1f} s  all {len(_seconds)} notebooks (summed over workers)")
