"""The layers courses assign, written as lectures write them (issue 20): names with several
indices printed x_{1,2}; the shared filter's, the attention's and BPTT's gradients collected as
Σ over positions, tokens and time steps with the general term once; batch norm's dx in the one
line students are taught."""

import itertools

import pytest
import sympy as sp

import symnet as sn


def test_a_name_with_two_indices_prints_them_separated_and_reads_back():
    conv = sn.template("conv2d")
    assert sn.latex(conv.symbol("x1_2")) == "x_{1,2}"
    assert sn.latex(sn.template("rnn", hidden=2).symbol("W_hh1_2")) == "{W_{hh}}_{1,2}"
    assert sn.latex(sn.template("conv2d", channels=2).symbol("x2_1_3")) == "x_{2,1,3}"
    # one index, or an underscore before it, prints as before
    assert sn.latex(conv.symbol("b")) == "b" and sn.latex(sn.parse_expression("x1")) == "x_{1}"
    # what the text prints is what a student types back
    d = conv.derive("x2_2")
    assert sn.text(d.result) == "g1_1*w2_2 + g1_2*w2_1 + g2_1*w1_2 + g2_2*w1_1"
    assert sn.check(conv, "x2_2", sn.text(d.result)).correct
    assert sn.latex(d.result).startswith("g_{1,1} w_{2,2} + g_{1,2} w_{2,1}")


# each template at a page's size: a leaf whose gradient sums several paths, the Σ its derivation
# starts with, a wrong answer and the slip that names it (None: layer norm's and the filter
# gradient's slips are in tests/test_templates.py and tests/test_mistakes.py)
D3 = "g3*W_hy*(1 - h3**2)"  # BPTT's δ_t = ∂L/∂a_t from the last step back
D2 = f"(g2*W_hy + {D3}*W_hh)*(1 - h2**2)"
D1 = f"(g1*W_hy + {D2}*W_hh)*(1 - h1**2)"
EVERY = [
    ("affine", {"n": 2, "k": 2}, "x1", "Σ_{i=1..2} ", "g1*w1_1", "fork's gradients not added"),
    ("softmax_ce", {"k": 3, "target": 2}, "z2", None, "-p2",
     "−p instead of p − 1 for the target class"),
    ("batchnorm", {"m": 4, "bessel": True}, "gamma", "Σ_{i=1..4} ",
     "(g1*d1 + g2*d2 + g3*d3 + g4*d4)/sqrt((d1**2 + d2**2 + d3**2 + d4**2)/4)",
     "n for n − 1 in the variance"),
    ("layernorm", {"n": 3}, "x1", "Σ_{i=1..3} ", None, None),
    ("attention", {"n": 2, "d": 2}, "q1_1", "Σ_{c=1..2} Σ_{j=1..2} Σ_{l=1..2} ", None, None),
    ("attention", {"n": 2, "d": 2}, "v1_1", "Σ_{i=1..2} ", "g1_1*a1_1",
     "fork's gradients not added"),
    ("rnn", {"steps": 3}, "W_hh", "Σ_{t=1..3} ", f"{D3}*h2 + {D1}*h0", "time step missing in BPTT"),
    ("conv1d", {"length": 3}, "x2", "Σ_{p=1..2} ", "g1*w1 + g2*w2", "filter not flipped"),
    ("conv2d", {}, "w1_2", "Σ_{i=1..2} Σ_{j=1..2} ", "g1_1*x1_1 + g1_2*x1_2", None),
    ("maxpool", {"height": 2, "width": 2}, "x1_2", None, "g1_1", "max gradient sent to every input"),
]


@pytest.mark.parametrize("name, options, wrt, sums, answer, kind", EVERY,
                         ids=[f"{e[0]}-{e[2]}" for e in EVERY])
def test_every_template_derives_as_a_sum_and_checks_what_it_prints(name, options, wrt, sums,
                                                                   answer, kind):
    c = sn.template(name, **options)
    d = c.derive(wrt)
    first = d.text().splitlines()[0]
    if sums is not None:
        assert first.startswith(f"∂L/∂{wrt} = {sums}"), first
    assert sn.check(c, wrt, sn.text(d.result)).correct  # the compact result reads back
    if answer is not None:
        slipped = sn.check(c, wrt, answer)
        assert not slipped.correct
        if kind is not None:
            assert slipped.slips == [kind], slipped.diagnosis


