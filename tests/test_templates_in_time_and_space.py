"""The layers in time and space (issue 20): an RNN unrolled for T steps, 1-D and 2-D
convolutions and max pooling as circuits, checked against CS231n's published numbers and
against oracles that share no code with symnet: NumPy forward passes written here and their
float64 central differences."""

import itertools
import shutil
import zipfile

import numpy as np
import pytest

import symnet as sn

# ------------------------------------------------------------------------------ oracles


def conv_forward(x, w, b, stride, pad):
    """CS231n's conv_forward_naive, written out: x (N, C, H, W), w (F, C, HH, WW), b (F,)."""
    n, _, h, width = x.shape
    f, _, hh, ww = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    out = np.zeros((n, f, (h + 2 * pad - hh) // stride + 1, (width + 2 * pad - ww) // stride + 1))
    for i, k, r, c in itertools.product(*map(range, out.shape)):
        window = xp[i, :, r * stride:r * stride + hh, c * stride:c * stride + ww]
        out[i, k, r, c] = np.sum(window * w[k]) + b[k]
    return out


def rnn_forward(xs, h0, wx, wh, b, wy, by):
    """h_t = tanh(Wx x_t + Wh h_{t−1} + b), y_t = Wy h_t + by, for each row x_t of xs."""
    hs, ys, h = [], [], h0
    for x in xs:
        h = np.tanh(wx @ x + wh @ h + b)
        hs.append(h)
        ys.append(wy @ h + by)
    return np.array(hs), np.array(ys)


def max_pool(x, pool, stride):
    rows, cols = (x.shape[0] - pool) // stride + 1, (x.shape[1] - pool) // stride + 1
    return np.array([[x[r * stride:r * stride + pool, c * stride:c * stride + pool].max()
                      for c in range(cols)] for r in range(rows)])


def central(f, arrays, h=1e-6):
    """∂f/∂ every entry of each array of ``arrays`` (a dict of float arrays) by central
    differences: a dict of arrays of the same shapes."""
    out = {}
    for name, a in arrays.items():
        grad = np.zeros_like(a)
        for index in np.ndindex(a.shape):
            old = a[index]
            a[index] = old + h
            up = f()
            a[index] = old - h
            down = f()
            a[index] = old
            grad[index] = (up - down) / (2 * h)
        out[name] = grad
    return out


def gradient(circuit, values):
    """The compiled circuit's gradient by every parameter at ``values`` (every leaf by name):
    one row of X holds the inputs (the upstream gradients g)."""
    model = circuit.compile("scalar")
    params = {p: values[p] for p in circuit.param_names}
    return model.gradient(params, np.array([[values[str(s)] for s in circuit.inputs]]))


# ------------------------------------------------------------- CS231n's convolution

CS231N_X = np.linspace(-0.1, 0.5, num=96).reshape(2, 3, 4, 4)
CS231N_W = np.linspace(-0.2, 0.3, num=144).reshape(3, 3, 4, 4)
CS231N_B = np.linspace(-0.1, 0.2, num=3)
CONV = sn.template("conv2d", height=4, width=4, kernel=4, channels=3, filters=3, stride=2, pad=1)


def conv_values(x, w, b, dout):
    """The leaves of CONV for one image: x{c}_{i}_{j}, w{f}_{c}_{p}_{q}, b{f}, g{f}_{i}_{j}."""
    values = {}
    for name, a in (("x", x), ("w", w), ("g", dout)):
        values.update({name + "_".join(str(i + 1) for i in index): float(a[index])
                       for index in np.ndindex(a.shape)})
    values.update({f"b{f + 1}": float(b[f]) for f in range(len(b))})
    return values


def test_conv_forward_reproduces_cs231n_conv_forward_naive():
    out = np.zeros((2, 3, 2, 2))
    for n in range(2):
        forward = CONV.forward(conv_values(CS231N_X[n], CS231N_W, CS231N_B, out[n]))
        for index in np.ndindex(out.shape[1:]):
            out[(n, *index)] = float(forward[CONV.symbol("y" + "_".join(str(i + 1) for i in index))])
    published_00 = [[-0.08759809, -0.10987781], [-0.18387192, -0.2109216]]
    published_12 = [[2.36270298, 2.36904306], [2.38090835, 2.38247847]]
    assert np.allclose(out[0, 0], published_00, rtol=0, atol=5e-9)
    assert np.allclose(out[1, 2], published_12, rtol=0, atol=5e-9)
    assert np.allclose(out, conv_forward(CS231N_X, CS231N_W, CS231N_B, 2, 1), rtol=1e-12)


def test_conv_input_filter_and_bias_gradients_equal_central_differences():
    # CS231n's conv_backward_naive check: L = Σ dout · out, every input, weight and bias
    dout = np.random.default_rng(0).normal(size=(2, 3, 2, 2))
    arrays = {"x": CS231N_X.copy(), "w": CS231N_W.copy(), "b": CS231N_B.copy()}
    numeric = central(lambda: np.sum(dout * conv_forward(arrays["x"], arrays["w"], arrays["b"],
                                                         2, 1)), arrays)
    dw, db = np.zeros_like(CS231N_W), np.zeros_like(CS231N_B)
    for n in range(2):  # the circuit is one image; the batch's filter gradients add up
        g = gradient(CONV, conv_values(CS231N_X[n], CS231N_W, CS231N_B, dout[n]))
        dx = np.array([g["x" + "_".join(str(i + 1) for i in index)]
                       for index in np.ndindex(CS231N_X.shape[1:])]).reshape(CS231N_X.shape[1:])
        assert np.allclose(dx, numeric["x"][n], rtol=1e-6, atol=1e-9)
        dw += np.array([g["w" + "_".join(str(i + 1) for i in index)]
                        for index in np.ndindex(CS231N_W.shape)]).reshape(CS231N_W.shape)
        db += [g[f"b{f}"] for f in (1, 2, 3)]
    assert np.allclose(dw, numeric["w"], rtol=1e-6, atol=1e-9)
    assert np.allclose(db, numeric["b"], rtol=1e-6, atol=1e-9)


def conv1d_forward(x, w, b, stride, pad):
    """x (C, L), w (F, C, K), b (F,): out (F, L_out), each a window of the padded x times w."""
    xp = np.pad(x, ((0, 0), (pad, pad)))
    k = w.shape[2]
    starts = range(0, xp.shape[1] - k + 1, stride)
    return np.array([[np.sum(xp[:, s:s + k] * w[f]) + b[f] for s in starts]
                     for f in range(w.shape[0])])


def test_a_strided_padded_1d_convolution_has_the_oracles_gradients():
    c = sn.template("conv1d", length=5, kernel=3, channels=2, filters=2, stride=2, pad=1)
    rng = np.random.default_rng(1)
    arrays = {"x": rng.normal(size=(2, 5)), "w": rng.normal(size=(2, 2, 3)),
              "b": rng.normal(size=2)}
    dout = rng.normal(size=(2, 3))
    numeric = central(lambda: np.sum(dout * conv1d_forward(arrays["x"], arrays["w"],
                                                           arrays["b"], 2, 1)), arrays)
    values = {}
    for stem, a in (*arrays.items(), ("g", dout)):
        values.update({stem + "_".join(str(i + 1) for i in index): float(a[index])
                       for index in np.ndindex(a.shape)})
    g = gradient(c, values)
    assert sorted(g) == sorted(k for k in values if k[0] != "g")
    for name, value in g.items():
        index = tuple(int(i) - 1 for i in name[1:].split("_"))
        assert value == pytest.approx(numeric[name[0]][index], rel=1e-6, abs=1e-9), name


# -------------------------------------------------------------------------- max pooling

def test_max_pooling_sends_each_windows_gradient_to_its_maximum():
    c = sn.template("maxpool", height=4, width=4, pool=2)
    rng = np.random.default_rng(2)
    arrays = {"x": rng.permutation(16).reshape(4, 4) / 4.0}  # distinct: max is differentiable
    dout = rng.normal(size=(2, 2))
    numeric = central(lambda: np.sum(dout * max_pool(arrays["x"], 2, 2)), arrays, h=1e-3)
    values = {f"x{i + 1}_{j + 1}": arrays["x"][i, j] for i in range(4) for j in range(4)}
    values.update({f"g{i + 1}_{j + 1}": dout[i, j] for i in range(2) for j in range(2)})
    g = gradient(c, values)
    dx = np.array([[g[f"x{i + 1}_{j + 1}"] for j in range(4)] for i in range(4)])
    assert np.allclose(dx, numeric["x"], atol=1e-9)
    assert np.count_nonzero(dx) == 4  # one input per window


# --------------------------------------------------------------------------------- RNN

def test_rnn_step_reproduces_cs231n_rnn_step_forward():
    n, d, h = 3, 10, 4
    x = np.linspace(-0.4, 0.7, num=n * d).reshape(n, d)
    prev_h = np.linspace(-0.2, 0.5, num=n * h).reshape(n, h)
    wx = np.linspace(-0.1, 0.9, num=d * h).reshape(d, h)
    wh = np.linspace(-0.3, 0.7, num=h * h).reshape(h, h)
    b = np.linspace(-0.2, 0.4, num=h)
    c = sn.template("rnn", steps=1, inputs=d, hidden=h, outputs=1, bias=True)
    next_h = np.zeros((n, h))
    for row in range(n):
        # CS231n multiplies x Wx (row vectors): W_xh is Wxᵀ, W_hh is Whᵀ
        values = {f"x1_{i + 1}": x[row, i] for i in range(d)}
        values.update({f"h0_{j + 1}": prev_h[row, j] for j in range(h)})
        values.update({f"W_xh{j + 1}_{i + 1}": wx[i, j] for i in range(d) for j in range(h)})
        values.update({f"W_hh{j + 1}_{k + 1}": wh[k, j] for k in range(h) for j in range(h)})
        values.update({f"b_h{j + 1}": b[j] for j in range(h)})
        values.update({f"W_hy{j + 1}": 0.0 for j in range(h)}, b_y=0.0, g1=1.0)
        forward = c.forward(values)
        next_h[row] = [float(forward[c.symbol(f"h1_{j + 1}")]) for j in range(h)]
    published = [-0.58172089, -0.50182032, -0.41232771, -0.31410098]
    assert np.allclose(next_h[0], published, rtol=0, atol=5e-9)
    assert np.allclose(next_h, np.tanh(x @ wx + prev_h @ wh + b), rtol=1e-12)


def test_bptt_gradients_of_a_3_step_rnn_equal_central_differences():
    steps, d, h, k = 3, 2, 3, 2
    c = sn.template("rnn", steps=steps, inputs=d, hidden=h, outputs=k)
    rng = np.random.default_rng(3)
    arrays = {"W_xh": rng.normal(size=(h, d)), "W_hh": rng.normal(size=(h, h)) / 2,
              "b_h": rng.normal(size=h), "W_hy": rng.normal(size=(k, h)),
              "b_y": rng.normal(size=k), "x": rng.normal(size=(steps, d)),
              "h0": rng.normal(size=h)}
    dout = rng.normal(size=(steps, k))
    a = arrays
    numeric = central(lambda: np.sum(dout * rnn_forward(a["x"], a["h0"], a["W_xh"], a["W_hh"],
                                                        a["b_h"], a["W_hy"], a["b_y"])[1]), arrays)
    name = lambda stem, index: stem + "_".join(str(i + 1) for i in index)
    values = {name(stem, index): float(value[index]) for stem, value in arrays.items()
              if stem not in ("x", "h0") for index in np.ndindex(value.shape)}
    values.update({f"x{t + 1}_{i + 1}": a["x"][t, i] for t in range(steps) for i in range(d)})
    values.update({f"h0_{j + 1}": a["h0"][j] for j in range(h)})
    values.update({f"g{t + 1}_{i + 1}": dout[t, i] for t in range(steps) for i in range(k)})
    g = gradient(c, values)
    assert len(g) == h * d + h * h + h + k * h + k + steps * d + h
    for stem, expected in numeric.items():
        for index in np.ndindex(expected.shape):
            key = f"x{index[0] + 1}_{index[1] + 1}" if stem == "x" else \
                f"h0_{index[0] + 1}" if stem == "h0" else name(stem, index)
            assert g[key] == pytest.approx(expected[index], rel=1e-6, abs=1e-9), key


# ------------------------------------------------------------- closed forms and slips

def test_bptt_closed_form_is_accepted_by_check():
    rnn = sn.template("rnn", steps=3)
    # ∂L/∂h0 = Σ_t g_t W_hy ∏_{k ≤ t} (1 − h_k²) W_hh: the product of W_hhᵀ and tanh' factors
    jacobian = lambda t: "*".join(f"(1 - h{k}**2)*W_hh" for k in range(1, t + 1))
    closed = " + ".join(f"g{t}*W_hy*{jacobian(t)}" for t in (1, 2, 3))
    assert sn.check(rnn, "h0", closed).correct
    # and with vector states, a component of W_hhᵀ diag(1 − h1²) δ: two steps, two units
    wide = sn.template("rnn", steps=2, hidden=2, outputs=1, bias=False)
    delta2 = {j: f"g2*W_hy{j}*(1 - h2_{j}**2)" for j in (1, 2)}
    back = {k: f"(g1*W_hy{k} + {' + '.join(f'W_hh{j}_{k}*{delta2[j]}' for j in (1, 2))})"
            for k in (1, 2)}
    dh0 = " + ".join(f"W_hh{k}_1*(1 - h1_{k}**2)*{back[k]}" for k in (1, 2))
    assert sn.check(wide, "h0_1", dh0).correct
    truncated = " + ".join(f"W_hh{k}_1*(1 - h1_{k}**2)*g1*W_hy{k}" for k in (1, 2))
    assert not sn.check(wide, "h0_1", truncated).correct


def test_convolution_closed_forms_are_accepted_and_an_unflipped_filter_is_named():
    conv = sn.template("conv2d")
    # dw = the input correlated with g; db = Σ g; dx = g fully convolved with the turned filter
    dw = "g1_1*x1_2 + g1_2*x1_3 + g2_1*x2_2 + g2_2*x2_3"
    assert sn.check(conv, "w1_2", dw).correct
    assert sn.check(conv, "b", "g1_1 + g1_2 + g2_1 + g2_2").correct
    assert sn.check(conv, "x2_3", "g1_2*w2_2 + g2_2*w1_2").correct
    slip = sn.check(conv, "x2_3", "g1_2*w1_1 + g2_2*w2_1")
    assert slip.slips == ["filter not flipped"]
    assert slip.diagnosis == ["the input's gradient is the upstream gradient convolved with the "
                              "filter turned by 180°, and your answer turns it not once (not at "
                              "all, or twice): it has w1_1 where w2_2 belongs and w2_1 where "
                              "w1_2 belongs"]


def test_bptt_missing_a_time_step_is_named_for_a_vector_state():
    wide = sn.template("rnn", steps=2, hidden=2)
    d = wide.derive("W_xh1")
    last = [p for p in d.paths if p[-2] == wide.symbol("a2_1")]
    answer = " + ".join("*".join(f"({sn.text(v)})" for _, v in path.factors)
                        for path in d.chain_value.paths if path.nodes in last)
    result = sn.check(wide, "W_xh1", answer)
    assert result.slips == ["time step missing in BPTT"]
    assert result.diagnosis == ["W_xh1 is shared by the 2 time steps, and its gradient sums "
                                "over them: your answer misses step 1 (through a1_1)"]


def test_bptt_missing_several_time_steps_names_them():
    # only the last step's term (W_hh's use in a3): a student who stops at the step L reads last
    result = sn.check(sn.template("rnn", steps=3), "W_hh", "g3*W_hy*(1 - h3**2)*h2")
    assert result.slips == ["time step missing in BPTT"]
    assert result.diagnosis == ["W_hh is shared by the 3 time steps, and its gradient sums over "
                                "them: your answer misses steps 1 and 2 (through a1 and a2)"]


# ------------------------------------------------------- worksheets and quizzes, page size

PAGE = [("rnn", {"steps": 3}, "W_hh"), ("conv2d", {}, "x2_2"), ("conv1d", {}, "w1"),
        ("maxpool", {"height": 2, "width": 4}, "x1_3")]


@pytest.mark.parametrize("name, options, wrt", PAGE, ids=[p[0] for p in PAGE])
def test_each_template_has_a_worksheet_with_numbers_and_a_key(name, options, wrt):
    c = sn.template(name, **options)
    ws = sn.worksheet(c, seed=1, wrt=wrt)
    md = ws.markdown()
    assert "Backward pass: the gradient on every node" in md
    sheet = sn.worksheet(c, seed=1, wrt=wrt, exercises=True)
    assert r"\boxed{" in sheet.markdown() and "Backward pass" in sheet.key.markdown()
    point = {str(k): float(v) for k, v in ws.samples[0].items()}
    assert ws.gradient[wrt] == pytest.approx(gradient(c, point)[wrt], rel=1e-12)  # the compiled
    if name == "rnn":  # a seed's numbers keep tanh off its flat tails: every tanh' above 0.1
        values = c.forward(point)
        assert all(1 - float(values[c.symbol(f"h{t}")]) ** 2 > 0.1 for t in (1, 2, 3))


def test_the_rnn_worksheet_compiles_to_a_pdf():
    if shutil.which("pdflatex") is None:
        pytest.skip("pdflatex is not installed")
    ws = sn.worksheet(sn.template("rnn", steps=3), seed=1, wrt="W_hh,h0")
    assert ws.pdf().startswith(b"%PDF")


def test_the_convolution_worksheet_compiles_to_a_pdf():
    if shutil.which("pdflatex") is None:
        pytest.skip("pdflatex is not installed")
    assert sn.worksheet(sn.template("conv2d"), seed=2, wrt="x2_2,w1_1,b").pdf().startswith(b"%PDF")


@pytest.mark.parametrize("name, options, wrt", PAGE, ids=[p[0] for p in PAGE])
def test_each_template_has_a_quiz_in_moodle_qti_and_gift(name, options, wrt, tmp_path):
    q = sn.quiz(sn.template(name, **options), variants=2, seed=4, wrt=[wrt], picture=False)
    for suffix in (".xml", ".gift", ".zip"):
        q.save(tmp_path / f"quiz{suffix}")
    assert 'type="cloze"' in (tmp_path / "quiz.xml").read_text()
    gift = (tmp_path / "quiz.gift").read_text()
    assert gift.count("::") >= 4 and "#" in gift  # each question with its slips' feedback
    assert zipfile.ZipFile(tmp_path / "quiz.zip").namelist()


@pytest.mark.parametrize("name, options, message", [
    ("conv2d", {"kernel": 5}, r"a filter of 5 taps does not fit 3 inputs padded by 0 in whole "
                              r"strides of 1: \(n \+ 2·pad − kernel\)/stride = \(3 \+ 2·0 − 5\)/1"),
    ("conv2d", {"height": 16, "width": 16, "kernel": 3, "channels": 16, "filters": 16},
     "this convolution would have 451,584 terms in its definitions; a layer template builds "
     "at most 20,000"),
    ("maxpool", {"height": 5}, "2 × 2 windows do not cover 5 × 4 inputs in whole strides of 2"),
    ("rnn", {"hidden": 99}, "hidden is 99; at most 16"),
    ("conv1d", {"bias": "yes"}, "bias must be true or false, got 'yes'"),
])
def test_a_layer_that_cannot_be_built_is_one_clear_line(name, options, message):
    with pytest.raises(sn.SymnetError, match=message):
        sn.template(name, **options)


def test_bptt_is_written_as_sums_over_time_steps():
    d = sn.template("rnn", steps=3).derive("W_hh")
    assert len(d.families) == 3  # six paths: one step back, two, three
    assert "Σ_{t=1..3} g[t] · W_hy · (1 - tanh(a[t])**2) · h[t - 1]" in d.text()
    assert "Σ_{t=2..3} g[t] · W_hy · (1 - tanh(a[t])**2) · W_hh · (1 - tanh(a[t - 1])**2) · " \
           "h[t - 2]" in d.text()
