"""The :class:`Worksheet` and :func:`worksheet`: a network's or a circuit's derivation document
with numbers."""

import copy
import re

from ..circuits import Circuit
from ..derive import MAX_PATHS_SHOWN
from ..document import Code, Paragraph, render_markdown, render_notebook, render_tex
from ..errors import SymnetError
from ..files import path_of
from ..network import Network
from ..nice import nice_numbers
from ..pdf import compile_latex
from ..printing import printed_as
from ..values import exact_number, names, shown
from ..values import seed as check_seed
from . import code, slides
from .chain import gradient_section
from .circuit import backward_section, circuit_section
from .numbers import DIGITS, MAX_SAMPLES, circuit_numbers, circuit_point, compute, parameters
from .numbers import samples as read_samples
from .saving import check_output, key_path, save_all, suffix_of
from .sections import forward_section, network_section, no_update_section, title_section, update_section
from .steps import check_options, step_section


class Worksheet:
    """A derivation document for one network or circuit, made by :func:`worksheet`.

    ``.latex()``, ``.markdown()``, ``.notebook()``, ``.pdf()`` and ``.slides()`` (Beamer) give
    the document; ``.save(path)`` writes it by suffix (and the answer key beside an exercise
    sheet).  With numbers, ``.values`` (per sample, by name), ``.loss``, ``.gradient``,
    ``.new_params`` and ``.new_loss`` are the computed numbers as floats (a circuit's ``.loss``
    is its output's value).  ``.key`` is the answer key of an exercise sheet (``None``
    otherwise).  ``.step`` is the optimizer's step (:class:`symnet.sheets.steps.Step`; ``None``
    without a learning rate).  ``.sweep`` is a circuit's :class:`~symnet.sweep.Sweep`, its
    numbers on every node (``None`` for a network, or without numbers).
    """

    is_key = False     # the answer key of an exercise sheet
    student = False    # an exercise sheet: results are boxes

    def __init__(self, net, samples=None, params=None, lr=None, wrt=None, digits=DIGITS,
                 title=None, step=None):
        self.net, self.samples, self.params, self.lr = net, samples, params, lr
        self.circuit = isinstance(net, Circuit)
        self.step = step if lr is None or step is not None else check_options("sgd", lr, {})
        self.wrt = list(wrt) if wrt else list(net.params)
        self.digits, self.title = digits, title
        self.key = None
        self.derivations = {p: net.derive(p) for p in self.wrt}
        for p, d in self.derivations.items():
            if d.n_paths > MAX_PATHS_SHOWN and d.families is None:
                raise SymnetError(
                    f"a worksheet shows every chain-rule path, and ∂{d.of}/∂{p} has {d.n_paths} "
                    f"(at most {MAX_PATHS_SHOWN}); use a smaller "
                    f"{'circuit' if self.circuit else 'network'}, or fewer --wrt")
        if not samples:
            self.numbers = None
        elif self.circuit:
            self.numbers = circuit_numbers(net, self.derivations, samples[0], self.step)
        else:
            self.numbers = compute(net, self.derivations, samples, params, self.step)

    @property
    def sweep(self):
        return self.numbers.sweep if self.numbers else None

    @property
    def values(self):
        """Per sample, every quantity's value by name (floats)."""
        if not self.numbers:
            return None
        return [{str(k): float(v) for k, v in vals.items()} for vals in self.numbers.values]

    @property
    def loss(self):
        return float(self.numbers.loss) if self.numbers else None

    @property
    def gradient(self):
        """``{name: ∂L/∂name}`` of the loss over all samples, for every parameter (a circuit's
        ∂output/∂name for every leaf)."""
        if not self.numbers:
            return None
        return {str(p): float(v) for p, v in self.numbers.grad.items()}

    @property
    def new_params(self):
        if not self.numbers or self.lr is None:
            return None
        return {str(p): float(v) for p, v in self.numbers.new_params.items()}

    @property
    def new_loss(self):
        if not self.numbers or self.lr is None:
            return None
        return float(self.numbers.new_loss)

    def __repr__(self):
        n = len(self.samples) if self.samples else 0
        kind = " (exercises)" if self.student else " (answer key)" if self.is_key else ""
        if self.circuit:
            return (f"<Worksheet circuit of {self.net.output}{kind}: "
                    f"{'a point' if n else 'no numbers'}, {len(self.wrt)} of "
                    f"{len(self.net.leaves)} leaves derived>")
        return (f"<Worksheet {self.net.arch}{kind}: {n} sample{'s' * (n != 1)}, "
                f"{len(self.wrt)} of {len(self.net.params)} parameters derived>")

    def latex(self):
        """The worksheet as a standalone LaTeX document (compiles with pdflatex)."""
        with self._named():
            return render_tex(self._blocks())

    def markdown(self):
        """The worksheet as Markdown with ``$…$`` / ``$$…$$`` math."""
        with self._named():
            return render_markdown(self._blocks())

    def notebook(self):
        """The worksheet as an nbformat-4 notebook (JSON text): markdown and code cells."""
        with self._named():
            return render_notebook(self._blocks(code=True))

    def _named(self):
        """Print the nodes in the network's notation (Nielsen's z^l_j, Mazur's net_h1)."""
        return printed_as(getattr(self.net, "printed_names", None))

    def pdf(self):
        """The worksheet compiled to PDF (bytes); needs pdflatex."""
        return compile_latex(self.latex())[0]

    def slides(self):
        """The derivation as Beamer slides (LaTeX): one frame per parameter, the chain built up
        factor by factor, the numbers on the last overlay."""
        with self._named():
            return slides.beamer(self)

    def render(self, suffix, slides=False):
        """The document for a file suffix: ``.tex``, ``.md``, ``.ipynb`` (text) or ``.pdf``;
        ``slides=True``: Beamer slides (``.tex`` or ``.pdf``)."""
        suffix = suffix_of("x" + suffix, (".tex", ".pdf") if slides else SUFFIXES_ALL)
        if slides:
            tex = self.slides()
            return compile_latex(tex)[0] if suffix == ".pdf" else tex
        return {".tex": self.latex, ".md": self.markdown, ".ipynb": self.notebook,
                ".pdf": self.pdf}[suffix]()

    def save(self, path, slides=False):
        """Write the worksheet to ``path`` by its suffix; an exercise sheet's key goes beside it
        (``sheet.pdf`` and ``sheet-key.pdf``).  Every file is written completely or not at all,
        and the sheet and its key together.  Returns the paths written."""
        path = path_of(path)
        check_output(path, (".tex", ".pdf") if slides else SUFFIXES_ALL)
        suffix = suffix_of(path, (".tex", ".pdf") if slides else SUFFIXES_ALL)
        jobs = [(path, self)] + ([(key_path(path), self.key)] if self.key is not None else [])
        return save_all([(p, ws.render(suffix, slides)) for p, ws in jobs])

    def _repr_markdown_(self):
        return self.markdown()

    def _blocks(self, code=False):
        return _document(self, code)


