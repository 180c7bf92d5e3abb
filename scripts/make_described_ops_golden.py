#!/usr/bin/python3
"""Golden file for tests/test_described_ops.cpp: PyTorch's values and gradients of the ops that
described models use (docs/algorithms.md section 2.7), on small fixed inputs.

Run with Debian's python3 and its torch:   /usr/bin/python3 scripts/make_described_ops_golden.py
Writes reference_outputs/described_ops_golden.csv, long format `case,array,index,value` (values
with 17 significant digits, float64, arrays flattened row-major), after '#' lines that give the
provenance. Per case the arrays are the inputs (x; conv also w, b), dy (the weights of the loss
L = sum(y * dy)), y = op(x) and the gradients dL/dx (gx; conv also gw, gb). Everything in float64.
Cases (the C++ test holds the same table):
  leaky_relu_default  F.leaky_relu(x)                        negative_slope 0.01
  leaky_relu_0.2      F.leaky_relu(x, 0.2)
  gelu_none           F.gelu(x)
  gelu_tanh           F.gelu(x, approximate='tanh')
  softplus_b2_t5      F.softplus(x, beta=2, threshold=5)
  softplus_b0.5_t20   F.softplus(x, beta=0.5, threshold=20)
  maxpool_k3_s2_p1    F.max_pool2d(x, 3, 2, 1)               x [2,2,7,6] with ties
  maxpool_k2_s1_p1    F.max_pool2d(x, 2, 1, 1)               x [2,2,7,6] with ties
  avgpool_k3_s2_p1    F.avg_pool2d(x, 3, 2, 1)               count_include_pad=True
  avgpool_k2_s2_p0    F.avg_pool2d(x, 2, 2, 0)               x [2,2,7,6]: floor drops a row
  conv_k3_s2_p1       F.conv2d(x, w, b, stride=2, padding=1) x [2,3,7,6], w [4,3,3,3]
  conv_k1_s2_p0       F.conv2d(x, w, b, stride=2)            x [2,3,7,6], w [4,3,1,1]
  conv_k3_s3_p2       F.conv2d(x, w, b, stride=3, padding=2) x [2,3,7,6], w [4,3,3,3]
"""
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)


def wave(shape, a, b, scale=1.0):
    """scale * sin(a i + b) over the flat index i: fixed, platform-independent inputs."""
    n = int(np.prod(shape))
    return torch.tensor(scale * np.sin(a * np.arange(n) + b)).reshape(shape)


def ties(shape):
    """Small integers (ties in most pooling windows), exact in float32 too."""
    n = int(np.prod(shape))
    return torch.tensor(np.floor(3 * np.sin(0.9 * np.arange(n) + 0.2))).reshape(shape)


POINTWISE_X = torch.cat([wave([20], 0.61, 0.3, 4.0), torch.tensor([0.0, -8.0, 3.0, 2.4, 2.6, 41.0])])
IMAGES = [2, 2, 7, 6]
CONV_X = [2, 3, 7, 6]

CASES = [
    ("leaky_relu_default", [POINTWISE_X], lambda x: F.leaky_relu(x)),
    ("leaky_relu_0.2", [POINTWISE_X], lambda x: F.leaky_relu(x, 0.2)),
    ("gelu_none", [POINTWISE_X], lambda x: F.gelu(x)),
    ("gelu_tanh", [POINTWISE_X], lambda x: F.gelu(x, approximate="tanh")),
    ("softplus_b2_t5", [POINTWISE_X], lambda x: F.softplus(x, beta=2, threshold=5)),
    ("softplus_b0.5_t20", [POINTWISE_X], lambda x: F.softplus(x, beta=0.5, threshold=20)),
    ("maxpool_k3_s2_p1", [ties(IMAGES)], lambda x: F.max_pool2d(x, 3, 2, 1)),
    ("maxpool_k2_s1_p1", [ties(IMAGES)], lambda x: F.max_pool2d(x, 2, 1, 1)),
    ("avgpool_k3_s2_p1", [wave(IMAGES, 0.37, 0.11)], lambda x: F.avg_pool2d(x, 3, 2, 1)),
    ("avgpool_k2_s2_p0", [wave(IMAGES, 0.37, 0.11)], lambda x: F.avg_pool2d(x, 2, 2, 0)),
    ("conv_k3_s2_p1", [wave(CONV_X, 0.37, 0.11), wave([4, 3, 3, 3], 0.53, 0.7, 0.5), wave([4], 1.3, 0.2)],
     lambda x, w, b: F.conv2d(x, w, b, stride=2, padding=1)),
    ("conv_k1_s2_p0", [wave(CONV_X, 0.37, 0.11), wave([4, 3, 1, 1], 0.53, 0.7, 0.5), wave([4], 1.3, 0.2)],
     lambda x, w, b: F.conv2d(x, w, b, stride=2)),
    ("conv_k3_s3_p2", [wave(CONV_X, 0.37, 0.11), wave([4, 3, 3, 3], 0.53, 0.7, 0.5), wave([4], 1.3, 0.2)],
     lambda x, w, b: F.conv2d(x, w, b, stride=3, padding=2)),
]
INPUT_NAMES = ["x", "w", "b"]
GRAD_NAMES = ["gx", "gw", "gb"]


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = os.path.join(root, "reference_outputs", "described_ops_golden.csv")
    lines = [
        "# made by scripts/make_described_ops_golden.py",
        f"# torch {torch.__version__}, numpy {np.__version__}, python {sys.version.split()[0]}, CPU, float64",
        "# case,array,index,value: inputs (x, w, b), dy, y = op(inputs), gradients of sum(y * dy)",
        "case,array,index,value",
    ]
    for name, inputs, op in CASES:
        leaves = [t.clone().requires_grad_(True) for t in inputs]
        y = op(*leaves)
        dy = wave(list(y.shape), 0.7, 0.3)
        (y * dy).sum().backward()
        arrays = [(INPUT_NAMES[k], t) for k, t in enumerate(inputs)]
        arrays += [("dy", dy), ("y", y.detach())]
        arrays += [(GRAD_NAMES[k], t.grad) for k, t in enumerate(leaves)]
        for array, t in arrays:
            for i, v in enumerate(t.detach().reshape(-1).tolist()):
                lines.append(f"{name},{array},{i},{v:.17g}")
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")
    print(f"wrote {out}: {len(lines)} lines")


if __name__ == "__main__":
    main()
