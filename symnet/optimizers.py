r"""Optimizers as ``torch.optim`` defines them: the update rules, their defaults, their formulas.

Each optimizer is a registry entry with PyTorch's option names and defaults, and two pure
functions that work on any array module (NumPy, PyTorch, JAX — only ``+ − * /`` and ``** 0.5``):

* ``init(params) -> state`` — the state for a list of parameter arrays (zeros, or nothing);
* ``update(params, grads, state, lr, t, **options) -> (params, state)`` — step ``t`` (1, 2, …):
  new arrays out, nothing changed in place.

``lr`` is symnet's choice for small networks trained for a thousand full-batch epochs (PyTorch's
own default of 0.001 for SGD and Adam barely moves them); every other default is PyTorch's.

>>> import numpy as np
>>> adam = entry("adam")
>>> adam.defaults["betas"], adam.defaults["eps"]
((0.9, 0.999), 1e-08)
>>> w, g = [np.array([1.0, -2.0])], [np.array([0.5, 0.5])]
>>> state = adam.init(w)
>>> w, state = adam.update(w, g, state, lr=0.1, t=1, **adam.defaults)
>>> w[0].round(6).tolist()  # Adam's first step is lr·sign(g), whatever |g|
[0.9, -2.1]
>>> print(update_rule("momentum"))
v ← μ v + g
w ← w − α v
"""

from dataclasses import dataclass, field

from .errors import SymnetError
from .values import number_text

LR = {"sgd": 0.1, "momentum": 0.1, "nesterov": 0.1, "rmsprop": 0.01, "adam": 0.01}


# ------------------------------------------------------------------------ update rules

def _decay(params, grads, weight_decay):
    # torch: grad = grad + weight_decay · param (before any other use of the gradient)
    return [g + weight_decay * p for p, g in zip(params, grads)] if weight_decay else list(grads)


def _sgd_init(params):
    return {"momentum_buffer": [None] * len(params)}


def _sgd_update(params, grads, state, lr, t, momentum=0.0, dampening=0.0, weight_decay=0.0,
                nesterov=False, maximize=False):
    """torch.optim.SGD: v ← μv + (1 − τ)g (v = g at the first step); w ← w − α(g + μv) with
    Nesterov, w ← w − αv without."""
    if nesterov and (momentum <= 0 or dampening != 0):
        raise SymnetError("nesterov needs a momentum above 0 and zero dampening (as in PyTorch)")
    grads = _decay(params, [-g for g in grads] if maximize else grads, weight_decay)
    bufs = list(state["momentum_buffer"])
    out = []
    for i, (p, g) in enumerate(zip(params, grads)):
        if momentum:
            # the first buffer is a copy of g (1 * g): the caller may reuse g's memory
            bufs[i] = 1 * g if bufs[i] is None else momentum * bufs[i] + (1 - dampening) * g
            g = g + momentum * bufs[i] if nesterov else bufs[i]
        out.append(p - lr * g)
    return out, {"momentum_buffer": bufs}


def _rmsprop_init(params):
    return {"square_avg": [0 * p for p in params], "grad_avg": [0 * p for p in params],
            "momentum_buffer": [0 * p for p in params]}


def _rmsprop_update(params, grads, state, lr, t, alpha=0.99, eps=1e-8, weight_decay=0.0,
                    momentum=0.0, centered=False, maximize=False):
    """torch.optim.RMSprop: s ← αs + (1 − α)g²; w ← w − α_lr g / (√s + ε)."""
    grads = _decay(params, [-g for g in grads] if maximize else grads, weight_decay)
    new = {k: [] for k in state}
    out = []
    for p, g, s, m, b in zip(params, grads, state["square_avg"], state["grad_avg"],
                             state["momentum_buffer"]):
        s = alpha * s + (1 - alpha) * g * g
        if centered:
            m = m + (1 - alpha) * (g - m)  # torch's lerp
            avg = (s - m * m) ** 0.5 + eps
        else:
            avg = s ** 0.5 + eps
        if momentum > 0:
            b = momentum * b + g / avg
            p = p - lr * b
        else:
            p = p - lr * (g / avg)
        out.append(p)
        for k, v in (("square_avg", s), ("grad_avg", m), ("momentum_buffer", b)):
            new[k].append(v)
    return out, new