SUFFIXES_ALL = (".tex", ".pdf", ".md", ".ipynb")


def _document(ws, with_code):
    """The worksheet's blocks, section by section; a notebook gets code cells between."""
    def cell(source):
        return [Code(source)] if with_code else []

    blocks = title_section(ws)
    if with_code and ws.student:
        blocks.append(Paragraph(["The code cells compute the answers with symnet: run them "
                                 "after filling in the boxes, to check your work."]))
    if ws.circuit:
        blocks += cell(code.circuit_code(ws.net)) + circuit_section(ws)
        if ws.numbers:
            blocks += cell(code.point_code(ws.samples[0])) + forward_section(ws)
            blocks += backward_section(ws)
    else:
        blocks += cell(code.network_code(ws.net)) + network_section(ws)
        if ws.numbers:
            blocks += cell(code.data_code(ws.net, ws.samples, ws.params)) + forward_section(ws)
            blocks += cell("model.predict(params, X), model.loss(params, X, Y)")
    blocks += gradient_section(ws)
    model = "circuit" if ws.circuit else "net"
    if ws.numbers:
        blocks += cell(code.CIRCUIT_GRADIENT if ws.circuit else
                       "gradient = model.gradient(params, X, Y)\ngradient")
    else:
        names = ", ".join(f'"{p}"' for p in ws.wrt)
        blocks += cell(f"{{name: sn.text({model}.derive(name).result) for name in [{names}]}}")
    if ws.lr is None:  # a circuit's output need not be a loss: it says nothing of a step
        return blocks + ([] if ws.circuit else no_update_section(ws))
    blocks += update_section(ws) if ws.step.plain else step_section(ws)
    if ws.numbers:
        blocks += cell(code.circuit_step_code(ws.lr) if ws.circuit else code.step_code(ws.lr)
                       if ws.step.plain else code.optimizer_code(ws.step))
    return blocks


