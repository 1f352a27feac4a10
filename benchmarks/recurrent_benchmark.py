"""Speed and memory of the numpy RNN, LSTM and GRU layers (forward + backward through time).

Run: ``.venv/bin/python benchmarks/recurrent_benchmark.py [--repeats N]``

Times one forward and one backward pass on a batch of 32 sequences of length 50, 8 input features,
64 hidden units, for our layers in float64 (their default) and float32 (``dtype=np.float32``). When
PyTorch imports, the same layers (``torch.nn.RNN/LSTM/GRU``, CPU, in this process) are timed in the same
precision and the ratio ours / PyTorch is printed, like for like. Peak memory of the numpy forward +
backward is measured with tracemalloc for T = 50 and T = 500: BPTT keeps every step's activations, so it
should grow linearly in T (and halve in float32).
"""

from __future__ import annotations

import argparse
import os
import time
import tracemalloc

# One BLAS thread, set before numpy loads: on (32, 64) @ (64, 256) products, waking a second thread costs
# more than it saves, and PyTorch below is limited to one thread too, so the comparison is like for like.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from lessons_lib.gru import GRU  # noqa: E402
from lessons_lib.lstm import LSTM  # noqa: E402
from lessons_lib.rnn import RNN  # noqa: E402

BATCH, LENGTH, INPUTS, HIDDEN = 32, 50, 8, 64
LAYERS = {"RNN": RNN, "LSTM": LSTM, "GRU": GRU}


def best_times(fns: dict, repeats: int) -> dict:
    """Best of ``repeats`` runs of each function, in milliseconds.

    The functions are run in turn within each repeat, so a load spike from another process slows all of
    them alike instead of skewing one ratio; the minimum is the least noisy estimate.
    """
    for fn in fns.values():
        fn()                                    # warm-up
    best = dict.fromkeys(fns, float("inf"))
    for _ in range(repeats):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            best[name] = min(best[name], time.perf_counter() - start)
    return {name: 1e3 * t for name, t in best.items()}


def numpy_step(layer, X, dY):
    def run():
        layer.zero_grad()
        _, cache = layer.forward(X)
        layer.backward(dY, cache)
    return run


def torch_step(name: str, X: np.ndarray, dY: np.ndarray, dtype):
    import torch
    layer = getattr(torch.nn, name)(INPUTS, HIDDEN, batch_first=True).to(dtype)
    Xt = torch.tensor(X, dtype=dtype, requires_grad=True)
    dYt = torch.tensor(dY, dtype=dtype)

    def run():
        layer.zero_grad()
        Xt.grad = None
        out, _ = layer(Xt)
        out.backward(dYt)
    return run


def peak_memory_mib(name: str, length: int, dtype=np.float64) -> float:
    rng = np.random.default_rng(0)
    layer = LAYERS[name](INPUTS, HIDDEN, rng, dtype=dtype)
    X = rng.normal(size=(BATCH, length, INPUTS)).astype(dtype)
    dY = rng.normal(size=(BATCH, length, HIDDEN)).astype(dtype)
    tracemalloc.start()
    numpy_step(layer, X, dY)()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    try:
        import torch
        torch.set_num_threads(1)
        have_torch = True
    except ImportError:
        have_torch = False

    rng = np.random.default_rng(0)
    X = rng.normal(size=(BATCH, LENGTH, INPUTS))
    dY = rng.normal(size=(BATCH, LENGTH, HIDDEN))
    print(f"forward + backward, batch {BATCH}, length {LENGTH}, input {INPUTS}, hidden {HIDDEN}; "
          f"best of {args.repeats} (ms)")
    header = f"{'layer':<6}{'dtype':>8}{'numpy':>9}"
    if have_torch:
        header += f"{'torch':>9}{'ratio':>8}"
    print(header)
    for name, cls in LAYERS.items():
        # Both precisions of one layer are timed in the same rounds, so their rows share the same load.
        fns = {}
        for dtype in (np.float64, np.float32):
            # Data already in the layer's precision, as torch receives it: no cast inside the timing.
            fns[("numpy", dtype)] = numpy_step(cls(INPUTS, HIDDEN, rng, dtype=dtype),
                                               X.astype(dtype), dY.astype(dtype))
            if have_torch:
                fns[("torch", dtype)] = torch_step(name, X, dY, getattr(torch, np.dtype(dtype).name))
        ms = best_times(fns, args.repeats)
        for dtype in (np.float64, np.float32):
            ours = ms[("numpy", dtype)]
            row = f"{name:<6}{np.dtype(dtype).name:>8}{ours:>9.2f}"
            if have_torch:
                theirs = ms[("torch", dtype)]
                row += f"{theirs:>9.2f}{ours / theirs:>7.2f}x"
            print(row)
    if have_torch:
        print("(torch limited to 1 thread, like numpy's matmuls on these small matrices)")

    print(f"\npeak memory of the numpy forward + backward (tracemalloc, MiB), batch {BATCH}, hidden {HIDDEN}")
    print(f"{'layer':<6}{'T = 50':>9}{'T = 500':>10}{'ratio':>8}{'f32 T = 500':>13}")
    for name in LAYERS:
        small, large = peak_memory_mib(name, 50), peak_memory_mib(name, 500)
        large32 = peak_memory_mib(name, 500, np.float32)
        print(f"{name:<6}{small:>9.2f}{large:>10.2f}{large / small:>7.1f}x{large32:>13.2f}")

if __name__ == "__main__":
    main()
