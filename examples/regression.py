"""A 1-16-16-1 tanh network fits a noisy sine wave (mean squared error, mini-batches).

    python examples/regression.py
"""

import numpy as np

import symnet as sn

rng = np.random.default_rng(0)
X = rng.uniform(-3, 3, size=(256, 1))
Y = np.sin(X[:, 0]) + 0.1 * rng.normal(size=256)

net = sn.Network("1-16-16-1", activation="tanh", loss="mse")
result = net.fit(X, Y, lr=0.02, epochs=400, batch_size=8, seed=0, progress=False)
grid = np.linspace(-3, 3, 7)[:, None]
for x, p in zip(grid[:, 0], net.compile().predict(result.params, grid)[:, 0]):
    print(f"sin({x:+.1f}) = {np.sin(x):+.3f}   network: {p:+.3f}")
print(f"final loss: {result.loss:.6f}  (noise variance 0.01)")
