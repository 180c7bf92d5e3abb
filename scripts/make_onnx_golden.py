#!/usr/bin/python3
"""Golden files for ONNX import as users meet it (tests/test_onnx_import.cpp, OnnxExport.*).

Small PyTorch modules written the ways people write them (nn.Linear without bias, so the export
is a MatMul; Dropout; a final LogSoftmax; x.view to an image; an LSTM read through h_n; an
autoencoder with a sigmoid output), each exported by torch.onnx.export in float32, the default,
as reference_outputs/onnx/NAME.onnx. Beside each: NAME_x.npy [n, D] inputs, NAME_y.npy [n]
labels (classifiers), NAME_w.npy the parameters (parameters_to_vector order, float32 values
widened to float64), and NAME_loss.npy [1] / NAME_grad.npy [P]: the loss (mean cross-entropy
on the logits, or the autoencoder's mean squared error against its input) and its gradient,
computed in float64 from those same float32 weights.

Run with Debian's /usr/bin/python3 (python3-torch); the tests need no PyTorch.
"""
import math
import os

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "reference_outputs", "onnx")


class MlpMatmul(nn.Module):  # Linear(bias=False) exports as MatMul; LogSoftmax at the end
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(12, 10, bias=False)
        self.drop = nn.Dropout(0.5)
        self.fc2 = nn.Linear(10, 4)

    def forward(self, x):
        return F.log_softmax(self.fc2(self.drop(F.relu(self.fc1(x)))), dim=1)


class CnnView(nn.Module):  # a flat input viewed as an image; softplus, max and average pooling
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 3, 3, padding=1)
        self.conv2 = nn.Conv2d(3, 4, 3, stride=2, padding=1, bias=False)
        self.fc = nn.Linear(4 * 2 * 2, 5)

    def forward(self, x):
        h = F.max_pool2d(F.softplus(self.conv1(x.view(-1, 1, 8, 8))), 2)
        h = F.avg_pool2d(torch.sigmoid(self.conv2(h)), 1)
        return self.fc(h.flatten(1))


class LstmHn(nn.Module):  # the last hidden state through h_n, tanh before the classifier
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(3, 5, batch_first=True)
        self.fc = nn.Linear(5, 4)

    def forward(self, x):
        _, (h, _) = self.lstm(x.reshape(x.shape[0], 4, 3))
        return self.fc(torch.tanh(h[-1]))


class Autoencoder(nn.Module):  # reconstruction of the input: loss mse against it
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(16, 6), nn.Tanh())
        self.decoder = nn.Sequential(nn.Linear(6, 16), nn.Sigmoid())

    def forward(self, x):
        return self.decoder(self.encoder(x))


def models():
    return [("mlp_matmul", MlpMatmul(), 12, 4), ("cnn_view", CnnView(), 64, 5), ("lstm_hn", LstmHn(), 12, 4),
            ("autoencoder", Autoencoder(), 16, 0)]


def main():
    os.makedirs(HERE, exist_ok=True)
    n = 6
    for name, model, D, classes in models():
        model.eval()
        P = sum(p.numel() for p in model.parameters())
        w32 = torch.tensor([0.4 * math.sin(0.23 * i + 0.7) for i in range(P)], dtype=torch.float32)
        nn.utils.vector_to_parameters(w32, model.parameters())
        x = torch.tensor([[0.5 + 0.5 * math.cos(0.17 * (r * D + c) + 0.3 * r) for c in range(D)] for r in range(n)],
                         dtype=torch.float32)
        torch.onnx.export(model, x, os.path.join(HERE, f"{name}.onnx"), input_names=["x"], output_names=["out"],
                          dynamic_axes={"x": {0: "batch"}, "out": {0: "batch"}}, opset_version=14)
        model.double()
        x64 = x.double()
        model.zero_grad()
        out = model(x64)
        arrays = {"x": x64, "w": w32.double()}
        if classes:
            y = torch.tensor([(2 * r + 1) % classes for r in range(n)])
            loss = F.cross_entropy(out, y)
            arrays["y"] = y.double()
        else:
            loss = F.mse_loss(out, x64)
        loss.backward()
        arrays["loss"] = loss.detach().reshape(1)
        arrays["grad"] = torch.cat([p.grad.reshape(-1) for p in model.parameters()])
        for k, v in arrays.items():
            np.save(os.path.join(HERE, f"{name}_{k}.npy"), v.numpy().astype(np.float64))
        print(name, "P =", P, "loss =", float(loss))


if __name__ == "__main__":
    main()
