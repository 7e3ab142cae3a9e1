"""Products and sums built without re-flattening (symnet.canonical) are SymPy's own: equal,
the same tree, printed the same, for tricky parts one at a time and for the gradients of
many networks, circuits and templates against a sweep built with plain ``Mul`` and ``Add``."""

import pytest
import sympy as sp

import symnet as sn
import symnet.architecture
import symnet.canonical
import symnet.derive
import symnet.functions
import symnet.graph
import symnet.losses
from symnet.canonical import add, mul, power, sort_key, symbol, weighted_sum

x, y, z, w = sp.symbols("x y z w")
A, B = sp.symbols("A B", commutative=False)
f = sp.Function("f")


class Noncommuting(sp.Function):  # a function applied that says it does not commute
    is_commutative = False


g = Noncommuting


class Asserted(sp.Function):  # a function applied whose is_commutative is its own property
    @property
    def is_commutative(self):
        return False
half = sp.Rational(1, 2)


def same(made, plain):
    """The same expression: equal, the same tree, the same text and LaTeX."""
    assert made == plain
    assert sp.srepr(made) == sp.srepr(plain)
    assert (sn.text(made), sn.latex(made)) == (sn.text(plain), sn.latex(plain))


PRODUCTS = [
    (x, y), (y, x), (2 * x, 3 * y), (2 * x * (y - x), x), (2 * x * (y - x), w * f(z)),
    (2, x + y), (x + y, 2), (2 * w, x + y), (half, 2 * (x + y)),  # a number times a sum
    (sp.Mul(2, x + y, evaluate=False), 3),  # the two-argument rule of Mul.flatten
    (sp.Mul(2, x + y, evaluate=False), w),  # factor_terms' raw product, times a factor
    (sp.Mul(y, x, evaluate=False), w), (w, sp.Mul(f(x), y, x, evaluate=False)),  # out of order
    (sp.Mul(0, x, evaluate=False), y), (sp.Mul(0, x, evaluate=False), f(y)),  # 0*x, unevaluated
    (y, Asserted(x)), (Asserted(x), sp.sin(y)),  # a class that says itself it does not commute
    (x, x), (2 * x, x ** 2), (x ** 2, x ** -1), (sp.sqrt(x), sp.sqrt(x)),  # equal bases
    (sp.exp(x), sp.exp(y)), (sp.exp(x), sp.E), (sp.exp(x), y),  # exp(x) is E**x
    (sp.I, sp.I), (sp.I, x), (sp.pi, x), (sp.sqrt(2), x), (sp.sqrt(2), sp.sqrt(6)),
    (2.5 * x, y), (0 * x, y), (sp.zoo, x), (sp.oo, x), (sp.nan, x), (-1, x), (-x, -y),
    (A, B), (B, A), (A * x, B), (x, sp.Order(x)), (x ** half, y ** -2), ((x + y) ** -1, x),
    (x, 1, y), (1, 1), (), (x,), (-(x - y), 2), (2 * x, half), (2 * x, sp.Rational(1, 2) / x),
    (f(A), x), (x, f(A)), (g(x), y), (g(y), g(x)), (f(A) * x, f(x)),  # commute by their arguments
    (w * sp.Add._from_args((x, y)), z * sp.Add._from_args((x, y))),  # equal sums, two objects
    (w * sp.sin(x), z * sp.sin(x) ** 2), (w * (x + y) ** 2, z * (x + y) ** -1),
    (f(x), f(x)), (f(x) ** 2, f(x)), (sp.Abs(x), sp.sign(x)), (sp.Max(x, y), w),
    (sp.Heaviside(x), x), (sp.Symbol("n", positive=True), -1),
]


@pytest.mark.parametrize("keys", [None, {}], ids=["compared", "keyed"])
@pytest.mark.parametrize("args", PRODUCTS, ids=[str(a) for a in PRODUCTS])
def test_a_product_is_mul_of_the_same_parts(args, keys):
    same(mul(*args, keys=keys), sp.Mul(*args))


POWERS = [(x + y, 2), (x, -1), (2, x), (x, half), (x - y, 2), (A, 2), (sp.sin(x), 3),
          (sp.MatrixSymbol("M", 2, 2), 2), (sp.oo, 2), (0, 0)]


@pytest.mark.parametrize("base, exp", POWERS, ids=[str(p) for p in POWERS])
def test_a_power_is_pow_unevaluated(base, exp):
    base, exp = sp.sympify(base), sp.sympify(exp)
    made, expected = power(base, exp), sp.Pow(base, exp, evaluate=False)
    same(made, expected)
    assert type(made) is type(expected) and made.is_commutative == expected.is_commutative


