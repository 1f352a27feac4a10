"""Time one training step of a small MLP in lessons_lib and, when importable, the same model in PyTorch.

Model: 64 -> 128 -> 64 -> 10 with ReLU, batch 64, softmax cross-entropy, Adam. Prints the median time
per forward+backward and per full Adam step (zero_grad, forward, loss, backward, update) over many
repeats after a warm-up, the ratio ours/PyTorch, and a per-phase profile of our step.

Run:  .venv/bin/python benchmarks/mlp_benchmark.py [--repeats 2000]
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

from lessons_lib.losses import CrossEntropyLoss
from lessons_lib.network import mlp
from lessons_lib.optimizers import Adam

SIZES = [64, 128, 64, 10]
BATCH = 64


def _median_us(fn, repeats: int, warmup: int) -> float:
    for _ in range(warmup):
        fn()
    times = np.empty(repeats)
    for i in range(repeats):
        t0 = time.perf_counter()
        fn()
        times[i] = time.perf_counter() - t0
    return float(np.median(times) * 1e6)


def ours(x, y, repeats, warmup):
    net = mlp(SIZES, rng=0)
    loss = CrossEntropyLoss()
    opt = Adam(net.parameters(), lr=1e-3)

    def fwd_bwd():
        net.zero_grad()
        out, caches = net.forward(x)
        _, cache = loss.forward(out, y)
        net.backward(loss.backward(cache), caches)

    def step():
        fwd_bwd()
        opt.step()

    res = {"forward+backward": _median_us(fwd_bwd, repeats, warmup),
           "train step (Adam)": _median_us(step, repeats, warmup)}

    # Where does the time go? Median of each phase on its own.
    state = {}

    def zero():
        net.zero_grad()

    def forward():
        state["out"], state["caches"] = net.forward(x)

    def loss_fwd():
        state["l"], state["lc"] = loss.forward(state["out"], y)

    def loss_bwd():
        state["dout"] = loss.backward(state["lc"])

    def backward():
        net.backward(state["dout"], state["caches"])

    def update():
        opt.step()

    forward()
    loss_fwd()
    loss_bwd()
    dense = [layer for layer in net if hasattr(layer, "W")]
    ins = [x]
    for d in dense[:-1]:
        ins.append(np.maximum(ins[-1] @ d.W.value, 0))
    grads = [np.ones((BATCH, d.out_features)) for d in dense]

    def matmuls():  # the 9 matrix products of one forward+backward, and nothing else
        for d, a, g in zip(dense, ins, grads):
            a @ d.W.value
            a.T @ g
            g @ d.W.value.T

    res["(its matmuls alone)"] = _median_us(matmuls, repeats // 2, warmup // 2)
    phases = {name: _median_us(f, repeats // 2, warmup // 2) for name, f in
              [("zero_grad", zero), ("forward", forward), ("loss forward", loss_fwd),
               ("loss backward", loss_bwd), ("backward", backward), ("Adam update", update)]}
    return res, phases


def theirs(x, y, repeats, warmup, dtype_name="float64"):
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(os.cpu_count() or 1)
    torch.manual_seed(0)
    layers = []
    for a, b in zip(SIZES[:-2], SIZES[1:-1]):
        layers += [torch.nn.Linear(a, b), torch.nn.ReLU()]
    layers.append(torch.nn.Linear(SIZES[-2], SIZES[-1]))
    dtype = getattr(torch, dtype_name)
    net = torch.nn.Sequential(*layers).to(dtype)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss = torch.nn.CrossEntropyLoss()
    tx, ty = torch.from_numpy(x).to(dtype), torch.from_numpy(y)

    def fwd_bwd():
        opt.zero_grad()
        loss(net(tx), ty).backward()

    def step():
        fwd_bwd()
        opt.step()

    return {"forward+backward": _median_us(fwd_bwd, repeats, warmup),
            "train step (Adam)": _median_us(step, repeats, warmup)}, torch.get_num_threads()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=200)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    x = rng.normal(size=(BATCH, SIZES[0]))
    y = rng.integers(0, SIZES[-1], size=BATCH)

    mine, phases = ours(x, y, args.repeats, args.warmup)
    torch_result = theirs(x, y, args.repeats, args.warmup)
    torch32 = theirs(x, y, args.repeats, args.warmup, "float32")
    print(f"MLP {'->'.join(map(str, SIZES))} (ReLU), batch {BATCH}, float64, Adam, cross-entropy; "
          f"median of {args.repeats} repeats after {args.warmup} warm-up")
    header = f"{'':22s}{'lessons_lib (us)':>18s}"
    if torch_result is not None:
        ref, threads = torch_result
        header += f"{f'PyTorch f64, {threads} thr (us)':>28s}{'ours/PyTorch':>14s}{'PyTorch f32 (us)':>18s}"
    print(header)
    for key, value in mine.items():
        row = f"{key:22s}{value:18.1f}"
        if torch_result is not None and key in ref:
            row += f"{ref[key]:28.1f}{value / ref[key]:14.2f}{torch32[0][key]:18.1f}"
        print(row)
    if torch_result is None:
        print("(PyTorch not importable: no comparison)")
    total = sum(phases.values())
    print("\nWhere our step's time goes (each phase timed alone):")
    for name, us in sorted(phases.items(), key=lambda kv: -kv[1]):
        print(f"  {name:16s}{us:8.1f} us  {100 * us / total:5.1f} %")
    top = max(phases, key=phases.get)
    share = 100 * mine["(its matmuls alone)"] / mine["forward+backward"]
    print(f"The largest phase is '{top}'. The 9 matrix products are {share:.0f} % of forward+backward; "
          "the rest is elementwise numpy work and per-call overhead (a few us per array operation, "
          "~10 operations per parameter in Adam).")


if __name__ == "__main__":
    main()