def concrete(expr):
    """A closed form's Σ written out, its g[j] as the names g1 … a student types."""
    done = expr.doit()
    return done.xreplace({e: sp.Symbol(f"{e.base}{e.indices[0]}") for e in done.atoms(sp.Indexed)})


def test_batch_norms_dx_is_shown_in_the_one_line_students_are_taught():
    bn = sn.template("batchnorm", m=4)
    d = bn.derive("x1")
    # dx_i = γ/(mσ) (m g_i − Σ_j g_j − x̂_i Σ_j g_j x̂_j), in place of the long compact result
    assert d.text().splitlines()[-1].strip() == \
        "= gamma*(4*g1 - Σ_{j=1..4} g[j] - xhat1*Σ_{j=1..4} (g[j]*xhat[j]))/(4*std)"
    assert d.latex().splitlines()[-2] == (
        r" &= \frac{\gamma \left(4 g_{1} - \sum_{j=1}^{4} {g}_{j} - \hat{x}_{1} "
        r"\sum_{j=1}^{4} {g}_{j} {\hat{x}}_{j}\right)}{4 \sigma}")
    assert sn.check(bn, "x1", sn.text(concrete(d.closed_form))).correct
    # Bessel's n − 1 scales the last sum by m/(m − 1), as Karpathy's backprop ninja writes it
    bessel = sn.template("batchnorm", m=4, bessel=True)
    shown = bessel.derive("x2").text().splitlines()[-1]
    assert shown.endswith("= gamma*(4*g2 - Σ_{j=1..4} g[j] - 4*xhat2*Σ_{j=1..4} (g[j]*xhat[j])/3)"
                          "/(4*std)")
    assert sn.check(bessel, "x2", sn.text(concrete(bessel.derive("x2").closed_form))).correct
    # layer norm's γ_j stay inside the sums
    ln = sn.template("layernorm", n=3).derive("x3")
    assert "Σ_{j=1..3} (g[j]*gamma[j]) - xhat3*Σ_{j=1..3} (g[j]*gamma[j]*xhat[j])" in ln.text()


def test_the_worksheet_shows_the_closed_form_with_the_same_numbers():
    bn = sn.template("batchnorm", m=4)
    ws = sn.worksheet(bn, seed=1, wrt="x1")
    tex = ws.latex()
    assert r"\hat{x}_{1} \sum_{j=1}^{4} {g}_{j} {\hat{x}}_{j}" in tex
    assert r"\frac{3 d_{1}" not in tex  # the long compact result is gone
    # the oracle: batch norm's forward pass in plain Python, its central difference in x1
    x = [float(ws.samples[0][bn.symbol(f"x{i}")]) for i in range(1, 5)]
    g = [float(ws.samples[0][bn.symbol(f"g{i}")]) for i in range(1, 5)]
    gamma, beta = (float(ws.samples[0][bn.symbol(n)]) for n in ("gamma", "beta"))

    def loss(x1, h=0.0):
        xs = [x1 + h] + x[1:]
        mean = sum(xs) / 4
        std = (sum((v - mean) ** 2 for v in xs) / 4) ** 0.5
        return sum(gi * (gamma * (v - mean) / std + beta) for gi, v in zip(g, xs))
    numeric = (loss(x[0], 1e-6) - loss(x[0], -1e-6)) / 2e-6
    assert ws.gradient["x1"] == pytest.approx(numeric, rel=1e-6)
    assert f"{ws.gradient['x1']:.3f}"[:5] in tex


# -------------------------------------------- Σ over positions, tokens and time steps

np = pytest.importorskip("numpy", reason="the oracles are NumPy loops written here")


def family_values(d, values):
    """The derivation's Σ families summed term by term at a sweep's node ``values``: every
    general factor read at each value of its indices (x[i + 1, j] → x2_1 at i = 1, j = 1)."""
    total = 0.0
    for family in d.families:
        letters = [v for v, _, _ in family.indices]
        ranges = [range(lo, hi + 1) for _, lo, hi in family.indices]
        for point in itertools.product(*ranges):
            at = dict(zip(letters, point))
            term = 1.0
            for factor in family.values:
                concrete = factor.xreplace({e: sp.Symbol(str(e.base) + "_".join(
                    str(k.xreplace(at)) for k in e.indices)) for e in factor.atoms(sp.Indexed)})
                term *= float(concrete.xreplace(at).xreplace(values))
            total += term
    return total