SUMS = [
    (x, y), (y, x), (2 * x, 3 * y), (x * y, -x * y), (2 * x * y, 3 * x * y), (x, -x),
    (x, 1), (1, x), (x, 2.5), (x, x + y), (x + y, -(x + y)), (2 * (x + y), x),
    (sp.Mul(2, x + y, evaluate=False), sp.Mul(3, x + y, evaluate=False)),
    (sp.Mul(2, x + y, evaluate=False), w), (sp.Mul(1, x, evaluate=False), y),
    (2.5 * x, y), (x ** 2, y ** 2), (x ** 2, 2 * x ** 2), (sp.sqrt(2), x), (2 ** x, y),
    (f(x), f(y), -f(x)), (sp.exp(x), sp.exp(y)), (sp.oo, x), (sp.zoo, x), (sp.nan, x),
    (A, B), (B, A), (x, sp.Order(x ** 2)), (x * f(y), y * f(x)), (0, x), (0, 0), (), (x,),
    (sp.I, x), (sp.pi, x), (sp.tanh(x), x), (f(A), x), (g(x), y), (f(x), g(y)),
]


@pytest.mark.parametrize("keys", [None, {}], ids=["compared", "keyed"])
@pytest.mark.parametrize("args", SUMS, ids=[str(a) for a in SUMS])
def test_a_sum_is_add_of_the_same_terms(args, keys):
    same(add(*args, keys=keys), sp.Add(*args))


def test_sort_keys_order_as_sympy_compares():
    """Every pair of a mixed set ordered alike by sort_key and by Basic.compare; a class with
    a compare of its own is not ranked."""
    n, d = sp.Symbol("n", positive=True), sp.Dummy("x")
    parts = [x, y, n, d, sp.Integer(2), sp.Rational(-1, 3), sp.Float(2.5), sp.pi, sp.E, sp.I,
             x * y, 2 * x * y, x ** 2, x ** y, x + 1, x + y, f(x), f(y), sp.Function("g")(x),
             sp.sin(x), sp.exp(x), sp.Abs(y), sn.functions.sigmoid(x), sp.Heaviside(x),
             sp.Piecewise((1, x > 0), (0, True)), sp.Max(x, y), sp.sqrt(2), -x, x * (x + 1)]
    keys = {}
    for a in parts:
        for b in parts:
            key_a, key_b = sort_key(a, keys), sort_key(b, keys)
            assert (key_a > key_b) - (key_a < key_b) == a.compare(b), (a, b)
    with pytest.raises(TypeError):  # FiniteSet has its own compare
        sort_key(sp.FiniteSet(x, y), {})


w1, w2, x1, x2, b1 = sp.symbols("w1 w2 x1 x2 b1")
a, z9 = sp.symbols("a z9")
WEIGHTED = [  # (weights, inputs, bias)
    ([w1, w2], [x1, x2], b1), ([w1, w2], [x2, x1], b1), ([a, z9], [x1, b1], w2),
    ([z9, a], [x1, x1], 0), ([w1], [x1], 0), ([w1], [x1], b1), ([], [], b1), ([w1, w2], [x1], b1),
    ([w1, w1], [x1, x2], b1),  # a weight twice
    ([w1, w2], [x1, w1], b1),  # w1*w1: a square
    ([w1, w2], [w2, w1], b1),  # w1*w2 twice: collected
    ([w1, w2], [x1, x2], x1), ([w1, w2], [x1, x2], 3), ([w1, w2], [x1, x2], half),
    ([sp.Symbol("w", positive=True), w2], [x1, x2], b1), ([w1, w2], [A, x2], b1),
    ([w1, w2], [sp.Dummy("x"), x2], b1), ([w1, w2], [2 * x1, x2], b1),
]


@pytest.mark.parametrize("weights, inputs, bias", WEIGHTED, ids=[str(c) for c in WEIGHTED])
def test_a_weighted_sum_is_add_of_the_products(weights, inputs, bias):
    made = weighted_sum(weights, inputs, sp.sympify(bias), keys={})
    same(made, sp.Add(*[sp.Mul(w, x) for w, x in zip(weights, inputs)], bias))
    with sp.evaluate(False):
        left = weighted_sum(weights, inputs, sp.sympify(bias), keys={})
        assert sp.srepr(left) == sp.srepr(
            sp.Add(*[sp.Mul(w, x) for w, x in zip(weights, inputs)], bias))


