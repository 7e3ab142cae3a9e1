"""Logistic regression (the seed's "Log Reg") separates two Gaussian blobs.

    python examples/logistic.py
"""

import numpy as np

import symnet as sn

rng = np.random.default_rng(0)
X = np.vstack([rng.normal(-1.5, 1.0, size=(100, 2)), rng.normal(1.5, 1.0, size=(100, 2))])
Y = np.r_[np.zeros(100), np.ones(100)]

net = sn.logistic_regression(2)
print(net.derive("w1"))  # ∂L/∂w1 = x1 (ŷ − y): σ' cancels against the bce derivative
print()
result = net.fit(X, Y, lr=0.5, epochs=500, seed=0, progress=False)
accuracy = np.mean((net.compile().predict(result.params, X).ravel() > 0.5) == Y)
print("params:", {k: round(v, 3) for k, v in result.params.items()})
print(f"accuracy: {accuracy:.3f}")
print(f"final loss: {result.loss:.6f}")