def _adam_init(params):
    return {"exp_avg": [0 * p for p in params], "exp_avg_sq": [0 * p for p in params],
            "max_exp_avg_sq": [0 * p for p in params]}


def _adam_update(params, grads, state, lr, t, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0,
                 amsgrad=False, maximize=False):
    """torch.optim.Adam: m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g²,
    w ← w − (α / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)."""
    beta1, beta2 = betas
    grads = _decay(params, [-g for g in grads] if maximize else grads, weight_decay)
    step_size = lr / (1 - beta1 ** t)
    bc2_sqrt = (1 - beta2 ** t) ** 0.5
    new = {k: [] for k in state}
    out = []
    for p, g, m, v, vmax in zip(params, grads, state["exp_avg"], state["exp_avg_sq"],
                                state["max_exp_avg_sq"]):
        m = m + (1 - beta1) * (g - m)  # torch's lerp
        v = beta2 * v + (1 - beta2) * g * g
        if amsgrad:
            vmax = v + (vmax - v) * (vmax > v)  # an elementwise max in any array module
            denom = vmax ** 0.5 / bc2_sqrt + eps
        else:
            denom = v ** 0.5 / bc2_sqrt + eps
        out.append(p - step_size * (m / denom))
        for k, x in (("exp_avg", m), ("exp_avg_sq", v), ("max_exp_avg_sq", vmax)):
            new[k].append(x)
    return out, new


# ------------------------------------------------------------------------ the registry

@dataclass(frozen=True)
class Optimizer:
    """One optimizer: ``name``, ``torch`` (the PyTorch class and arguments it equals),
    ``defaults`` (PyTorch's, by PyTorch's names), ``lr`` (symnet's default learning rate),
    ``init``/``update`` (see the module), and the rule as ``text`` and ``latex`` lines.

    Rules are elementwise: NumPy training hands ``update`` the whole parameter vector as one
    array, the fused JAX and PyTorch steps one array per layer, with the same result."""

    name: str
    torch: str
    defaults: dict
    lr: float
    init: object
    update: object
    text: tuple = field(default=())
    latex: tuple = field(default=())

    def options(self, given):
        """``defaults`` updated by ``given``, checked: unknown names and bad values refused."""
        unknown = [k for k in given if k not in self.defaults]
        if unknown:
            raise SymnetError(f"optimizer {self.name!r} has no option {unknown[0]!r}; its options: "
                              + ", ".join(self.defaults))
        out = dict(self.defaults)
        for k, v in given.items():
            out[k] = _option(self.name, k, v, self.defaults[k])
        return out


def _option(name, key, value, default):
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise SymnetError(f"{key} must be True or False, got {value!r}")
        return value
    if isinstance(default, tuple):
        try:
            pair = tuple(_number(v) for v in value)
        except (TypeError, ValueError, SymnetError):
            pair = ()
        if len(pair) != 2 or not all(0 <= b < 1 for b in pair):
            raise SymnetError(f"{key} must be two numbers in [0, 1), e.g. (0.9, 0.999); got {value!r}")
        return pair
    try:
        number = _number(value)
    except (TypeError, ValueError, SymnetError):
        number = float("nan")
    if isinstance(value, bool) or not number >= 0 or number == float("inf") or \
            (key in ("alpha", "dampening") and number > 1) or (key == "momentum" and number >= 1):
        bound = "in [0, 1]" if key in ("alpha", "dampening") else "in [0, 1)" \
            if key == "momentum" else "≥ 0"
        raise SymnetError(f"{key} must be a number {bound}, got {value!r}")
    return number


def _number(value):
    """A number given in Python, or as text in the one number syntax (``"٠.9"`` is refused,
    although ``float`` takes it)."""
    return number_text(value, "an option") if isinstance(value, str) else float(value)


_SGD = dict(momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False, maximize=False)

