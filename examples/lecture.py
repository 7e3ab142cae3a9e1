"""The seed lecture, replayed section by section with symnet, as one Markdown document.

    python examples/lecture.py                  # print the Markdown
    python examples/lecture.py -o lecture.md    # write it, with its figures beside it

Every formula of the lecture is computed here, none is typed in: a neuron y = NL(w·x + b), the
2-2-1 network, the two losses, gradient descent, the chain rule (the nested m, z, y example and
the two-path ∂L/∂w1), vanishing and exploding gradients, and the activation functions.
Figures (the network, the gradient flow, the activations) need matplotlib.
"""

import argparse
import os
import sys

import numpy as np
import sympy as sp

import symnet as sn
from symnet.files import write_atomic
from symnet.printing import Table, definitions_latex


def md_math(expr):
    return f"${sn.latex(expr)}$"


def definitions(net):
    return "$$\n" + definitions_latex(net.definitions) + "\n$$"


def table(headers, rows):
    return Table(headers, rows).markdown()


# ------------------------------------------------------------------------------ sections

def parametric_models():
    lin, log = sn.linear_regression(3), sn.logistic_regression(3)
    return f"""## 1. Deep learning is a parametric model

Linear and logistic regression are the smallest parametric models y ∼ f(x): one neuron each.

Linear regression (`sn.linear_regression(3)`, loss {lin.loss.name}):

{definitions(lin)}

Logistic regression (`sn.logistic_regression(3)`, loss {log.loss.name}):

{definitions(log)}

Deep learning stacks such neurons, and learns every weight and bias from data."""


def a_neuron():
    net = sn.Network("3-1", output_activation="sigmoid")
    rows = [[name, md_math(sn.Activation.get(name).apply(sp.Symbol("N_1")))]
            for name in sn.ACTIVATIONS if name != "softmax"]
    return f"""## 2. What is a neuron?

y = NL(w₁x₁ + w₂x₂ + w₃x₃ + b): a weighted sum, then a non-linearity (an *activation*).
`sn.Network("3-1", output_activation="sigmoid")`:

{definitions(net)}

Any activation can stand for NL:

{table(["name", "NL(N₁)"], rows)}"""


def the_network(figures):
    net = sn.Network("2-2-1")
    params = {k: round(v, 2) for k, v in net.init_params(seed=0).items()}
    at = {"x1": 1.0, "x2": 0.0, "y": 1.0}
    values = net.forward({**params, **at})
    forward = [[md_math(s), md_math(net.definitions[s]), f"{float(values[s]):.4f}"]
               for s in net.definitions]
    picture = ""
    if figures:
        picture = f"\n\n![the 2-2-1 network]({figures['network']})"
    return f"""## 3. A neural network: 2-2-1

① Define the architecture: two inputs, one hidden layer of two neurons, one output.
`sn.Network("2-2-1")` names every quantity as the lecture does:

{definitions(net)}{picture}

Weights and biases are randomly initialised (`net.init_params(seed=0)`, rounded; biases 0):
{", ".join(f"{k} = {v:g}" for k, v in params.items())}.

**Forward propagation** of the lecture's row x₁ = 1.0, x₂ = 0.0 (with target y = 1.0):

{table(["", "definition", "value"], forward)}"""


def the_losses():
    half = sn.Network("2-2-1", loss="half_sse")
    mse = sn.Network("2-2-1", loss="mse")
    return f"""## 4. The loss

Two losses of the lecture, per sample (symnet's `L`) and how samples combine:

* `half_sse`: loss = Σᵢ ½(yᵢ − ŷᵢ)², so {md_math(half.definitions[half.symbols['L']])} and
  ∂L/∂ŷ = {md_math(half.derive('yhat').result)};
* `mse`: loss = (1/n) Σᵢ (yᵢ − ŷᵢ)², so {md_math(mse.definitions[mse.symbols['L']])} and
  ∂L/∂ŷ = {md_math(mse.derive('yhat').result)}.

The loss is a function of the weights and biases, L = f(w, b): ② reduce it by changing them."""


def gradient_descent():
    net = sn.Network("2-2-1")
    params = {k: round(v, 2) for k, v in net.init_params(seed=0).items()}
    X, Y = np.array([[1.0, 0.0]]), np.array([1.0])
    model = net.compile()
    alpha = 0.1
    loss, grad = model.loss_and_gradient(params, X, Y)
    new = {k: params[k] - alpha * g for k, g in zip(model.names, grad)}
    rows = [[k, f"{params[k]:g}", f"{g:.4f}", f"{new[k]:.4f}"] for k, g in zip(model.names, grad)]
    after = model.loss(new, X, Y)
    # then many steps on a small data set: ŷ = 2x₁ − x₂ + 0.5 is learnable by this linear net
    rng = np.random.default_rng(0)
    Xs = rng.uniform(-1, 1, size=(32, 2))
    Ys = 2 * Xs[:, 0] - Xs[:, 1] + 0.5
    result = net.fit(Xs, Ys, lr=0.05, epochs=300, params=params, progress=False)
    epochs = [1, 10, 30, 100, 300]
    history = table(["epoch"] + [str(e) for e in epochs],
                    [["loss"] + [f"{result.history[e - 1]:.4g}" for e in epochs]])
    return f"""## 5. Gradient descent

For every weight and bias, w(t+1) = w(t) − α ∂L/∂w(t). One step at the lecture's row
(x₁ = 1, x₂ = 0, y = 1) with α = {alpha}, the gradient from `net.compile().loss_and_gradient`:

{table(["parameter", "w(t)", "∂L/∂w", "w(t+1)"], rows)}

The loss falls from {loss:.4f} to {after:.4f}. Repeating the step (forward propagation,
backward propagation: one epoch) on 32 samples of y = 2x₁ − x₂ + 0.5 (`net.fit`):

{history}"""


