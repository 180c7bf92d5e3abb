#!/usr/bin/python3
"""Golden files for the parameter order of ONNX imports (tests/test_onnx_import.cpp, OnnxOrder.*).

parameters_to_vector(model.parameters()) lists a module's parameters in the order __init__
registers its layers, which need not be the order forward() runs them. These modules register
them in another order, exported by torch.onnx.export in float64 (opset 14) as
reference_outputs/onnx_order/NAME.onnx, beside NAME_x.npy [n, D], NAME_y.npy [n], NAME_w.npy
(parameters_to_vector) and NAME_loss.npy [1] / NAME_grad.npy [P] (mean cross-entropy and its
gradient in parameters_to_vector order), all float64:
- head_first: `head` registered before the `body` that feeds it (the issue's reported case);
- swapped: two layers of the same shape registered in the opposite order of their use;
- unnamed_head_first: as head_first, but the body a bias-free Linear, which the exporter writes
  as a MatMul whose weight gets a generated name: the import must refuse it (the order is not
  known); NAME_nofold.onnx is the same module exported with do_constant_folding=False, which
  keeps the names, and is read in registration order.
Parameters w[i] = 0.3 sin(0.37 i + 0.2); inputs x[r,c] = 0.5 + 0.5 cos(0.17 (r D + c) + 0.3 r);
labels (2r + 1) % K.

Run with Debian's /usr/bin/python3 (python3-torch); the tests need no PyTorch.
"""
import math
import os

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "reference_outputs", "onnx_order")


class HeadFirst(nn.Module):
    def __init__(self, body_bias=True):
        super().__init__()
        self.head = nn.Linear(10, 4)
        self.body = nn.Linear(12, 10, bias=body_bias)

    def forward(self, x):
        return self.head(torch.tanh(self.body(x)))


class Swapped(nn.Module):
    def __init__(self):
        super().__init__()
        self.second = nn.Linear(6, 6)
        self.first = nn.Linear(6, 6)
        self.out = nn.Linear(6, 3)

    def forward(self, x):
        return self.out(F.relu(self.second(F.relu(self.first(x)))))


def export(model, x, path, fold=True):
    torch.onnx.export(model, x, path, input_names=["x"], output_names=["out"],
                      dynamic_axes={"x": {0: "batch"}, "out": {0: "batch"}}, opset_version=14,
                      do_constant_folding=fold)


def main():
    os.makedirs(HERE, exist_ok=True)
    torch.manual_seed(0)
    n = 5
    for name, model, D, K in [("head_first", HeadFirst(), 12, 4), ("swapped", Swapped(), 6, 3),
                              ("unnamed_head_first", HeadFirst(body_bias=False), 12, 4)]:
        model = model.double().eval()
        P = sum(p.numel() for p in model.parameters())
        w = torch.tensor([0.3 * math.sin(0.37 * i + 0.2) for i in range(P)], dtype=torch.float64)
        nn.utils.vector_to_parameters(w, model.parameters())
        x = torch.tensor([[0.5 + 0.5 * math.cos(0.17 * (r * D + c) + 0.3 * r) for c in range(D)] for r in range(n)],
                         dtype=torch.float64)
        y = torch.tensor([(2 * r + 1) % K for r in range(n)])
        export(model, x, os.path.join(HERE, f"{name}.onnx"))
        if name.startswith("unnamed"):
            export(model, x, os.path.join(HERE, f"{name}_nofold.onnx"), fold=False)
        model.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        grad = nn.utils.parameters_to_vector([p.grad for p in model.parameters()])
        for k, v in {"x": x, "y": y.double(), "w": w, "loss": loss.detach().reshape(1), "grad": grad}.items():
            np.save(os.path.join(HERE, f"{name}_{k}.npy"), v.numpy().astype(np.float64))
        print(name, "P =", P, "loss =", float(loss))


if __name__ == "__main__":
    main()
