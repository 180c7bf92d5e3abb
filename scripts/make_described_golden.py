#!/usr/bin/python3
"""Golden values for described models (tests/test_described_models.cpp).

For each description in reference_outputs/described/*.json the equivalent PyTorch module is built
here by hand, its parameters set from a fixed formula, and its logits, mean cross-entropy and
gradient on fixed inputs written as float64 .npy files beside the description:
NAME_x.npy [n, D], NAME_y.npy [n] (as float64), NAME_w.npy [P] (parameters_to_vector order),
NAME_logits.npy [n, K], NAME_loss.npy [1], NAME_grad.npy [P]; and the module exported by
torch.onnx.export with those parameters as NAME.onnx (float64, so its initializers are NAME_w
exactly; batch axis dynamic), which tests/test_onnx_import.cpp translates back.

Run with Debian's /usr/bin/python3 (python3-torch); the tests need no PyTorch.
"""
import math
import os

import numpy as np
import torch
from torch import nn

torch.set_default_dtype(torch.float64)
HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "reference_outputs", "described")


class Residual(nn.Module):
    def __init__(self, body, projection=None):
        super().__init__()
        self.body = nn.Sequential(*body)
        self.projection = projection

    def forward(self, x):
        return self.body(x) + (self.projection(x) if self.projection is not None else x)


class LstmClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(4, 6, batch_first=True)
        self.fc = nn.Linear(6, 3)

    def forward(self, x):
        out, _ = self.lstm(x.view(x.shape[0], 6, 4))
        return self.fc(out[:, -1])


def models():
    rescnn = nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1), nn.LeakyReLU(0.1), nn.MaxPool2d(2),
        Residual([nn.Conv2d(4, 4, 3, padding=1), nn.ReLU(), nn.Conv2d(4, 4, 3, padding=1)]),
        Residual([nn.Conv2d(4, 6, 3, stride=2, padding=1), nn.Tanh()], nn.Conv2d(4, 6, 1, stride=2, bias=False)),
        nn.AvgPool2d(3, stride=1, padding=1), nn.Flatten(), nn.Linear(6 * 3 * 3, 10))
    mlp = nn.Sequential(nn.Linear(20, 16), nn.GELU(), nn.Linear(16, 16), nn.GELU(approximate="tanh"),
                        nn.Linear(16, 12), nn.Softplus(beta=2, threshold=5), nn.Linear(12, 5))
    return [("rescnn", rescnn, (1, 12, 12), 10), ("mlp_gelu", mlp, (20,), 5),
            ("lstm_classifier", LstmClassifier(), (24,), 3)]


def main():
    n = 5
    for name, model, shape, classes in models():
        P = sum(p.numel() for p in model.parameters())
        w = torch.tensor([0.3 * math.sin(0.37 * i + 0.11) for i in range(P)])
        nn.utils.vector_to_parameters(w, model.parameters())
        D = int(np.prod(shape))
        x = torch.tensor([[math.cos(0.13 * (r * D + c) + 0.2 * r) for c in range(D)] for r in range(n)])
        y = torch.tensor([(3 * r + 1) % classes for r in range(n)])
        model.zero_grad()
        logits = model(x.view(n, *shape))
        loss = nn.functional.cross_entropy(logits, y)
        loss.backward()
        grad = torch.cat([p.grad.reshape(-1) for p in model.parameters()])
        arrays = {"x": x, "y": y.double(), "w": w, "logits": logits.detach(), "loss": loss.detach().reshape(1),
                  "grad": grad}
        for k, v in arrays.items():
            np.save(os.path.join(HERE, f"{name}_{k}.npy"), v.numpy().astype(np.float64))
        torch.onnx.export(model, x.view(n, *shape), os.path.join(HERE, f"{name}.onnx"), input_names=["x"],
                          output_names=["logits"], dynamic_axes={"x": {0: "batch"}, "logits": {0: "batch"}},
                          opset_version=14)
        print(name, "P =", P, "loss =", float(loss))


if __name__ == "__main__":
    main()