def test_a_shared_filters_gradient_is_one_sum_over_the_output_positions():
    conv = sn.template("conv2d")  # a 3×3 input, a 2×2 filter, outputs y1_1 … y2_2
    d = conv.derive("w2_1")
    assert d.text().splitlines()[:4] == [
        "∂L/∂w2_1 = Σ_{i=1..2} Σ_{j=1..2} ∂L/∂y[i, j] · ∂y[i, j]/∂w2_1",
        "  ∂L/∂y[i, j] = g[i, j]",
        "  ∂y[i, j]/∂w2_1 = x[i + 1, j]",
        "∂L/∂w2_1 = Σ_{i=1..2} Σ_{j=1..2} g[i, j] · x[i + 1, j]"]
    assert r"\sum_{i=1}^{2} \sum_{j=1}^{2} {g}_{i,j} \cdot {x}_{i + 1,j}" in d.latex()
    # the input's gradient: the upstream gradient against the filter turned by 180°
    dx = conv.derive("x2_2")
    assert "  ∂y[i, j]/∂x2_2 = w[3 - i, 3 - j]" in dx.text().splitlines()
    # numbers: the oracle correlates the input with g, dw[a, b] = Σ g[i, j] x[i + a, j + b]
    rng = np.random.default_rng(1)
    x, w, g = rng.normal(size=(3, 3)), rng.normal(size=(2, 2)), rng.normal(size=(2, 2))
    leaves = {f"{n}{i + 1}_{j + 1}": float(a[i, j]) for n, a in (("x", x), ("w", w), ("g", g))
              for i in range(a.shape[0]) for j in range(a.shape[1])}
    sweep = conv.at({**leaves, "b": 0.5})
    dw = [[sum(g[i, j] * x[i + a, j + b] for i in range(2) for j in range(2)) for b in range(2)]
          for a in range(2)]
    assert family_values(d, sweep.values) == pytest.approx(dw[1][0], rel=1e-12)
    assert float(sweep.gradients[conv.symbol("w2_1")]) == pytest.approx(dw[1][0], rel=1e-12)
    padded = np.pad(g, 1)  # dx = g fully convolved with w: Σ g[i, j] w[2 − i, 2 − j] at (2, 2)
    assert family_values(dx, sweep.values) == pytest.approx(
        float(np.sum(padded[1:3, 1:3] * w[::-1, ::-1])), rel=1e-12)


def conv_backward(x, w, dout, stride, pad):
    """CS231n's conv_backward_naive for one image, written out: dx and dw by scattering
    dout[f, i, j] over the window each output read."""
    xp = np.pad(x, ((0, 0), (pad, pad), (pad, pad)))
    dxp, dw = np.zeros_like(xp), np.zeros_like(w)
    _, _, hh, ww = w.shape
    for f, i, j in np.ndindex(dout.shape):
        window = xp[:, i * stride:i * stride + hh, j * stride:j * stride + ww]
        dw[f] += dout[f, i, j] * window
        dxp[:, i * stride:i * stride + hh, j * stride:j * stride + ww] += dout[f, i, j] * w[f]
    return dxp[:, pad:-pad, pad:-pad], dw


