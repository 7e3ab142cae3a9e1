"""A 64-32-10 network reads scikit-learn's bundled 8×8 handwritten digits (1,797 images, no
download): softmax outputs with cross-entropy, mini-batch gradient descent.

    pip install 'symnet[digits]'     # scikit-learn
    python examples/digits.py
"""

import time

import numpy as np
from sklearn.datasets import load_digits

import symnet as sn

start = time.perf_counter()
digits = load_digits()
X = digits.data / 16.0  # pixel intensities 0…16 → [0, 1]
Y = np.eye(10)[digits.target]  # one-hot targets, a distribution per sample
order = np.random.default_rng(0).permutation(len(X))
train, test = order[:1347], order[1347:]  # 75 % to train, 450 images held out

net = sn.Network("64-32-10", activation="tanh", loss="cross_entropy")  # softmax outputs
print(net.derive_layers())
print()
result = net.fit(X[train], Y[train], lr=0.2, epochs=40, batch_size=32, seed=0, progress=False)
predicted = net.compile().predict(result.params, X[test]).argmax(axis=1)
accuracy = float(np.mean(predicted == digits.target[test]))
print(f"epochs: {len(result.history)}, mini-batches of 32, learning rate 0.2")
print(f"final loss: {result.loss:.4f}")
print(f"test accuracy: {accuracy:.1%} on {len(test)} held-out images")
print(f"time: {time.perf_counter() - start:.1f} s")