@pytest.mark.parametrize("keys", [None, {}], ids=["compared", "keyed"])
def test_with_evaluation_off_the_parts_stay_as_given(keys):
    with sp.evaluate(False):
        same(mul(x, x, keys=keys), sp.Mul(x, x))
        same(mul(y, x, keys=keys), sp.Mul(y, x))
        same(mul(2 * y, x, keys=keys), sp.Mul(2 * y, x))
        same(add(x, x, keys=keys), sp.Add(x, x))
        same(add(y, x, keys=keys), sp.Add(y, x))


@pytest.fixture
def plain(monkeypatch):
    """The engine with SymPy's own Mul and Add, divisions found by ``atoms`` and every local
    partial factored where it is taken: today's sweep, without the faster paths."""
    read_off = symnet.graph.Graph._indexed

    def indexed_only(graph, node, expr):
        found = read_off(graph, node, expr)
        for s in found:
            graph._locals.get(node, {}).pop(s, None)
        return found

    def use_plain():
        for module in (symnet.derive, symnet.graph, symnet.losses):
            monkeypatch.setattr(module, "mul", lambda *a, keys=None: sp.Mul(*a), raising=False)
            monkeypatch.setattr(module, "add", lambda *a, keys=None: sp.Add(*a), raising=False)
        monkeypatch.setattr(symnet.architecture, "symbol", sp.Symbol)
        monkeypatch.setattr(symnet.architecture, "weighted_sum", lambda ws, xs, bias, keys=None:
                            sp.Add(*[sp.Mul(w, x) for w, x in zip(ws, xs)], bias))
        monkeypatch.setattr(symnet.functions.Activated, "_new_", classmethod(
            lambda cls, *args, **options: sp.Function._new_.__func__(cls, *args, **options)))
        monkeypatch.setattr(symnet.graph, "_activation_local", lambda expr, var: (None, None))
        monkeypatch.setattr(symnet.graph, "_shaped_local", lambda term, var: None)
        monkeypatch.setattr(symnet.losses, "_square", lambda base: base**2)
        # every symbol found by free_symbols, sorted by its default key; every local partial
        # of a sum taken from its terms (none read off them as the index is made)
        monkeypatch.setattr(symnet.graph, "_symbols", lambda e: e.free_symbols)
        monkeypatch.setattr(symnet.graph, "_sorted",
                            lambda symbols, keys: sorted(symbols, key=sp.default_sort_key))
        monkeypatch.setattr(symnet.graph.Graph, "_indexed", indexed_only)
        monkeypatch.setattr(symnet.graph.Graph, "divides", lambda graph, e: sn.printing.divides(e))
    return use_plain


NETWORKS = [
    ("2-2-1", {"activation": "sigmoid"}),
    ("2-3-2-1", {"activation": ["tanh", "sigmoid"], "loss": "half_sse"}),
    ("3-4-3", {"activation": "relu", "output_activation": "softmax", "loss": "cross_entropy"}),
    ("2-3-2", {"activation": "leaky_relu", "output_activation": "sigmoid", "loss": "bce"}),
    ("2-3-1", {"activation": "elu", "output_activation": "sigmoid", "loss": "bce"}),
    ("2-2-2-1", {"activation": ["silu", "softplus"], "l2": sp.Rational(1, 10)}),
    ("2-3-3-1", {"activation": sn.generic("f"), "bias": False}),
    ("2-4-4-4-1", {"activation": "sigmoid", "output_activation": "linear"}),
    ("3-2-3", {"activation": "tanh", "output_activation": "softmax", "loss": "cross_entropy",
               "bias": [True, False]}),
    ("4-3-2-1", {"activation": "linear", "loss": "mse"}),
]
CIRCUITS = [
    "q = x + y; f = q*z",
    "c = a + b; d = a*b; e = c + d; f = c*d; y = e + f",
    "s = 1/(1 + exp(-(w0*x0 + w1*x1 + w2)))",
    "a = x*y; b = max(a, z); c = b**2 + 2*b*x; L = c/(1 + x**2)",
    "h = tanh(u*x + w*h0); g = f(h*v); L = (g - t)**2",
    {sp.Symbol("L"): z * sp.Function("F")(x * y)},  # d/dx F(x*y): a Subs in a Dummy
]


def models():
    yield from (sn.Network(arch, **options) for arch, options in NETWORKS)
    yield from (sn.circuit(text) for text in CIRCUITS)
    yield from (sn.template(name) for name in sn.templates.TEMPLATES)


def ids():
    return [a for a, _ in NETWORKS] + [str(c) for c in CIRCUITS] + list(sn.templates.TEMPLATES)


