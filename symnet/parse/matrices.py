"""Matrix expressions as students write a vectorized backward pass: ``@``, ``·`` and ``np.dot``
for the matrix product, ``*`` and ``⊙`` elementwise, ``ᵀ``, ``.T`` and ``^T`` for the transpose,
``np.sum(…, axis=…, keepdims=…)`` and ``Σ`` over the batch, ``1/m``, and LaTeX (``\\odot``,
``^{\\top}``, ``\\frac``, Ng's ``W^{[2]}``).

The text is read token by token into a small tree of tuples ``(op, *args)`` (never ``eval``):
``("name", "W2")``, ``("num", Rational)``, ``("matmul", a, b)``, ``("mul", a, b)`` (elementwise),
``("add", a, b)``, ``("sub", a, b)``, ``("div", a, b)``, ``("neg", a)``, ``("pow", a, k)``,
``("T", a)``, ``("sum", a, axis, keepdims)`` (axis ``"batch"`` for Σ), ``("fn", name, a)``
(an elementwise function: tanh, sigmoid, exp, log, relu, step, and ``name'`` for a derivative),
``("gt", a)`` (a > 0, as 0 or 1).

>>> parse_matrix("(1/m) * dZ2 @ A1.T")  # @ and * bind alike, from the left, as in Python
('matmul', ('mul', ('div', ('num', 1), ('name', 'm')), ('name', 'dZ2')), ('T', ('name', 'A1')))
>>> parse_matrix(r"\\frac{1}{m} dZ^{[2]} A^{[1]\\top}") == parse_matrix("1/m dZ2 A1ᵀ")
True
>>> parse_matrix_lines("dZ2 = A2 - Y; db2 = np.sum(dZ2, axis=1, keepdims=True)")[1]
('db2', ('sum', ('name', 'dZ2'), 1, True))
"""

import re

import sympy as sp

from ..errors import ParseError
from .tokens import MAX_LENGTH, check_name, normalize

FUNCTIONS = {"tanh": "tanh", "sigmoid": "sigmoid", "sigma": "sigmoid", "exp": "exp",
             "log": "log", "relu": "relu", "ReLU": "relu", "square": "square"}
#: what the reader takes, for its error messages
MATRIX_ALLOWED = ("names, numbers, + - / **, @ · np.dot for the matrix product, * ⊙ for the "
                  "elementwise product, ᵀ .T ^T, np.sum(…, axis=…, keepdims=…), Σ, ( ), and "
                  "tanh, sigmoid (σ), exp, log, relu, σ'(Z)")

_LATEX = [(r"\\left|\\right", ""), (r"\\odot", " ⊙ "), (r"\\circ", " ⊙ "), (r"\\cdot", " · "),
          (r"\\times", " ⊙ "), (r"\\top", "T"), (r"\\intercal", "T"), (r"\\sum(_\{[^{}]*\})?", " Σ "),
          (r"\\sigma", " sigma"), (r"\\tanh", " tanh"), (r"\\exp", " exp"), (r"\\log", " log"),
          (r"\\operatorname\{(\w+)\}", r" \1"), (r"\\mathrm\{(\w+)\}", r" \1"),
          (r"\\delta", " delta"), (r"\\[,;!: ]", " "), (r"\\quad", " ")]
