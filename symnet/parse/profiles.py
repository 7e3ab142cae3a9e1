"""Notation profiles: how the books name a network's quantities, one entry per profile.

symnet's own names (the seed's) are N1 (a weighted sum), h1 (a hidden output), yhat, δ, L and n.
The books write the same quantities as Nielsen's z^l_j, a^l_j, δ^l_j and C, Andrew Ng's z^[l],
a^[l], dZ^[l], J and m, CS231n's scores and probs, and Mazur's net_h1, out_h1, net_o1, out_o1
and E_total.  :func:`aliases` gives the spellings the answer reader accepts for a network's
nodes wherever they are unambiguous (z1 is N1 in any profile, counted across layers as symnet
counts N), and :func:`profile_hint` the sentence for a name that only a profile would use.

>>> import sympy as sp
>>> N1, h1, N2, h2, N3 = sp.symbols("N1 h1 N2 h2 N3")
>>> layers = [[(N1, h1), (N2, h2)], [(N3, None)]]
>>> names = aliases(layers, {})
>>> names["z1"], names["a_1"], names["net_h1"], names["out_h1"], names["o1"]
(N1, h1, N1, h1, N3)
"""

import re

import sympy as sp

#: per profile: the book, and how it names a weighted sum, an activation, δ, the loss and the
#: batch size (for the documentation and the hints; the layer form's names are in
#: symnet.compile.layers.LAYER_NOTATIONS)
PROFILES = {
    "seed": dict(book="the lecture notes", sum="N1", out="h1", delta="δ1", loss="L", batch="n"),
    "nielsen": dict(book="Nielsen, Neural Networks and Deep Learning", sum="z^l_j",
                    out="a^l_j", delta="δ^l_j", loss="C", batch="n"),
    "ng": dict(book="Andrew Ng's deep learning course", sum="z^[l]", out="a^[l]",
               delta="dZ^[l]", loss="J", batch="m"),
    "cs231n": dict(book="CS231n", sum="scores", out="hidden", delta="dscores", loss="L",
                   batch="N"),
    "mazur": dict(book="Mazur's step-by-step backpropagation example", sum="net_h1",
                  out="out_h1", delta="δ_o1", loss="E_total", batch="n"),
}
NOTATIONS = tuple(PROFILES)
LOSS_NAMES = ("C", "J", "E_total", "Etotal")


def readable(net, own):
    """The spellings an answer on ``net`` may use: ``own`` (the net's own, by spelling), and
    on a network the profiles' names where they are unambiguous (z1, a1, net_h1, out_h1, o1,
    Ng's and Nielsen's layer-indexed names; C, J or E_total for the loss L)."""
    layers = getattr(net, "layers", None)
    if not layers:  # a circuit names its own nodes
        return own
    losses = {n: net.symbols["L"] for n in LOSS_NAMES if "L" in net.symbols}
    # its own names first: an unknown name's message lists them in the network's order
    return {**own, **{k: v for k, v in {**losses, **aliases(layers, own)}.items() if k not in own}}


def aliases(layers, taken):
    """``{spelling: Symbol}`` of the profiles' names for the nodes of ``layers`` (per layer,
    ``(sum, output or None)``), leaving out any spelling in ``taken`` (the model's own names)."""
    out = {}
    hidden, outputs = layers[:-1], layers[-1]
    flat = [pair for layer in layers for pair in layer]
    for j, (pre, post) in enumerate(flat, start=1):
        out.update({f"z{j}": pre, f"z_{j}": pre, f"a{j}": post if post is not None else pre,
                    f"a_{j}": post if post is not None else pre})
    for l, layer in enumerate(layers, start=1):  # Ng's z^[l]_j; Nielsen's input layer is 1
        for j, (pre, post) in enumerate(layer, start=1):
            act = post if post is not None else pre
            out.update({f"zng{l}_{j}": pre, f"ang{l}_{j}": act, f"znl{l + 1}_{j}": pre,
                        f"anl{l + 1}_{j}": act})
            if len(layer) == 1:
                out.update({f"zng{l}_0": pre, f"ang{l}_0": act})
    for j, (pre, post) in enumerate([p for layer in hidden for p in layer], start=1):
        out.update({f"net_h{j}": pre, f"out_h{j}": post if post is not None else pre})
    for k, (pre, post) in enumerate(outputs, start=1):
        final = post if post is not None else pre
        out.update({f"net_o{k}": pre, f"out_o{k}": final, f"o{k}": final})
    return {k: v for k, v in out.items() if k not in taken}


