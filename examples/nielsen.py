"""Nielsen's network.py set-up on MNIST ("Neural Networks and Deep Learning", chapter 1):
784-30-10, sigmoid everywhere, the quadratic cost, mini-batches of 10, η = 3.0, 30 epochs,
weights and biases drawn from N(0, 1); the test images classified after every epoch.

    python examples/nielsen.py DIR [--epochs 30]

DIR holds the four MNIST files (gzipped or not): train-images-idx3-ubyte, train-labels-idx1-ubyte,
t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte; the README says where to get them.  As in
network.py, the first 50,000 training images train and the 10,000 test images are scored.

Nielsen updates w ← w − (η/m) Σ_x ∇C_x over a mini-batch of m with C_x = ½‖y − a‖²: that is
symnet's ``half_sse`` (the batch's sum of ½(y − ŷ)²) with learning rate η/m = 0.3.
"""

import argparse
import os
import sys
import time

import numpy as np

import symnet as sn

FILES = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
         "t10k-labels-idx1-ubyte"]


def find(folder, name):
    for candidate in (name, name + ".gz"):
        if os.path.exists(os.path.join(folder, candidate)):
            return os.path.join(folder, candidate)
    raise sn.SymnetError(f"{name}(.gz) is not in {folder}; the README (Examples) says where to "
                         f"get the four MNIST files: {', '.join(FILES)}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir", help="folder with the four MNIST IDX files")
    ap.add_argument("--epochs", type=int, default=30)
    args = ap.parse_args(argv)
    try:
        images, labels, test_images, test_labels = (sn.read_idx(find(args.dir, f)) for f in FILES)
    except sn.SymnetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    X = images[:50_000].reshape(50_000, -1) / 255.0
    Y = np.eye(10)[labels[:50_000]]
    X_test = test_images.reshape(len(test_images), -1) / 255.0

    net = sn.Network("784-30-10", activation="sigmoid", output_activation="sigmoid",
                     loss="half_sse")
    model = net.compile()
    rng = np.random.default_rng(0)
    params = model.as_dict(rng.standard_normal(len(net.param_names)))  # network.py's N(0, 1)
    eta, m = 3.0, 10
    start = time.perf_counter()

    def report(epoch, loss, params):
        correct = int(np.sum(model.predict(params, X_test).argmax(axis=1) == test_labels))
        print(f"Epoch {epoch - 1}: {correct} / {len(test_labels)}   "
              f"({time.perf_counter() - start:.0f} s)", flush=True)

    net.fit(X, Y, lr=eta / m, epochs=args.epochs, batch_size=m, params=params, seed=0,
            callback=report, progress=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