@pytest.mark.parametrize("index", range(len(ids())), ids=ids())
def test_the_parts_a_sweep_remembers_are_the_ones_read_off_each_product(index):
    """A δ's coefficient, factors, sort keys and bases, remembered as it is made, are what
    reading them off the finished product gives."""
    model = list(models())[index]
    model.gradients()
    remembered = model.graph.sort_keys.get("parts", {}).values()
    assert remembered or index >= len(NETWORKS)
    for expr, parts in remembered:
        read = symnet.canonical._split(expr, {})
        assert parts is read is None or parts[:5] == read[:5], expr
        assert parts is None or not parts.quiet or read.quiet  # quiet: known to have none


@pytest.mark.parametrize("index", range(len(ids())), ids=ids())
def test_gradients_equal_a_sweep_of_plain_products_and_sums(index, plain):
    fast = list(models())[index]
    made = fast.gradients()
    plain()
    slow = list(models())[index]
    assert fast.definitions == slow.definitions
    for part in ("parents", "children", "leaves"):
        assert getattr(fast.graph, part) == getattr(slow.graph, part)
    expected = slow.gradients()
    assert list(made) == list(expected)
    for p in expected:
        same(made[p], expected[p])
    for p in list(expected)[:3]:  # derivations print as they did
        assert fast.derive(p).text() == slow.derive(p).text()
        assert fast.derive(p).latex() == slow.derive(p).latex()


class doubled(sp.Function):
    """A function whose derivative factors as 2*(1 - doubled(x)), which evaluation undoes."""

    def fdiff(self, argindex=1):
        return 2 - 2 * self


@pytest.mark.parametrize("name", ["a", "N1", "x", "z9"])
def test_an_activations_local_partial_is_its_derivative_factored(name, plain):
    """Every activation at a node named before or after the template's own variable, and at
    a node with an assumption (where SymPy may evaluate the derivative further)."""
    nodes = [sp.Symbol(name), sp.Symbol(name, positive=True), sp.Dummy(name)]
    cases = [(act(n), n) for n in nodes for act in (
        sp.tanh, sp.Heaviside, sp.Abs, sn.functions.sigmoid, sn.functions.relu,
        lambda n: sn.functions.leaky_relu(n, sp.Rational(1, 100)), sp.exp, sp.log, doubled)]
    made = [symnet.graph.Graph({sp.Symbol("h"): e}).local(sp.Symbol("h"), n) for e, n in cases]
    assert f"2*(1 - doubled({name}))" in {sn.text(v) for v in made}  # kept factored
    plain()
    for value, (e, n) in zip(made, cases):
        same(value, symnet.graph.Graph({sp.Symbol("h"): e}).local(sp.Symbol("h"), n))


SHAPES = [  # (term, the symbol it is differentiated by), written in symbols u and v
    lambda u, v: ((u - v) ** 2, v), lambda u, v: ((u - v) ** 2, u), lambda u, v: ((v - u) ** 2, v),
    lambda u, v: ((u - 2 * v) ** 2 / 2, v), lambda u, v: ((u - v) ** 3, v),
    lambda u, v: (-u * sp.log(v), v), lambda u, v: (-(1 - u) * sp.log(1 - v), v),
    lambda u, v: (sp.Abs(u - v), v), lambda u, v: (u * v * w, u), lambda u, v: ((u * v - w) ** 2, v),
    lambda u, v: (sp.exp(u - v) / (1 + sp.exp(u)), u), lambda u, v: (u / v, v),
    lambda u, v: ((u - v) ** 2.0, v), lambda u, v: ((u - 2.0 * v) ** 2, v),  # 2.0 is not 2
    lambda u, v: ((u - v) ** sp.Rational(5, 2), v), lambda u, v: ((v - u) ** 2, u),
]
NAMES = [("y", "yhat"), ("yhat", "y"), ("y10", "y9"), ("a", "z"), ("w", "x"), ("_01", "_00")]


@pytest.mark.parametrize("names", NAMES, ids=["-".join(n) for n in NAMES])
def test_a_terms_local_partial_is_its_derivative_factored_whatever_its_names(names, plain):
    """A term's local partial taken once per shape and renamed is the one taken afresh, for
    names in either order (SymPy orders plain symbols by name), beside a symbol with an
    assumption (taken afresh) and beside the places' own names."""
    u, v = sp.symbols(names)
    cases = [shape(u, v) for shape in SHAPES] + [shape(u, sp.Symbol(names[1], positive=True))
                                                 for shape in SHAPES[:3]]
    L = sp.Symbol("L")
    made = [symnet.graph.Graph({L: term}).local(L, var) for term, var in cases]
    plain()
    for value, (term, var) in zip(made, cases):
        same(value, symnet.graph.Graph({L: term}).local(L, var))
        if not term.has(sp.Abs):  # d|u| is sign(u) du, not SymPy's complex form
            same(value, sp.factor_terms(sp.diff(term, var)))