# Ng's z^{[l]}_j (LaTeX or plain, the neuron's index optional for a layer of one) and
# Nielsen's z^l_j, written as single names the aliases know: z^{[1]}_2 → zng1_2, a^3_1 → anl3_1
_NG = re.compile(r"\b([za])\s*\^\s*[{(]?\s*\[(\d+)\]\s*[})]?(?:\s*_\s*{?\s*(\d+)\s*}?)?")
_NIELSEN = re.compile(r"\b([za])\s*\^\s*{?\s*(\d+)\s*}?\s*_\s*{?\s*(\d+)\s*}?")


def layer_indexed(text):
    """``text`` with Ng's and Nielsen's layer-indexed names as names :func:`aliases` reads.

    >>> layer_indexed("a^{[1]}_{2} + z^{[2]} + a^2_1")
    'ang1_2 + zng2_0 + anl2_1'
    """
    text = _NG.sub(lambda m: f"{m[1]}ng{m[2]}_{m[3] or 0}", text)
    return _NIELSEN.sub(lambda m: f"{m[1]}nl{m[2]}_{m[3]}", text)


def profile_hint(name, layers):
    """A sentence for ``name`` when it is a profile's spelling this network does not have
    (z5 in a 2-2-1), or the batch size n or m (symnet's L is one sample's loss); else None."""
    if name in ("n", "m", "N"):
        return (f"{name} reads as the batch size, but L here is one sample's loss, so ∂L/∂w "
                f"has no 1/{name}; the mean over a batch is the layer form's "
                "(net.derive_layers(), symnet check --layers)")
    m = re.fullmatch(r"(z|a|net_h|out_h|net_o|out_o|o)_?(\d+)", name)
    if not m:
        return None
    count = {"z": sum(map(len, layers)), "a": sum(map(len, layers)),
             "net_h": sum(map(len, layers[:-1])), "out_h": sum(map(len, layers[:-1]))}.get(
        m.group(1), len(layers[-1]))
    if 1 <= int(m.group(2)) <= count:  # in range: read as an alias, or taken by the model
        return None
    kind = {"z": "weighted sums", "a": "activations", "net_h": "hidden neurons",
            "out_h": "hidden neurons"}.get(m.group(1), "outputs")
    return f"{name} would be number {m.group(2)} of this network's {kind}, which has {count}"


def display_names(notation, layers, loss):
    """``{Symbol: Symbol}`` that prints a network's nodes in ``notation``'s names (empty for
    the seed's and CS231n's, whose scalar names are symnet's): Nielsen's z^l_j and a^l_j (the
    input layer is his layer 1) and C, Ng's z^[l]_j and a^[l]_j, Mazur's net_h1, out_h1,
    net_o1, out_o1 and E_total.

    >>> import sympy as sp
    >>> N1, h1, N2, h2, N3 = sp.symbols("N1 h1 N2 h2 N3")
    >>> display_names("nielsen", [[(N1, h1), (N2, h2)], [(N3, None)]], sp.Symbol("L"))[N1]
    z^2_1
    """
    out = {}
    for l, layer in enumerate(layers, start=1):
        last = l == len(layers)
        for j, (pre, post) in enumerate(layer, start=1):
            if notation == "nielsen":
                z, a = f"z^{l + 1}_{j}", f"a^{l + 1}_{j}"
            elif notation == "ng":
                z, a = f"z^[{l}]_{j}", f"a^[{l}]_{j}"
            elif notation == "mazur":
                z, a = f"net_{'o' if last else 'h'}{j}", f"out_{'o' if last else 'h'}{j}"
            else:
                return {}
            out[pre] = sp.Symbol(a if last and post is None else z)  # a linear output is ŷ
            if post is not None:
                out[post] = sp.Symbol(a)
    name = {"nielsen": "C", "mazur": "E_total"}.get(notation)
    if name:
        out[loss] = sp.Symbol(name)
    return out