def asked(net, name):
    """The symbol a derivative is asked by: a network's parameter, or any leaf of a circuit."""
    return net.leaf(name) if isinstance(net, Circuit) else net.param(name)


def _choose(net, wrt):
    if isinstance(wrt, str):
        wrt = [w for w in re.split(r"[,\s]+", wrt) if w]
    elif wrt is not None and not isinstance(wrt, (list, tuple)):  # a list may hold Symbols
        wrt = names(wrt, "wrt", "['w1', 'b3']")
    chosen = []
    for name in wrt or []:
        p = asked(net, name)
        if p not in chosen:
            chosen.append(p)
    return chosen or None


def _check(net, digits, seed, samples_n):
    if not isinstance(net, (Network, Circuit)):
        raise SymnetError("worksheet() takes a symnet Network or Circuit, e.g. "
                          "sn.Network('2-2-1') or sn.circuit('q = x + y; f = q*z')")
    if isinstance(net, Circuit) and samples_n != 1:
        raise SymnetError("a circuit's worksheet has one point; samples (--samples) is for a "
                          "network's data")
    if not isinstance(digits, int) or isinstance(digits, bool) or not 1 <= digits <= 15:
        raise SymnetError(f"digits must be a whole number from 1 to 15, got {shown(digits)}")
    if samples_n != 1 and seed is None:
        raise SymnetError("samples (--samples) says how many data points a seed draws; "
                          "give a seed (--seed) too")
    if seed is not None:
        seed = check_seed(seed)
        if not isinstance(samples_n, int) or not 1 <= samples_n <= MAX_SAMPLES:
            raise SymnetError(f"samples must be from 1 to {MAX_SAMPLES}, got {shown(samples_n)}")
    return seed