def chain_rule():
    net = sn.Network("2-2-1")
    w4 = net.derive("w4")
    nested = sn.chain(["m = x**2", "z = m**2", "y = z**2"], wrt="x")
    w1 = net.derive("w1")
    zero = net.local(net.symbols["N2"], net.symbols["w1"])
    x1 = net.derive("x1")
    deep = sn.Network("2-2-2-1").derive("w1")
    return f"""## 6. The chain rule

∂L/∂w₄ = ∂L/∂ŷ × ∂ŷ/∂N₂ × ∂N₂/∂w₄, each factor the derivative of one short definition
(`net.derive("w4")`):

{w4.markdown()}

The lecture's nested example m = x², z = m², y = z² (`sn.chain([...], wrt="x")`):
dy/dx = 2z · 2m · 2x = 8x⁷.

{nested.markdown()}

**Two paths.** The lecture writes ∂L/∂w₁ as a sum over the two routes from L down to w₁,
through N₁ and through N₂. In the 2-2-1 network w₁ feeds only N₁ (∂N₂/∂w₁ = {zero}), so
symnet finds one path:

{w1.markdown()}

An input does feed both neurons, and ∂L/∂x₁ is the lecture's two-path sum:

{x1.markdown()}

With a second hidden layer (2-2-2-1), w₁ reaches L through both neurons of that layer:
{len(deep.paths)} paths, {", ".join(" → ".join(map(str, p)) for p in deep.paths).replace("yhat", "ŷ")}:

{deep.markdown()}"""


def vanishing(figures):
    one = sn.gradient_flow(sn.Network("1-1-1-1-1-1", activation="sigmoid"))
    flows = sn.compare_flow("2-8-8-8-8-8-1", ["sigmoid", "tanh", "relu"])
    picture = ""
    if figures:
        picture = f"\n\n![gradient per layer]({figures['flow']})"
    sig, relu = flows[0], flows[2]
    return f"""## 7. Vanishing and exploding gradients

(0.99)³⁶⁵ ≈ 0 and (1.01)³⁶⁵ ≈ 38: a product of many factors a little below 1 vanishes, a little
above 1 explodes (`sn.compound()`):

{sn.compound().markdown()}

By the chain rule, ∂L/∂w₁ in a deep network is such a product, one factor per layer
(`sn.gradient_flow(net)` for a 1-1-1-1-1-1 sigmoid network):

{one.product("markdown")}

Measured at initialisation (mean |∂L/∂W| per layer over 64 random samples and 5 seeds of
`init_params`; `sn.compare_flow("2-8-8-8-8-8-1", ["sigmoid", "tanh", "relu"])`):

{sn.flow_table(flows, "markdown")}

With sigmoid the first layer's gradient is {sig.ratio:.1e} of the last layer's: the first layers
barely learn. tanh (slope up to 1) and ReLU with He initialisation (slope 0 or 1) keep it within
a factor of a few ({relu.ratio:.2f} for ReLU).{picture}"""


def activations(figures):
    picture = ""
    if figures:
        picture = f"\n\n![activations and their derivatives]({figures['activations']})"
    return f"""## 8. Activations

Every activation in symnet, its derivative in closed form, and the range of the derivative
(`sn.activation_atlas()`):

{sn.activation_atlas().markdown()}{picture}"""


def lecture(figures=None):
    """The whole document; ``figures`` maps network/flow/activations to image paths."""
    parts = [
        "# Introduction to deep learning, replayed with symnet",
        "Each section follows the lecture; every formula and number below is computed by "
        "symnet (examples/lecture.py).",
        parametric_models(), a_neuron(), the_network(figures), the_losses(),
        gradient_descent(), chain_rule(), vanishing(figures), activations(figures),
    ]
    return "\n\n".join(parts) + "\n"


def write_figures(output):
    """Draw the figures beside ``output``; returns their paths relative to it (or None)."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return None
    folder = os.path.dirname(os.path.abspath(output))
    stem = os.path.splitext(os.path.basename(output))[0]
    names = {k: f"{stem}-{k}.png" for k in ("network", "flow", "activations")}
    sn.draw(sn.Network("2-2-1"), path=os.path.join(folder, names["network"]))
    sn.plot_flow(sn.compare_flow("2-8-8-8-8-8-1"), os.path.join(folder, names["flow"]))
    sn.activation_atlas().plot(os.path.join(folder, names["activations"]))
    return names


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", metavar="FILE.md",
                        help="write the document (and its figures, FILE-*.png) instead of "
                             "printing it")
    args = parser.parse_args(argv)
    if args.output is None:
        print(lecture(), end="")
        return 0
    figures = write_figures(args.output)
    write_atomic(args.output, lecture(figures))
    print(f"wrote {args.output}" + (f" and {', '.join(figures.values())}" if figures else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
