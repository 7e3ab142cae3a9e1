"""Reading a student's answer (plain, Unicode or LaTeX, with an optional left side ∂L/∂w =),
definitions for ``chain``, and ``name=value`` lists."""

import re

import sympy as sp

from ..bounds import check_count, check_definitions
from ..errors import ParseError, SymnetError
from ..generics import generics_in
from ..symbols import Delta, Partial
from ..values import number_text
from .grammar import Parser, parse_expression
from .latex import latex_to_plain
from .tokens import MAX_LENGTH, check_name

_MATH_DELIMITERS = re.compile(r"^\s*(\$\$|\$|\\\(|\\\[)(.*?)(\$\$|\$|\\\)|\\\])\s*$", re.S)
# a local factor written by its node's name, its definition beside (as derivations print it):
# "yhat1*(1 - yhat1), where yhat1 = softmax(1, N3, N4)"; in LaTeX "… \quad \text{where } …"
_WHERE = re.compile(r"^(.*?)\s*(?:,|\\quad)?\s*(?:\\text\{\s*where\s*\}|\bwhere\b)(.*)$", re.S)


def parse_answer(text, names=None, *, net=None, wrt=None, keep_partials=False):
    r"""Parse a student's answer, plain (``2*(yhat - y)*N1``), Unicode (``2(ŷ − y)·N₁``) or
    LaTeX (``2(\hat{y}-y)N_{1}``, also inside ``$…$``).

    ``names`` maps every accepted spelling of a name to its Symbol (see :func:`spellings`;
    default: the spellings of ``net``'s symbols).  ``net`` (a Network, or any graph with
    ``definitions`` and ``output``) lets f'(z) and g'(z) mean the derivative of the activation of
    the layer z belongs to, and ∂L/∂N1 mean δ of N1 (with ``keep_partials``, it stays a
    :class:`~symnet.symbols.Partial`, as in a written chain rule); the generic functions the
    graph applies (:mod:`symnet.generics`) are read too, ``NL(N1)`` and its derivative
    ``NL'(N1)``, and no other: ``f(N1)`` on a graph without f is an unknown function.  The
    answer may start with a
    left side, ``∂L/∂w5 = …``; with ``wrt`` (the parameter asked about) a left side naming
    another is refused.

    Notation read (beside plain math): σ'(z), sigmoid'(z), tanh'(z), relu'(z) … for every
    registered activation (the closed-form derivative); θ(z), H(z), Heaviside(z) and the Iverson
    bracket [z > 0] for the step (0 at 0, like ReLU'; [z ≥ 0] and Heaviside(z, v) give 1 and v at
    0); tanh²(z), tanh^2(z), σ²(z) for (tanh z)²; sech; δ1, δ_1, δ_N1 for ∂L/∂N1 (a
    :class:`~symnet.symbols.Delta`); ∂A/∂B, dA/dB and \frac{\partial A}{\partial B}.

    >>> N1, y, yhat = sp.symbols("N1 y yhat")
    >>> parse_answer(r"2(\hat{y}-y)N_{1}", spellings([N1, y, yhat]))
    2*N1*(-y + yhat)
    >>> parse_answer("σ'(N₁)", spellings([N1]))
    (1 - sigmoid(N1))*sigmoid(N1)
    """
    if not isinstance(text, str):
        raise ParseError(f"expected a string, got {type(text).__name__}")
    if names is None and net is not None:
        names = spellings(net.symbols.values())
    if len(text) > MAX_LENGTH:
        raise ParseError(f"input is {len(text)} characters long; at most {MAX_LENGTH} are accepted")
    m = _MATH_DELIMITERS.match(text)
    if m:
        text = m.group(2)
    where = _WHERE.match(text)
    if where:
        text = where.group(1)
    if "\\" in text or "{" in text or "}" in text:
        text = latex_to_plain(text)
    names = {"e": sp.E, **names} if names is not None else None
    if where:
        _check_where(where.group(2), names, net)
    lhs, rhs = _sides(text)
    if lhs is not None:
        _check_left_side(lhs, names, net, wrt)
    return parse_expression(rhs, names, net, keep_partials=keep_partials,
                            generics=getattr(net, "generic_functions", None))


def _check_where(clause, names, net):
    """A where clause must define a node of the network as the network does."""
    if "\\" in clause or "{" in clause:
        clause = latex_to_plain(clause)
    lhs, rhs = _sides(clause)
    if lhs is None:
        raise ParseError(f"'where' must be followed by name = definition; got {clause.strip()!r}")
    node = Parser(lhs, names, None).parse()
    definitions = getattr(net, "definitions", {})
    if node not in definitions:
        raise ParseError(f"'where' defines {lhs.strip()!r}, which is no node of the network")
    given = parse_expression(rhs, names, net, generics=getattr(net, "generic_functions", None))
    if given != definitions[node]:
        raise ParseError(f"'where' defines {node} as {given}, but the network has "
                         f"{node} = {definitions[node]}")


def _sides(text):
    parts = re.split(r"(?<![<>=])=(?!=)", text)
    if len(parts) == 1:
        return None, text
    if len(parts) > 2 or "==" in text:
        raise ParseError("an answer is one expression, or one equation ∂L/∂w5 = expression; "
                         "for a derivation line by line use check_derivation")
    if not parts[1].strip():
        raise ParseError(f"nothing after '=' in {text.strip()!r}; write ∂L/∂w5 = expression")
    return parts