REGISTRY = {o.name: o for o in [
    Optimizer("sgd", "torch.optim.SGD(params, lr)", _SGD, LR["sgd"], _sgd_init, _sgd_update,
              ("w ← w − α g",), (r"w \leftarrow w - \alpha g",)),
    Optimizer("momentum", "torch.optim.SGD(params, lr, momentum=0.9)", {**_SGD, "momentum": 0.9},
              LR["momentum"], _sgd_init, _sgd_update,
              ("v ← μ v + g", "w ← w − α v"),
              (r"v \leftarrow \mu v + g", r"w \leftarrow w - \alpha v")),
    Optimizer("nesterov", "torch.optim.SGD(params, lr, momentum=0.9, nesterov=True)",
              {**_SGD, "momentum": 0.9, "nesterov": True}, LR["nesterov"], _sgd_init, _sgd_update,
              ("v ← μ v + g", "w ← w − α (g + μ v)"),
              (r"v \leftarrow \mu v + g", r"w \leftarrow w - \alpha \left(g + \mu v\right)")),
    Optimizer("rmsprop", "torch.optim.RMSprop(params, lr)",
              dict(alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0, centered=False,
                   maximize=False), LR["rmsprop"], _rmsprop_init, _rmsprop_update,
              ("s ← ρ s + (1 − ρ) g²", "w ← w − α g / (√s + ε)"),
              (r"s \leftarrow \rho s + (1 - \rho) g^{2}",
               r"w \leftarrow w - \frac{\alpha g}{\sqrt{s} + \epsilon}")),
    Optimizer("adam", "torch.optim.Adam(params, lr)",
              dict(betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False, maximize=False),
              LR["adam"], _adam_init, _adam_update,
              ("m ← β₁ m + (1 − β₁) g", "v ← β₂ v + (1 − β₂) g²",
               "w ← w − α (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)"),
              (r"m \leftarrow \beta_{1} m + (1 - \beta_{1}) g",
               r"v \leftarrow \beta_{2} v + (1 - \beta_{2}) g^{2}",
               r"w \leftarrow w - \alpha \frac{m / (1 - \beta_{1}^{t})}"
               r"{\sqrt{v / (1 - \beta_{2}^{t})} + \epsilon}")),
]}


def names():
    """The optimizers' names.

    >>> names()
    ['sgd', 'momentum', 'nesterov', 'rmsprop', 'adam']
    """
    return list(REGISTRY)


def entry(name):
    """The :class:`Optimizer` called ``name``; a clear error listing them otherwise."""
    if isinstance(name, Optimizer):
        return name
    found = REGISTRY.get(str(name).strip().lower()) if isinstance(name, str) else None
    if found is None:
        raise SymnetError(f"unknown optimizer {name!r}; valid: {', '.join(REGISTRY)}")
    return found


class UpdateRule:
    r"""An optimizer's update rule as text and LaTeX (``g`` is ∂L/∂w, ``α`` the learning rate).

    >>> rule = update_rule("adam")
    >>> print(rule.latex.splitlines()[0])
    \begin{aligned}
    >>> rule.defaults["eps"]
    1e-08
    """

    def __init__(self, optimizer, lr=None, **options):
        self.optimizer = entry(optimizer)
        self.lr = self.optimizer.lr if lr is None else lr
        self.defaults = self.optimizer.options(options)

    @property
    def text(self):
        """The rule, one assignment a line, then its numbers."""
        return "\n".join(self.optimizer.text)

    @property
    def latex(self):
        """The rule as an ``aligned`` block."""
        rows = [r.replace(r" \leftarrow ", r" &\leftarrow ", 1) for r in self.optimizer.latex]
        return "\\begin{aligned}\n" + " \\\\\n".join(rows) + "\n\\end{aligned}"

    @property
    def numbers(self):
        """The learning rate and the options, as ``name = value`` text."""
        opts = ", ".join(f"{k} = {v}" for k, v in self.defaults.items()
                         if not isinstance(v, bool) or v)
        return f"α = lr = {self.lr:g}; {opts}"

    def __str__(self):
        return self.text

    def __repr__(self):
        return f"<UpdateRule {self.optimizer.name}: {self.optimizer.torch}>"

    def _repr_latex_(self):
        return "$$" + self.latex + "$$"


def update_rule(optimizer, lr=None, **options):
    """The update rule of ``optimizer`` (a name from :func:`names`) with its numbers.

    >>> import symnet as sn
    >>> print(sn.update_rule("rmsprop"))
    s ← ρ s + (1 − ρ) g²
    w ← w − α g / (√s + ε)
    >>> sn.update_rule("rmsprop").numbers
    'α = lr = 0.01; alpha = 0.99, eps = 1e-08, weight_decay = 0.0, momentum = 0.0'
    """
    return UpdateRule(optimizer, lr, **options)
