#!/usr/bin/python3
"""Golden curvature values for tests/test_curvature.cpp (docs/algorithms.md §10.8).

The FCP (784-50-50-10, softplus, no biases) at the weights of reference_outputs/lbfgs_FCP_final_w.npy,
on the first 64 MNIST training images (pixel = float32(byte) / 255, as src/io/mnist.cpp), in float64:

- GGN G = J^T H_L J with J the explicit Jacobian of the 64 x 10 logits (640 reverse passes) and H_L
  the cross-entropy's (diag(p) - p p^T) / N per image. Its nonzero eigenvalues are those of
  S (J J^T) S, S = H_L^(1/2) (block by block), a 640 x 640 matrix: lambda_max exactly, and the
  trace as trace(H_L J J^T).
- The empirical Fisher F = (1/N) sum_n g_n g_n^T with the 64 per-image gradients g_n: its
  eigenvalues are those of the 64 x 64 Gram matrix (g_n . g_m) / N; its trace is sum |g_n|^2 / N.
- The Hessian's largest eigenvalue, by ARPACK (scipy eigsh) on double-backward products.

Writes reference_outputs/curvature/fcp_64.json. Run with Debian's /usr/bin/python3
(python3-torch, python3-scipy) from the source root, with MNIST fetched (`make data`).
"""
import json
import os

import numpy as np
import scipy.sparse.linalg as sla
import torch

torch.set_default_dtype(torch.float64)
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
N = 64


def mnist(n):
    with open(os.path.join(ROOT, "data/mnist/train-images-idx3-ubyte"), "rb") as f:
        pixels = np.frombuffer(f.read(), dtype=np.uint8, offset=16)[: n * 784].reshape(n, 784)
    with open(os.path.join(ROOT, "data/mnist/train-labels-idx1-ubyte"), "rb") as f:
        labels = np.frombuffer(f.read(), dtype=np.uint8, offset=8)[:n]
    x = (pixels.astype(np.float32) / np.float32(255)).astype(np.float64)
    return torch.from_numpy(x), torch.from_numpy(labels.astype(np.int64))


SHAPES = [(50, 784), (50, 50), (10, 50)]  # fc1, fc2, fc3: parameters_to_vector order


def logits(w, x):
    blocks, k = [], 0
    for rows, cols in SHAPES:
        blocks.append(w[k: k + rows * cols].view(rows, cols))
        k += rows * cols
    h = torch.nn.functional.softplus(x @ blocks[0].T)
    h = torch.nn.functional.softplus(h @ blocks[1].T)
    return h @ blocks[2].T


def main():
    x, y = mnist(N)
    w = torch.from_numpy(np.load(os.path.join(ROOT, "reference_outputs/lbfgs_FCP_final_w.npy")).astype(np.float64))
    P = w.numel()
    z = logits(w, x).detach()
    p = torch.softmax(z, dim=1)
    loss = float(torch.nn.functional.cross_entropy(z, y))

    J = torch.autograd.functional.jacobian(lambda v: logits(v, x).reshape(-1), w)  # [640, P]
    K = (J @ J.T).numpy()
    H = np.zeros((N * 10, N * 10))
    S = np.zeros((N * 10, N * 10))
    for n in range(N):
        pn = p[n].numpy()
        block = (np.diag(pn) - np.outer(pn, pn)) / N
        vals, vecs = np.linalg.eigh(block)
        H[n * 10:(n + 1) * 10, n * 10:(n + 1) * 10] = block
        S[n * 10:(n + 1) * 10, n * 10:(n + 1) * 10] = vecs @ np.diag(np.sqrt(np.clip(vals, 0, None))) @ vecs.T
    ggn = np.linalg.eigvalsh(S @ K @ S)
    ggn_trace = float(np.trace(H @ K))

    grads = []
    for n in range(N):
        v = w.clone().requires_grad_(True)
        ln = torch.nn.functional.cross_entropy(logits(v, x[n: n + 1]), y[n: n + 1])
        grads.append(torch.autograd.grad(ln, v)[0])
    Gs = torch.stack(grads).numpy()  # [N, P]
    fisher = np.linalg.eigvalsh(Gs @ Gs.T / N)
    fisher_trace = float((Gs * Gs).sum() / N)

    wv = w.clone().requires_grad_(True)
    g = torch.autograd.grad(torch.nn.functional.cross_entropy(logits(wv, x), y), wv, create_graph=True)[0]

    def hvp(v):
        out = torch.autograd.grad(g, wv, torch.from_numpy(np.asarray(v).reshape(-1)), retain_graph=True)[0]
        return out.detach().numpy()

    op = sla.LinearOperator((P, P), matvec=hvp, dtype=np.float64)
    hess_max = float(sla.eigsh(op, k=1, which="LA", tol=1e-12, return_eigenvectors=False)[0])

    out = {
        "comment": "scripts/make_curvature_golden.py: FCP at reference_outputs/lbfgs_FCP_final_w.npy, first 64 "
                   "MNIST training images, PyTorch " + torch.__version__ + " float64",
        "images": N,
        "loss": loss,
        "ggn_lambda_max": float(ggn[-1]),
        "ggn_trace": ggn_trace,
        "fisher_lambda_max": float(fisher[-1]),
        "fisher_trace": fisher_trace,
        "hessian_lambda_max": hess_max,
    }
    os.makedirs(os.path.join(ROOT, "reference_outputs/curvature"), exist_ok=True)
    with open(os.path.join(ROOT, "reference_outputs/curvature/fcp_64.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
