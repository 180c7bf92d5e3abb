#!/usr/bin/env python3
"""FourierPathFinder (Algorithm 2 of Yu & Morozov; docs/algorithms.md §5) written in PyTorch from
the description, as an engineer validating another implementation would write it, run on the
conformance pack's `fourier` entry (reference_outputs/conformance/README.md) and writing a step
trace with the pack's columns (docs/algorithms.md §16.2), so that

    landscape compare-trace OURS.csv reference_outputs/conformance/fourier/trace-0-1.csv

says where the two part. The README's "Validating another implementation" quotes its output.
Not used by any test (tests must not need PyTorch).

Usage: fourier_path_finder_torch.py OUT.csv [--dtype float32|float64] [--data data/mnist]
"""
import argparse
import math
import os

import numpy as np
import torch
import torch.nn.functional as F

PACK = os.path.join(os.path.dirname(__file__), "..", "reference_outputs", "conformance")


def read_idx(path, offset):
    with open(path, "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)


def mnist_train(data, n):
    x = read_idx(os.path.join(data, "train-images-idx3-ubyte"), 16).reshape(-1, 1, 28, 28)[:n]
    y = read_idx(os.path.join(data, "train-labels-idx1-ubyte"), 8)[:n]
    # byte / 255 as one float32 division, as torchvision's ToTensor (docs/algorithms.md §1.2):
    # dividing in float64 instead moves the loss by ~2e-9 relative, far above float64 rounding.
    return torch.tensor(x.copy()).float() / 255, torch.tensor(y.astype(np.int64))


def pooled_mlp_loss(w, x, y):
    """The pack's network (pooled_mlp.json): AvgPool2d(4), Flatten, Linear(49, 16), Softplus,
    Linear(16, 10), mean cross-entropy; w flat in parameters_to_vector order."""
    W1, b1 = w[:784].view(16, 49), w[784:800]
    W2, b2 = w[800:960].view(10, 16), w[960:970]
    h = F.softplus(F.avg_pool2d(x, 4).flatten(1) @ W1.T + b1)
    return F.cross_entropy(h @ W2.T + b2, y)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--dtype", default="float64", choices=["float32", "float64"])
    ap.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "..", "data", "mnist"))
    a = ap.parse_args()
    dtype = getattr(torch, a.dtype)
    torch.set_num_threads(1)
    # The entry's settings (commands.txt): rows 0 and 1 of lbfgs/w_train.npy, the first 500
    # training images, NF = 5, M = 21, 30 Adam steps, lambda 1e-4, lr 1e-3, plain point loss.
    ends = np.load(os.path.join(PACK, "lbfgs", "w_train.npy"))
    w_i, w_j = (torch.tensor(ends[r], dtype=dtype) for r in (0, 1))
    x, y = mnist_train(a.data, 500)
    x = x.to(dtype)
    NF, M, steps, lam, lr = 5, 21, 30, 1e-4, 1e-3
    t = np.linspace(0.0, 1.0, M)
    # sin(n pi t_m) with exact zeros where n t_m is an integer (as docs/algorithms.md §5 asks).
    sines = np.array([[0.0 if abs(n * tm - round(n * tm)) < 1e-12 else math.sin(n * math.pi * tm) for tm in t]
                      for n in range(1, NF + 1)])
    S = torch.tensor(sines, dtype=dtype)           # [NF, M]
    T = torch.tensor(t, dtype=dtype)[:, None]      # [M, 1]
    b = torch.zeros(NF, w_i.numel(), dtype=dtype, requires_grad=True)
    adam = torch.optim.Adam([b], lr=lr)

    def objective():
        W = (1 - T) * w_i + T * w_j + S.T @ b     # [M, P], row m = w(t_m)
        f = torch.stack([pooled_mlp_loss(W[m], x, y) for m in range(M)])
        L = f.sum() + lam * ((W[1:] - W[:-1]) ** 2).sum()
        return L, f

    rows = []
    for k in range(steps + 1):
        adam.zero_grad()
        L, f = objective()
        row = [k, L.item(), f.sum().item(), f.max().item(), math.nan, math.nan]
        if k == steps:  # the last iterate is judged, not stepped from
            rows.append(row + [math.nan] * 3)
            break
        L.backward()
        row.append(b.grad.double().norm().item())
        adam.step()
        st = adam.state[b]
        rows.append(row + [st["exp_avg"].double().norm().item(), st["exp_avg_sq"].double().norm().item()])
    with open(a.out, "w") as out:
        out.write("step,objective,loss_sum,H,batch_objective,batch_loss_sum,gradient_norm,adam_m_norm,adam_v_norm\n")
        for r in rows:
            out.write(",".join(str(r[0]) if i == 0 else ("nan" if math.isnan(v) else repr(float(v)))
                               for i, v in enumerate(r)) + "\n")


if __name__ == "__main__":
    main()
