"""Redraw latency of the interactive explorers, measured the way a student triggers it.

For each explorer, a seeded sequence of control moves (every control, random values, ends included) is
applied through the ipywidgets controls, so each timing covers the whole callback: compute the view,
update the artists, re-render, encode the PNG that the Image widget shows. Beside it, the same moves with
the naive redraw (a brand-new figure every time) measured in the same run, and the ratio of the two.
Every explorer of lessons_lib.explorers.EXPLORERS is measured.

Usage: python benchmarks/explorer_latency.py [--moves N]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from lessons_lib.explorers import all_explorers

# Target for the cheap explorers (milliseconds); the learning-rate explorer trains a network on each
# change, updates on release and shows a status line instead.
TARGET_MEDIAN, TARGET_P95 = 50.0, 100.0


def moves(cls, n: int, rng: np.random.Generator):
    names = list(cls.controls)
    return [(name, cls.controls[name].sample(rng)) for name in rng.choice(names, size=n)]


def measure(cls, n: int, seed: int = 0):
    explorer = cls()
    explorer.widget()  # builds controls and the first frame
    smart, naive, compute = [], [], []
    for name, value in moves(cls, n, np.random.default_rng(seed)):
        control = explorer.controls_widgets[name]
        t0 = time.perf_counter()
        control.value = value            # the observer computes, draws and encodes
        smart.append(time.perf_counter() - t0)
        compute.append(explorer.timing.compute_s)
        if explorer.last_error:
            raise RuntimeError(explorer.last_error)
        t0 = time.perf_counter()
        explorer.render_rebuilt()
        naive.append(time.perf_counter() - t0)
    return np.array(smart) * 1e3, np.array(naive) * 1e3, np.array(compute) * 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--moves", type=int, default=60)
    args = parser.parse_args()
    print(f"{'explorer':<30}{'median ms':>10}{'p95 ms':>9}{'compute':>9}{'naive median':>14}{'naive p95':>11}"
          f"{'naive/ours':>12}  target")
    for cls in all_explorers():
        smart, naive, compute = measure(cls, args.moves)
        med, p95 = np.median(smart), np.percentile(smart, 95)
        # Controls that retrain a model (or run a deep network) update on release (continuous=False) and
        # show a status line; the 50/100 ms target is meant for explorers without them.
        on_release = any(getattr(spec, "continuous", True) is False for spec in cls.controls.values())
        verdict = ("met" if med <= TARGET_MEDIAN and p95 <= TARGET_P95 else "missed") + (
            " (has on-release controls)" if on_release else "")
        print(f"{cls.__name__:<30}{med:>10.1f}{p95:>9.1f}{np.median(compute):>9.1f}{np.median(naive):>14.1f}"
              f"{np.percentile(naive, 95):>11.1f}{np.median(naive) / med:>11.1f}x  {verdict}", flush=True)
    print(f"\ntarget for the cheap explorers: median <= {TARGET_MEDIAN:.0f} ms, p95 <= {TARGET_P95:.0f} ms "
          "(callback + render + PNG). 'compute' is the pure view function's share of the median move.")


if __name__ == "__main__":
    main()