_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<number>[0-9]+(?:\.[0-9]+)?)
  | (?P<name>(?:np\.)?[A-Za-z][A-Za-z0-9_]*'?)
  | (?P<op>\*\*|\.T\b|[-+*/^(),@=⊙·ᵀΣ>\[\]{}])
""", re.VERBOSE)


def _from_latex(text):
    r"""LaTeX spellings as plain ones: \frac{a}{b} → ((a)/(b)), W^{[2]} → W2, ^{T} → ᵀ."""
    for pattern, plain in _LATEX:
        text = re.sub(pattern, plain, text)
    for _ in range(MAX_LENGTH):  # innermost first, so nested fractions come out right
        new = re.sub(r"\\frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}", r"((\1)/(\2))", text)
        if new == text:
            break
        text = new
    text = re.sub(r"\^\s*\{\s*\[(\d+)\]\s*(T?)\s*\}", r"\1 ^{\2}", text)  # A^{[1]T}, Ng's index
    text = re.sub(r"\^\s*\{\s*\}", "", text)
    text = re.sub(r"\^\s*\{\s*T\s*\}|\^\s*T\b", "ᵀ", text)
    text = re.sub(r"_\{(\d+)\}|_(\d)", r"\1\2", text)
    if "\\" in text:
        at = text.index("\\")
        raise ParseError(f"unknown LaTeX {text[at:at + 12]!r}; allowed: {MATRIX_ALLOWED}")
    return text.replace("{", "(").replace("}", ")")


def _tokens(text):
    if len(text) > MAX_LENGTH:
        raise ParseError(f"input is {len(text)} characters long; at most {MAX_LENGTH} are accepted")
    text = _from_latex(text.replace("·", " @ ").replace("⋅", " @ ").replace("∘", " ⊙ "))
    text, _ = normalize(text.replace("σ", "sigma").replace("δ", "delta").replace("Σ", "¤"))
    text = text.replace("¤", "Σ")  # Σ is the batch's sum here, not the letter Sigma
    text = re.sub(r"\b([A-Za-z]+)\[(\d+)\]", r"\1\2", text)  # Ng's Z[1] in plain text
    text = re.sub(r"\b([A-Za-z]+)_(\d+)\b", r"\1\2", text)  # W_2, W₂ → W2
    out, pos = [], 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            raise ParseError(f"unexpected character {text[pos]!r} in a matrix expression; "
                             f"allowed: {MATRIX_ALLOWED}")
        if m.lastgroup != "space":
            out.append((m.lastgroup, m.group()))
        pos = m.end()
    return out


class _Reader:
    def __init__(self, text):
        self.tokens, self.i = _tokens(text), 0

    def peek(self, value=None):
        t = self.tokens[self.i] if self.i < len(self.tokens) else (None, None)
        return t if value is None else t[1] == value

    def take(self, value=None):
        t = self.peek()
        if value is not None and t[1] != value:
            raise ParseError(f"expected {value!r} but found {t[1] or 'the end'!r} in a matrix "
                             "expression")
        self.i += 1
        return t

    def expr(self):
        node = self.term()
        while self.peek()[1] in ("+", "-"):
            op = "add" if self.take()[1] == "+" else "sub"
            node = (op, node, self.term())
        return node

    def term(self):
        node = self.unary()
        while True:
            kind, value = self.peek()
            if value in ("@", "*", "⊙", "/"):
                self.take()
                node = ({"@": "matmul", "/": "div"}.get(value, "mul"), node, self.unary())
            elif kind in ("name", "number") or value in ("(", "Σ"):  # juxtaposed: a product
                node = ("matmul", node, self.unary())
            else:
                return node

    def unary(self):
        if self.peek("-"):
            self.take()
            return ("neg", self.unary())
        if self.peek("+"):
            self.take()
        return self.power()

    def power(self):
        node = self.postfix(self.atom())
        if self.peek()[1] in ("**", "^"):
            self.take()
            kind, value = self.take()
            if kind != "number" or "." in value:
                raise ParseError(f"an exponent is a whole number, not {value!r}")
            node = ("pow", node, int(value))
        return self.postfix(node)

    def postfix(self, node):
        while self.peek()[1] in ("ᵀ", ".T"):
            self.take()
            node = ("T", node)
        return node

    def atom(self):
        kind, value = self.take()
        if kind == "number":
            return ("num", sp.Rational(value))
        if value == "(":
            node = self.expr()
            if self.peek(">"):  # (Z1 > 0)
                self.take(), self.take("0")
                node = ("gt", node)
            self.take(")")
            return node
        if value == "Σ":
            return ("sum", self.power(), "batch", True)
        if kind == "name":
            return self.call(value) if self.peek("(") else ("name", check_name(value))
        raise ParseError(f"unexpected {value or 'end'!r} in a matrix expression; allowed: "
                         f"{MATRIX_ALLOWED}")

    def call(self, name):
        self.take("(")
        args, options = [], {}
        while not self.peek(")"):
            if self.peek()[0] == "name" and self.tokens[self.i + 1:self.i + 2] == [("op", "=")]:
                key = self.take()[1]
                self.take("=")
                options[key] = self.take()[1]
            else:
                args.append(self.expr())
            if not self.peek(","):
                break
            self.take(",")
        self.take(")")
        base = name[3:] if name.startswith("np.") else name
        if base in ("dot", "matmul") and len(args) == 2:
            return ("matmul", *args)
        if base == "multiply" and len(args) == 2:
            return ("mul", *args)
        if base == "sum" and len(args) == 1 and set(options) <= {"axis", "keepdims"}:
            axis = options.get("axis", "None")
            if axis not in ("0", "1", "None"):
                raise ParseError(f"np.sum's axis is 0, 1 or None, not {axis!r}")
            return ("sum", args[0], None if axis == "None" else int(axis),
                    options.get("keepdims", "False") == "True")
        if base == "power" and len(args) == 2 and args[1][0] == "num":
            return ("pow", args[0], int(args[1][1]))
        if base == "maximum" and len(args) == 2 and ("num", 0) in args:
            return ("fn", "relu", next(a for a in args if a != ("num", 0)))
        if base.rstrip("'") in FUNCTIONS and len(args) == 1 and not options:
            return ("fn", FUNCTIONS[base.rstrip("'")] + "'" * base.endswith("'"), args[0])
        raise ParseError(f"unknown function {name!r} with {len(args)} argument(s) in a matrix "
                         f"expression; allowed: {MATRIX_ALLOWED}")


def parse_matrix(text):
    """The tree of a matrix expression (see the module docstring); a ParseError otherwise."""
    reader = _Reader(text)
    node = reader.expr()
    if reader.i != len(reader.tokens):
        raise ParseError(f"unexpected {reader.peek()[1]!r} after a complete matrix expression; "
                         f"allowed: {MATRIX_ALLOWED}")
    return node


def parse_matrix_lines(text):
    """``[(name, tree)]`` for lines ``name = expression`` (separated by newlines or ``;``)."""
    out = []
    for line in re.split(r"[\n;]", text):
        if not line.strip():
            continue
        if line.count("=") - len(re.findall(r"(axis|keepdims)\s*=", line)) != 1:
            raise ParseError(f"each line is 'name = expression', as in 'dW2 = (1/m) dZ2 @ A1.T'; "
                             f"got {line.strip()[:60]!r}")
        at = re.search(r"(?<![a-z])=", line).start()
        lhs = [v for _, v in _tokens(line[:at])]
        if len(lhs) != 1:
            raise ParseError(f"the left side of {line.strip()[:60]!r} is one name, like dW2")
        out.append((check_name(lhs[0]), parse_matrix(line[at + 1:])))
    return out


_SYMBOLS = {"matmul": " @ ", "mul": " * ", "add": " + ", "sub": " - ", "div": "/"}
_RANK = {"add": 1, "sub": 1, "matmul": 2, "mul": 2, "div": 2, "neg": 3, "pow": 4}


def show_matrix(tree, rank=0):
    """A matrix expression's tree as text, in NumPy's spelling.

    >>> show_matrix(parse_matrix("W2ᵀ dZ2 ⊙ (1 − A1²)"))
    'W2.T @ dZ2 * (1 - A1**2)'
    """
    op, *args = tree
    if op == "name":
        return args[0]
    if op == "num":
        return str(args[0])
    if op == "T":
        return show_matrix(args[0], 5) + ".T"
    if op == "fn":
        return f"{args[0]}({show_matrix(args[1])})"
    if op == "gt":
        return f"({show_matrix(args[0])} > 0)"
    if op == "sum":
        axis = "batch" if args[1] == "batch" else args[1]
        return f"np.sum({show_matrix(args[0])}, axis={axis}, keepdims={args[2]})"
    mine = _RANK[op]
    if op == "neg":
        out = "-" + show_matrix(args[0], mine)
    elif op == "pow":
        out = f"{show_matrix(args[0], 5)}**{args[1]}"
    else:
        right = show_matrix(args[1], mine + (op in ("sub", "div", "matmul", "mul")))
        scalar = op == "matmul" and (args[0][0] == "num" or args[0][0] == "div" and args[0][1][0] == "num")
        out = show_matrix(args[0], mine) + (" * " if scalar else _SYMBOLS[op]) + right
    return f"({out})" if mine < rank else out


def subtrees(tree, path=()):
    """Every ``(path, subtree)`` of a tree, the whole first; a path is the child indices."""
    yield path, tree
    if tree[0] not in ("name", "num"):
        for i, child in enumerate(tree[1:], start=1):
            if isinstance(child, tuple):
                yield from subtrees(child, path + (i,))


def replaced(tree, path, new):
    """``tree`` with the subtree at ``path`` replaced by ``new``."""
    if not path:
        return new
    i = path[0]
    return tree[:i] + (replaced(tree[i], path[1:], new),) + tree[i + 1:]