def _check_left_side(lhs, names, net, wrt):
    side = Parser(lhs, names, None).parse()
    output = getattr(net, "output", None) or (names or {}).get("L") or sp.Symbol("L")
    wanted = None
    if wrt is not None:
        wanted = (names or {}).get(str(wrt), wrt if isinstance(wrt, sp.Symbol) else sp.Symbol(str(wrt)))
    target = f"∂{output}/∂{wanted}" if wanted is not None else f"∂{output}/∂w5"
    if isinstance(side, Delta):
        side = Partial(output, side.node)
    if not isinstance(side, Partial) or side.num != output:
        raise ParseError(f"the left side {lhs.strip()!r} is not ∂{output}/∂…; write "
                         f"{target} = … or the expression alone")
    if wanted is not None and side.den != wanted:
        raise ParseError(f"the left side is ∂{output}/∂{side.den}, but the question asks for "
                         f"{target}; write {target} = …")


def spellings(symbols):
    """Every accepted spelling of each symbol: w5, w_5 (w_{5} in LaTeX); yhat1, yhat_1, y_hat1.

    >>> sorted(spellings([sp.Symbol("yhat1")]))
    ['y_hat1', 'y_hat_1', 'yhat1', 'yhat_1']
    """
    out = {}
    for s in symbols:
        name = s.name
        m = re.fullmatch(r"([A-Za-z]+)(\d*)", name)
        variants = {name}
        if m:
            stem, digits = m.groups()
            stems = {stem} | ({stem[:-3] + "_hat"} if stem.endswith("hat") and len(stem) > 3 else set())
            for st in stems:
                variants |= {st + digits} | ({f"{st}_{digits}"} if digits else set())
        for v in variants:
            out[v] = s
    return out


def parse_definitions(text):
    """Parse ``"m = x**2; z = m**2"`` (or a list of such strings) into ``{m: x**2, z: m**2}``.

    Definitions are separated by ';' or new lines; each is ``name = expression``, and a name is
    defined once, before any use.  The expression is plain math, with the functions of
    :func:`~symnet.parse.known_functions` (max and min among them, ``max(a, b, …)``).  A name
    written directly before '(' that is neither a known function, nor defined, nor used as a
    plain symbol in the same definition is a generic function (:mod:`symnet.generics`):
    ``y = f(x)`` is f applied to x, whose derivative is f'(x), not the product f·x (write
    f*(x) for that).  A name is a function or a symbol, not both.

    >>> parse_definitions(["a = x + 1", "b = a*x"])
    {a: x + 1, b: a*x}
    >>> parse_definitions("x = f(w); y = f(x); z = f(y)")
    {x: f(w), y: f(x), z: f(y)}
    """
    if not isinstance(text, (str, list, tuple)):
        raise ParseError(f"definitions are text like 'm = x**2; z = m**2', or a list of such "
                         f"strings; got {type(text).__name__}")
    parts = text if isinstance(text, (list, tuple)) else re.split(r"[;\n]", text)
    check_count(parts)  # before any is parsed
    definitions = {}
    used = set()
    generics, names = {}, set()  # the generic functions and the symbols' names so far
    for part in parts:
        if not isinstance(part, str):
            raise ParseError(f"expected a definition 'name = expression', got {part!r}")
        if not part.strip():
            continue
        lhs, eq, rhs = part.partition("=")
        name = lhs.strip()
        if not eq or "=" in rhs or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise ParseError(f"{part.strip()!r} is not a definition; expected 'name = expression', "
                             "e.g. 'm = x**2'")
        symbol = sp.Symbol(check_name(name))
        if symbol in definitions:
            raise ParseError(f"{name} is defined twice")
        if symbol in used:
            raise ParseError(f"{name} is used before it is defined")
        # padded so that positions in errors count in the definition as written
        expr = parse_expression(" " * (len(lhs) + 1) + rhs, plain_names={str(s) for s in definitions},
                                generics=generics, new_generics=True)
        if symbol in expr.free_symbols:
            raise ParseError(f"{name} is defined in terms of itself")
        used |= expr.free_symbols
        _check_function_names(generics, generics_in([expr]), names,
                              {name, *map(str, expr.free_symbols)})
        definitions[symbol] = expr
    if not definitions:
        raise ParseError("no definitions given; expected 'name = expression', e.g. 'm = x**2'")
    check_definitions(definitions)  # a name carries its definition's size into later ones
    return definitions


def _check_function_names(generics, new_generics, names, new_names):
    """Refuse a name that is both a generic function and a symbol (which f would f' be?), then
    add a definition's generic functions and names to those so far."""
    both = sorted({f for f in new_generics if f in names or f in new_names} |
                  {n for n in new_names if n in generics})
    if both:
        f = both[0]
        raise ParseError(f"{f} is used both as a function, {f}(…), and as a symbol; give them "
                         f"different names, or write {f}*(…) for a product")
    generics.update(new_generics)
    names |= new_names


def parse_assignments(text):
    """``"x1=1,x2=0,y=0.5"`` → ``{"x1": 1.0, "x2": 0.0, "y": 0.5}``: plain floats, never eval.

    >>> parse_assignments("x1=1, w1=.15,y=-2e-1")
    {'x1': 1.0, 'w1': 0.15, 'y': -0.2}
    """
    if len(text) > MAX_LENGTH:
        raise ParseError(f"input is {len(text)} characters long; at most {MAX_LENGTH} are accepted")
    out = {}
    for part in text.split(","):
        name, eq, value = (s.strip() for s in part.partition("="))
        if not eq or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", name):
            raise ParseError(f"{part.strip()!r} is not name=value; expected a list like "
                             "x1=1,x2=0,y=1")
        try:
            number = number_text(value, name)  # the one number syntax, as everywhere
        except SymnetError as exc:
            raise ParseError(str(exc)) from None
        if name in out:
            raise ParseError(f"{name} is given twice")
        out[name] = number
    return out