def test_cs231ns_strided_convolution_sums_over_filters_and_positions():
    conv = sn.template("conv2d", height=4, width=4, kernel=4, channels=3, filters=3, stride=2,
                       pad=1)
    dx = conv.derive("x1_2_2")
    assert dx.text().splitlines()[:4] == [
        "∂L/∂x1_2_2 = Σ_{f=1..3} Σ_{i=1..2} Σ_{j=1..2} ∂L/∂y[f, i, j] · ∂y[f, i, j]/∂x1_2_2",
        "  ∂L/∂y[f, i, j] = g[f, i, j]",
        "  ∂y[f, i, j]/∂x1_2_2 = w[f, 1, 5 - 2*i, 5 - 2*j]",  # a stride of 2, the filter turned
        "∂L/∂x1_2_2 = Σ_{f=1..3} Σ_{i=1..2} Σ_{j=1..2} g[f, i, j] · w[f, 1, 5 - 2*i, 5 - 2*j]"]
    dw = conv.derive("w2_3_2_2")
    assert "  ∂y[2, i, j]/∂w2_3_2_2 = x[3, 2*i - 1, 2*j - 1]" in dw.text().splitlines()
    x = np.linspace(-0.1, 0.5, num=96).reshape(2, 3, 4, 4)[0]
    w = np.linspace(-0.2, 0.3, num=144).reshape(3, 3, 4, 4)
    dout = np.random.default_rng(2).normal(size=(3, 2, 2))
    leaves = {"x" + "_".join(str(k + 1) for k in ix): float(x[ix]) for ix in np.ndindex(x.shape)}
    leaves.update({"w" + "_".join(str(k + 1) for k in ix): float(w[ix]) for ix in np.ndindex(w.shape)})
    leaves.update({"g" + "_".join(str(k + 1) for k in ix): float(dout[ix])
                   for ix in np.ndindex(dout.shape)})
    leaves.update({f"b{f}": 0.0 for f in (1, 2, 3)})
    sweep = conv.at(leaves)
    oracle_dx, oracle_dw = conv_backward(x, w, dout, stride=2, pad=1)
    assert family_values(dx, sweep.values) == pytest.approx(oracle_dx[0, 1, 1], rel=1e-12)
    assert family_values(dw, sweep.values) == pytest.approx(oracle_dw[1, 2, 1, 1], rel=1e-12)


def test_a_1d_convolutions_sums_run_over_the_positions_p():
    d = sn.template("conv1d", length=4).derive("w2")
    assert d.text().splitlines()[-2] == "∂L/∂w2 = Σ_{p=1..3} g[p] · x[p + 1]"


def test_attentions_dq_is_one_sum_with_the_softmax_jacobian_written_once():
    c = sn.template("attention", n=2, d=2)
    d = c.derive("q1_1")
    assert d.text().splitlines()[:5] == [
        "∂L/∂q1_1 = Σ_{c=1..2} Σ_{j=1..2} Σ_{l=1..2} ∂L/∂o[1, c] · ∂o[1, c]/∂a[1, j] · "
        "∂a[1, j]/∂s[1, l] · ∂s[1, l]/∂q1_1",
        "  ∂L/∂o[1, c] = g[1, c]",
        "  ∂o[1, c]/∂a[1, j] = v[j, c]",
        "  ∂a[1, j]/∂s[1, l] = a[1, j]*(δ_{j,l} - a[1, l])",
        "  ∂s[1, l]/∂q1_1 = sqrt(2)*k[l, 1]/2"]
    assert r"{a}_{1,j} \left(\delta_{j,l} - {a}_{1,l}\right)" in d.latex()
    # dK and dV are sums as well: over queries i, the width c and keys j
    assert c.derive("k2_1").text().splitlines()[0].startswith(
        "∂L/∂k2_1 = Σ_{i=1..2} Σ_{c=1..2} Σ_{j=1..2} ")
    assert c.derive("v1_2").text().splitlines()[0] == \
        "∂L/∂v1_2 = Σ_{i=1..2} ∂L/∂o[i, 2] · ∂o[i, 2]/∂v1_2"
    # the sum, term by term, is the published dQ (Q = [[1, 0], [0, 2]], …, G = I)
    q, k, v = np.array([[1, 0], [0, 2.0]]), np.array([[1, 1], [-1, 0.5]]), np.array([[1, 2], [3, -1.0]])
    leaves = {f"{n}{i + 1}_{j + 1}": float(m[i, j]) for n, m in (("q", q), ("k", k), ("v", v))
              for i in range(2) for j in range(2)}
    leaves.update({f"g{i}_{j}": float(i == j) for i in (1, 2) for j in (1, 2)})
    sweep = c.at(leaves)
    for name, published in (("q1_1", -0.444975), ("q2_2", 0.234598)):
        assert family_values(c.derive(name), sweep.values) == pytest.approx(published, abs=5e-7)


def test_bptt_sums_over_time_steps_read_sigma_t_and_units_i():
    d = sn.template("rnn", steps=3, hidden=2).derive("W_hh1_2")
    first = d.text().splitlines()[0]
    assert first.startswith("∂L/∂W_hh1_2 = Σ_{t=1..3} ∂L/∂y[t] · ∂y[t]/∂h[t, 1]")
    assert "Σ_{t=2..3} Σ_{i=1..2} ∂L/∂y[t] · ∂y[t]/∂h[t, i]" in first
    assert r"\sum_{t=1}^{3}" in sn.template("rnn", steps=3).derive("W_xh").latex()