@pytest.mark.parametrize("names", NAMES, ids=["-".join(n) for n in NAMES])
def test_a_loss_square_is_the_one_sympy_evaluates(names):
    u, v = sp.symbols(names)
    for base in (u - v, v - u, u + v, u - 2 * v, -u - v, u - v + 1, u - sp.oo * v):
        same(symnet.losses._square(base), base ** 2)


def made_by_sympy(cls, *args):
    """``cls(*args)`` as SymPy's own ``Function._new_`` makes it (no cache)."""
    sp.core.cache.clear_cache()
    return sp.Function._new_.__func__(cls, *args)


@pytest.mark.parametrize("name", ["sigmoid", "relu", "softplus", "silu", "tanh_like"])
def test_an_activation_of_a_symbol_is_the_object_sympy_makes(name):
    """σ(N) is made without SymPy's Application.__new__ where eval leaves it as it is: the same
    tree, nargs and attributes; SymPy's own path where eval gives something (a number, a
    symbol with an assumption)."""
    if name == "tanh_like":  # a registered activation: its class is made at run time
        cls = sn.register_activation(name, lambda v: sp.tanh(v) / 2).function
    else:
        cls = getattr(sn.functions, name)
    try:
        for arg in [sp.Symbol("N1"), sp.Symbol("a"), sp.Symbol("_00"), sp.Symbol("z", positive=True),
                    sp.Integer(0), sp.Integer(-3), sp.Float(2.0), x + y]:
            sp.core.cache.clear_cache()
            made, expected = cls(arg), made_by_sympy(cls, arg)
            same(made, expected)
            assert type(made) is type(expected)
            assert getattr(made, "nargs", None) == getattr(expected, "nargs", None)
            assert getattr(made, "__dict__", {}).keys() == getattr(expected, "__dict__", {}).keys()
    finally:
        if name == "tanh_like":
            sn.unregister_activation(name)


@pytest.mark.parametrize("name, divides", [("sigmoid", False), ("tanh", False), ("elu", False),
                                           ("log_square", True)])
def test_a_graph_sees_a_division_in_an_activations_local_partial(name, divides):
    """Whether ∂h1/∂N1 divides is read once per activation, from its template: as ``atoms``
    finds it in the partial itself (log(1 + x²)' = 2x/(1 + x²) divides)."""
    if name == "log_square":
        sn.register_activation(name, lambda v: sp.log(1 + v**2))
    try:
        net = sn.Network("1-1-1", activation=name)
        h1, n1 = net.symbols["h1"], net.symbols["N1"]
        local = net.graph.local(h1, n1)
        assert net.graph.divides(local) is sn.printing.divides(local) is divides
    finally:
        if name == "log_square":
            sn.unregister_activation(name)


@pytest.mark.parametrize("name", ["w1", "x", "yhat", "N12", "_00", "L", "α", "h_1"])
def test_a_symbol_is_the_one_sympy_makes(name):
    made, expected = symbol(name), sp.Symbol(name)
    same(made, expected)
    assert hash(made) == hash(expected)
    assert made._assumptions0 == expected._assumptions0
    assert [made.is_commutative, made.is_real, made.is_zero] == [True, None, None]


UNASKED = [c for c in vars(sn.functions).values() if isinstance(c, type) and
           issubclass(c, sn.functions.Activated) and
           c.eval.__func__ in sn.functions._READS_ASSUMPTIONS]


def test_the_activations_made_without_eval_are_the_four_whose_eval_reads_assumptions():
    assert sorted(c.__name__ for c in UNASKED) == ["relu", "sigmoid", "silu", "softplus"]


@pytest.mark.parametrize("cls", UNASKED, ids=[c.__name__ for c in UNASKED])
def test_an_activation_made_without_eval_leaves_every_plain_symbol_alone(cls):
    """σ(N1) is made without asking eval where eval reads only assumptions, which a symbol
    without any leaves unknown; a subclass with an eval of its own is asked."""
    for name in ["N1", "x", "_00", "zero", "oo"]:
        assert cls.eval(sp.Symbol(name)) is None

    class Settled(cls):
        @classmethod
        def eval(cls, x):
            return sp.S.Half if getattr(x, "name", "").startswith("N") else None
    assert Settled(sp.Symbol("N1")) == sp.S.Half