def worksheet(net, at=None, params=None, lr=None, wrt=None, digits=DIGITS, exercises=False,
              seed=None, samples=1, title=None, optimizer="sgd", **options):
    """A worksheet walking ``net`` through the lecture: definitions, forward pass, chain rule,
    one step of gradient descent (or of another optimizer).

    * ``at``: a data point ``{"x1": 1, "x2": 0, "y": 1}``, a list of such dicts, or a dict of
      lists (a small table of samples); every input and target must be given.
    * ``params``: ``{"w1": 0.15, …}``, every parameter.
    * ``seed``: draw "nice" numbers (one or two decimals, :func:`symnet.nice.nice_numbers`) for
      whatever of ``at`` and ``params`` is not given (``samples`` data points); the same seed
      gives the same worksheet, and ``draw --seed`` the same numbers.
    * ``lr``: the learning rate α of the step (none: the sheet says that no step is shown).
    * ``optimizer``: the step's rule, a name of :func:`symnet.optimizers.names` (default
      ``"sgd"``, ``w − α ∂L/∂w``), with its ``options`` by PyTorch's names (``momentum``,
      ``betas``, ``eps``, ``alpha``, ``weight_decay``, …).  The update section shows the rule
      (:func:`symnet.update_rule`) and its first step from the optimizer's initial state.
    * ``wrt``: the parameters to derive (default: all of them).
    * ``digits``: significant digits shown (numbers are computed to 30).
    * ``exercises``: results become blanks; ``.key`` is the answer key, and ``save`` writes it
      beside the sheet.  Sheet and key ask for the same parameters.

    Numbers need both ``at`` and ``params`` (or ``seed``); without them the worksheet is
    symbolic.

    >>> import symnet as sn
    >>> ws = sn.worksheet(sn.Network("2-2-1", loss="half_sse"),
    ...                   at={"x1": 0.05, "x2": 0.1, "y": 0.01},
    ...                   params=dict(w1=.15, w2=.2, w3=.25, w4=.3, w5=.4, w6=.45,
    ...                               b1=.35, b2=.35, b3=.6), lr=0.5)
    >>> round(ws.loss, 6), round(ws.gradient["w5"], 6), round(ws.new_params["w5"], 6)
    (0.421018, 0.346403, 0.226798)
    >>> adam = sn.worksheet(ws.net, at={"x1": 0.05, "x2": 0.1, "y": 0.01},
    ...                     params=ws.new_params, lr=0.01, optimizer="adam")
    >>> round(adam.new_params["w5"], 6)  # Adam's first step: w − α g/(|g| + ε)
    0.216798

    A :class:`~symnet.circuits.Circuit` (``sn.circuit``) has one point: ``at`` gives every
    leaf's value (or ``params`` the parameters' and ``at`` the rest), ``seed`` draws whole
    numbers; ``wrt`` names leaves (default: its parameters).  After the forward pass its sheet
    shows the backward pass, every node's gradient and how each gate routes it; a step, of
    plain gradient descent, only with ``lr`` (the output need not be a loss).

    >>> c = sn.worksheet(sn.circuit("q = x + y; f = q*z"), at={"x": -2, "y": 5, "z": -4})
    >>> c.loss, c.gradient
    (-12.0, {'x': -4.0, 'y': -4.0, 'z': 3.0})
    """
    seed = _check(net, digits, seed, samples)
    if seed is not None:
        drawn_at, drawn_params = nice_numbers(net, seed, samples)
        at = drawn_at if at is None else at
        params = drawn_params if params is None else params
    if isinstance(net, Circuit):
        return _finish(_circuit_sheet(net, at, params, lr, wrt, digits, title, optimizer,
                                      options), exercises)
    if (at is None) != (params is None):
        given = "a data point" if params is None else "parameters"
        raise SymnetError("numbers need both a data point (--at, at=) and parameters "
                          f"(--params, params=), and only {given} is given; give both, or a "
                          "seed (--seed) to draw the other")
    sample_list = read_samples(net, at) if at is not None else None
    if sample_list and len(sample_list) > 1 and net.l2 and net.loss.reduction == "sum":
        # the sheet sums each sample's L, penalty included; training counts the penalty once
        raise SymnetError(f"a worksheet of several samples with l2 needs a mean loss: {net.loss.name} "
                          "sums the samples' losses, which would count the penalty once per sample; "
                          "use loss='mse' or one sample")
    param_values = parameters(net, params) if params is not None else None
    lr = _learning_rate(lr)
    step = check_options(optimizer, lr, options)
    sheet = Worksheet(net, sample_list, param_values, lr, _choose(net, wrt), digits, title, step)
    return _finish(sheet, exercises)


def _learning_rate(lr):
    if lr is not None:
        lr = exact_number(lr, "the learning rate lr")
        if lr <= 0:
            raise SymnetError(f"the learning rate lr must be positive, got {float(lr):g}")
    return lr


def _circuit_sheet(circuit, at, params, lr, wrt, digits, title, optimizer, options):
    """A circuit's worksheet: numbers at one point (``at`` and ``params`` give the leaves'
    values); a step of plain gradient descent only with ``lr`` and some parameters."""
    point, param_values = circuit_point(circuit, at, params)
    lr = _learning_rate(lr)
    step = check_options(optimizer, lr, options)
    if step is not None and not circuit.params:
        raise SymnetError("this circuit has no parameters to take a step with; leave out lr, "
                          "or name its parameters (params=)")
    if step is not None and not step.plain:
        raise SymnetError("a circuit's worksheet steps by plain gradient descent (optimizer "
                          "'sgd', no options); the other optimizers' sheets are a network's")
    return Worksheet(circuit, point, param_values, lr, _choose(circuit, wrt), digits, title, step)


def _finish(sheet, exercises):
    """``sheet``, or with ``exercises`` the student's sheet with its key in ``.key``."""
    if not exercises:
        return sheet
    key = copy.copy(sheet)
    key.is_key = True
    sheet.student = True
    sheet.key = key
    return sheet
