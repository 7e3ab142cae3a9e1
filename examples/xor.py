"""A 2-3-1 sigmoid network learns XOR by full-batch gradient descent (the seed lecture's method).

    python examples/xor.py
"""

import numpy as np

import symnet as sn

X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
Y = np.array([0, 1, 1, 0], dtype=float)

net = sn.Network("2-3-1", activation="sigmoid", output_activation="sigmoid", loss="bce")
print(net.derive("w1"))
print()
result = net.fit(X, Y, lr=1.0, epochs=3000, seed=0, progress=False)
predictions = net.compile().predict(result.params, X).ravel()
for x, y, p in zip(X, Y, predictions):
    print(f"x = {x}  y = {y:.0f}  ŷ = {p:.3f}")
print(f"final loss: {result.loss:.6f}")
