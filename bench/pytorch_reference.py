#!/usr/bin/env python3
"""The same measurements as `landscape bench`, made with PyTorch (Debian python3-torch).

Models are built exactly as the published notebooks build them (docs/algorithms.md §2; layouts in
../shared/conformance/README.md), on the same MNIST files, thread count and float32.
  fullbatch  loss + gradient over the first --images training images (--chunk images per
             forward/backward, 0: all at once, as the published notebooks do)
  forward    loss only over the same images
  sgd-step   one torch.optim.SGD step on the first --batch images
  path-step  one FourierPathFinder step (docs/algorithms.md §5): the M points of the Fourier path,
             a full-batch loss + gradient at each, and the objective's gradient in b
  kpca       RBF kernel PCA (gamma = 1/P, 2 components, float64 as scikit-learn) of --sets
             weight vectors of the model
Prints one JSON object: impl, what, arch, threads, images, repeat, median_s, min_s, max_s,
cpu_s (median process CPU seconds per call), peak_rss_mb. scripts/bench.sh calls it once per
timed measurement, alternating with ours (bench/README.md, "Why interleaved pairs").

--describe prints instead what this PyTorch runs on, for the header of the results file:
its version, ATen's parallel backend, the CPU capability its kernels use, and the BLAS
library actually loaded into the process (with the OpenBLAS core it picked, if it is OpenBLAS).

  /usr/bin/python3 bench/pytorch_reference.py --what fullbatch --arch lstm --threads 2
  /usr/bin/python3 bench/pytorch_reference.py --describe
"""
import argparse
import ctypes
import json
import os
import resource
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load_idx_images(path, n):
    with open(path, "rb") as f:
        data = f.read()
    count = int.from_bytes(data[4:8], "big")
    n = count if n <= 0 else min(n, count)
    pix = np.frombuffer(data, dtype=np.uint8, count=n * 784, offset=16)
    return pix.reshape(n, 784).astype(np.float32) / 255.0


def load_idx_labels(path, n):
    with open(path, "rb") as f:
        data = f.read()
    count = int.from_bytes(data[4:8], "big")
    n = count if n <= 0 else min(n, count)
    return np.frombuffer(data, dtype=np.uint8, count=n, offset=8).astype(np.int64)


class FCP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 50, bias=False)
        self.fc2 = nn.Linear(50, 50, bias=False)
        self.fc3 = nn.Linear(50, 10, bias=False)

    def forward(self, x):
        return self.fc3(F.softplus(self.fc2(F.softplus(self.fc1(x)))))


class LeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5, padding=2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(400, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = x.view(-1, 1, 28, 28)
        x = F.avg_pool2d(F.softplus(self.conv1(x)), 2)
        x = F.avg_pool2d(F.softplus(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        return self.fc3(F.softplus(self.fc2(F.softplus(self.fc1(x)))))


class LSTM(nn.Module):
    def __init__(self, perm):
        super().__init__()
        self.lstm = nn.LSTM(28, 48, batch_first=True)
        self.fc = nn.Linear(48, 10, bias=False)
        self.register_buffer("perm", perm)

    def forward(self, x):
        x = x[:, self.perm].view(-1, 28, 28)
        out, _ = self.lstm(x)
        return self.fc(out[:, -1, :])


class AE(nn.Module):
    def __init__(self):
        super().__init__()
        self.e1 = nn.Linear(784, 32, bias=False)
        self.e2 = nn.Linear(32, 32, bias=False)
        self.d1 = nn.Linear(32, 32, bias=False)
        self.d2 = nn.Linear(32, 784, bias=False)

    def forward(self, x):
        h = F.softplus(self.d1(F.softplus(self.e2(F.softplus(self.e1(x))))))
        return torch.sigmoid(self.d2(h))


def make_model(arch):
    if arch == "fcp":
        return FCP()
    if arch == "lenet":
        return LeNet()
    if arch == "ae":
        return AE()
    perm = torch.from_numpy(np.load(os.path.join(ROOT, "reference_outputs", "lstm_perm_seed1234.npy")))
    return LSTM(perm)


def loss_fn(arch, model, x, y):
    out = model(x)
    return F.mse_loss(out, x) if arch == "ae" else F.cross_entropy(out, y)


def fullbatch(arch, model, x, y, chunk):
    model.zero_grad(set_to_none=False)
    n = x.shape[0]
    total = 0.0
    for s in range(0, n, chunk):
        xb, yb = x[s:s + chunk], y[s:s + chunk]
        loss = loss_fn(arch, model, xb, yb) * (xb.shape[0] / n)
        loss.backward()
        total += loss.item()
    return total


def path_step(arch, model, x, y, chunk, b, w_i, w_j, sine, lam):
    """The objective of FourierPathFinder and its gradient in b [NF,P], for M = sine.shape[1]
    points: w(t_m) = (1-t_m) w_i + t_m w_j + sum_n b_n sin(n pi t_m)."""
    NF, M = sine.shape
    t = torch.linspace(0, 1, M)
    W = (1 - t)[:, None] * w_i[None, :] + t[:, None] * w_j[None, :] + sine.T @ b  # [M,P]
    G = torch.empty_like(W)
    params = list(model.parameters())
    total = 0.0
    for m in range(M):
        torch.nn.utils.vector_to_parameters(W[m], params)
        total += fullbatch(arch, model, x, y, chunk)
        G[m] = torch.nn.utils.parameters_to_vector([p.grad for p in params])
    dW = W[1:] - W[:-1]  # [M-1,P]
    smooth = float((dW * dW).sum())
    ds = sine[:, 1:] - sine[:, :-1]  # [NF,M-1]
    grad_b = sine @ G + 2 * lam * (ds @ dW)
    return total + lam * smooth, grad_b


def kpca(X, components=2):
    """RBF kernel PCA as scikit-learn's KernelPCA (gamma = 1/P), in float64."""
    X = X.double()
    X = X - X.mean(0, keepdim=True)  # distances do not change; fewer digits lost
    sq = (X * X).sum(1)
    G = X @ X.T
    K = torch.exp(-(sq[:, None] + sq[None, :] - 2 * G) / X.shape[1])
    col = K.mean(0, keepdim=True)
    K = K - col - col.T + K.mean()
    lam, alpha = torch.linalg.eigh(K)
    lam, alpha = lam.flip(0)[:components], alpha.flip(1)[:, :components]
    return alpha * lam.clamp(min=0).sqrt()


def loaded_blas():
    """The BLAS library mapped into this process after a product, and its OpenBLAS core: BLAS_INFO
    in torch's build settings says only "generic" (Debian links the system libblas.so.3, which
    update-alternatives may point at OpenBLAS, BLIS or the reference BLAS)."""
    a = torch.ones(64, 64)
    (a @ a).sum().item()
    libs = sorted({line.split()[-1] for line in open("/proc/self/maps")
                   if "blas" in line.split()[-1] or "mkl" in line.split()[-1]})
    for path in libs:
        try:
            lib = ctypes.CDLL(path)
            lib.openblas_get_corename.restype = ctypes.c_char_p
            lib.openblas_get_config.restype = ctypes.c_char_p
            return "%s (%s, core %s)" % (path, lib.openblas_get_config().decode(),
                                         lib.openblas_get_corename().decode())
        except (OSError, AttributeError):
            continue
    return ", ".join(libs) or "none found in /proc/self/maps"


def describe():
    config = torch.__config__.show()
    capability = [line.split(":", 1)[1].strip() for line in config.splitlines()
                  if "CPU capability usage" in line]
    parallel = [line.split(":", 1)[1].strip() for line in torch.__config__.parallel_info().splitlines()
                if line.startswith("ATen parallel backend")]
    return {"pytorch": torch.__version__,
            "parallel": parallel[0] if parallel else "unknown",
            "cpu_capability": capability[0] if capability else "unknown",
            "blas": loaded_blas()}


def main():
    if "--describe" in sys.argv[1:]:
        print(json.dumps(describe()))
        return 0
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--what", default="fullbatch",
                   choices=["fullbatch", "sgd-step", "forward", "path-step", "kpca"])
    p.add_argument("--arch", default="fcp", choices=["fcp", "lenet", "lstm", "ae"])
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--images", type=int, default=60000)
    p.add_argument("--chunk", type=int, default=0, help="images per forward/backward (0: all at once)")
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--points", type=int, default=51, help="path points M (path-step)")
    p.add_argument("--terms", type=int, default=10, help="Fourier terms NF (path-step)")
    p.add_argument("--sets", type=int, default=96, help="weight vectors (kpca)")
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--data", default=os.environ.get("LANDSCAPE_DATA", os.path.join(ROOT, "data", "mnist")))
    p.add_argument("--describe", action="store_true", help="print what PyTorch runs on, and exit")
    a = p.parse_args()

    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    n = a.batch if a.what == "sgd-step" else 1 if a.what == "kpca" else a.images
    x = torch.from_numpy(load_idx_images(os.path.join(a.data, "train-images-idx3-ubyte"), n))
    y = torch.from_numpy(load_idx_labels(os.path.join(a.data, "train-labels-idx1-ubyte"), n))
    model = make_model(a.arch)
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    chunk = a.chunk if a.chunk > 0 else x.shape[0]
    if a.what == "path-step":
        P = sum(p.numel() for p in model.parameters())
        w_i = torch.nn.utils.parameters_to_vector(model.parameters()).detach().clone()
        w_j = torch.nn.utils.parameters_to_vector(make_model(a.arch).parameters()).detach().clone()
        k = torch.arange(1, a.terms + 1, dtype=torch.float64)[:, None]
        t = torch.linspace(0, 1, a.points, dtype=torch.float64)[None, :]
        sine = torch.sin(np.pi * k * t).float()  # [NF,M]
        b = (torch.rand(a.terms, P) * 2e-3 - 1e-3)
    if a.what == "kpca":
        sets = torch.stack([torch.nn.utils.parameters_to_vector(make_model(a.arch).parameters()).detach()
                            for _ in range(a.sets)])

    def once():
        if a.what == "fullbatch":
            fullbatch(a.arch, model, x, y, chunk)
        elif a.what == "path-step":
            path_step(a.arch, model, x, y, chunk, b, w_i, w_j, sine, 1e-4)
        elif a.what == "kpca":
            kpca(sets)
        elif a.what == "forward":
            with torch.no_grad():
                loss_fn(a.arch, model, x, y).item()
        else:
            opt.zero_grad()
            loss_fn(a.arch, model, x, y).backward()
            opt.step()

    inner = 1 if a.what != "sgd-step" else 100  # an SGD step is short: time 100 in a row
    for _ in range(a.warmup):
        once()
    times, cpu = [], []
    for _ in range(a.repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in range(inner):
            once()
        times.append((time.perf_counter() - t0) / inner)
        cpu.append((time.process_time() - c0) / inner)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    images = 0 if a.what == "kpca" else int(x.shape[0])
    print(json.dumps({"impl": "pytorch " + torch.__version__, "what": a.what, "arch": a.arch,
                      "threads": a.threads, "images": images, "chunk": chunk, "repeat": a.repeat,
                      "median_s": statistics.median(times), "min_s": min(times), "max_s": max(times),
                      "cpu_s": statistics.median(cpu), "peak_rss_mb": rss}))


if __name__ == "__main__":
    sys.exit(main())
