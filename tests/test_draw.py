"""Drawing a network: valid images, every neuron and every weight labelled, labels apart."""

import itertools
import re
import struct
import xml.etree.ElementTree as ET

import pytest
import sympy as sp

import symnet as sn
from symnet.cli import main

pytest.importorskip("matplotlib")


def svg_texts(path):
    """Every <text> of an SVG file (matplotlib keeps text as text with svg.fonttype 'none')."""
    root = ET.parse(path).getroot()  # also: the file is well-formed XML
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    return ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]


def png_size(path):
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_the_lectures_2_2_1_network_as_svg(tmp_path):
    """x1, x2 → N1, N2 → ŷ, edges w1 … w6, biases b1, b2, b3: the seed lecture's names."""
    path = tmp_path / "net.svg"
    picture = sn.draw(sn.Network("2-2-1"), path=path)
    texts = svg_texts(path)
    for name in ["x1", "x2", "N1", "N2", "ŷ", "w1", "w2", "w3", "w4", "w5", "w6",
                 "+b1", "+b2", "+b3"]:
        assert texts.count(name) == 1, name
    assert "hidden 1 (linear)" in texts
    assert repr(picture).startswith("<Picture: network 2-2-1")


def test_a_sigmoid_neuron_shows_its_sum_and_its_activation(tmp_path):
    path = tmp_path / "net.svg"
    sn.draw(sn.Network("2-2-1", activation="sigmoid", loss="bce"), path=path)
    texts = svg_texts(path)
    for name in ["N1", "h1", "N2", "h2", "N3", "ŷ"]:
        assert name in texts
    assert "output (sigmoid)\nloss bce" in texts or "output (sigmoid)" in " ".join(texts)


def test_3_4_4_2_png_and_every_weight_in_the_svg(tmp_path):
    net = sn.Network("3-4-4-2", activation="sigmoid")
    png, svg = tmp_path / "net.png", tmp_path / "net.svg"
    picture = sn.draw(net)
    picture.save(png)
    picture.save(svg)
    width, height = png_size(png)
    assert width > 1000 and height > 500
    texts = svg_texts(svg)
    weights = [str(p) for p in net.params if str(p).startswith("w")]
    assert len(weights) == 36
    assert all(w in texts for w in weights)
    assert all(f"+b{k}" in texts for k in range(1, 11))
    assert {"ŷ1", "ŷ2", "N8", "h8"} <= set(texts)


def test_a_network_without_biases_draws_none_and_a_layer_without_draws_only_the_others(tmp_path):
    path = tmp_path / "net.svg"
    sn.draw(sn.Network("2-2-1", bias=False), path=path)
    texts = svg_texts(path)
    assert [t for t in texts if t.startswith("+")] == []  # not w4, w5, w6 drawn as biases
    assert all(texts.count(f"w{k}") == 1 for k in range(1, 7))
    sn.draw(sn.Network("2-2-1", bias=[False, True]), path=path)
    assert [t for t in svg_texts(path) if t.startswith("+")] == ["+b3"]  # the output neuron's bias


def test_values_from_params(tmp_path):
    net = sn.Network("2-2-1")
    params = {"w1": 0.15, "w2": 0.2, "w3": 0.25, "w4": 0.3, "w5": 0.4, "w6": -0.45,
              "b1": 0.35, "b2": 0.35, "b3": 0.6}
    path = tmp_path / "net.svg"
    sn.draw(net, params=params, path=path)
    texts = svg_texts(path)
    assert "w1 = 0.15" in texts and "w6 = -0.45" in texts and "+b3 = 0.6" in texts
    some = tmp_path / "some.svg"
    sn.draw(net, params={"w5": 2}, path=some)
    texts = svg_texts(some)
    assert "w5 = 2" in texts and "w1" in texts


def _overlaps(a, b, slack=0.5):
    return (a.x0 + slack < b.x1 and b.x0 + slack < a.x1 and
            a.y0 + slack < b.y1 and b.y0 + slack < a.y1)


@pytest.mark.parametrize("arch, with_values", [
    ("2-2-1", False), ("3-4-4-2", False), ("3-4-4-2", True), ("4-4-4-4", True),
    ("1-6-1", False),
])
def test_labels_are_legible_no_label_overlaps_another_or_a_neuron(arch, with_values):
    """Up to 3-4-4-2 and a bit beyond: edge labels sit apart and clear of the circles."""
    net = sn.Network(arch, activation="tanh")
    picture = sn.draw(net, params=net.init_params(1) if with_values else None)
    fig = picture.figure
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    canvas = FigureCanvasAgg(fig)
    canvas.draw()  # lay out the text so that its extent is known
    renderer = canvas.get_renderer()
    ax = fig.axes[0]
    labels = [t for t in ax.texts if (t.get_gid() or "").startswith("label-")]  # w and b
    assert len(labels) == len(net.params)
    boxes = {t.get_text(): t.get_window_extent(renderer) for t in labels}
    for (n1, b1), (n2, b2) in itertools.combinations(boxes.items(), 2):
        assert not _overlaps(b1, b2), f"{n1} overlaps {n2}"
    for circle in ax.patches:
        c = circle.get_window_extent(renderer)
        cx, cy, r = (c.x0 + c.x1) / 2, (c.y0 + c.y1) / 2, (c.x1 - c.x0) / 2
        for name, b in boxes.items():
            nx, ny = min(max(cx, b.x0), b.x1), min(max(cy, b.y0), b.y1)  # nearest point of box
            assert (nx - cx) ** 2 + (ny - cy) ** 2 > r ** 2, f"{name} covers a neuron"


def test_edge_labels_run_w1_w2_down_each_column():
    """Labels between two layers sit in one column, in weight order from top to bottom."""
    picture = sn.draw(sn.Network("3-4-2"))
    texts = [t for t in picture.figure.axes[0].texts if (t.get_gid() or "").startswith("label-w")]
    first = [t for t in texts if int(t.get_text()[1:]) <= 12]
    assert len({round(t.get_position()[0], 6) for t in first}) == 1
    ys = [t.get_position()[1] for t in sorted(first, key=lambda t: int(t.get_text()[1:]))]
    assert ys == sorted(ys, reverse=True)
    gaps = {round(a - b, 6) for a, b in zip(ys, ys[1:])}
    assert len(gaps) == 1  # evenly spaced


def test_big_layers_leave_edge_labels_off_unless_asked():
    big = sn.draw(sn.Network("2-8-1"))
    assert not [t for t in big.figure.axes[0].texts if (t.get_gid() or "").startswith("label-w")]
    forced = sn.draw(sn.Network("2-8-1"), edge_labels=True)
    assert len([t for t in forced.figure.axes[0].texts
                if (t.get_gid() or "").startswith("label-w")]) == 24


def test_pdf_and_bytes():
    picture = sn.draw(sn.Network("2-1"))
    assert picture.to_bytes("pdf").startswith(b"%PDF")
    assert picture._repr_png_()[:4] == b"\x89PNG"
    with pytest.raises(sn.SymnetError, match="unknown image format 'gif'"):
        picture.to_bytes("gif")


def test_the_same_drawing_gives_the_same_svg(tmp_path):
    a, b = tmp_path / "a.svg", tmp_path / "b.svg"
    sn.draw(sn.Network("2-2-1"), path=a)
    sn.draw(sn.Network("2-2-1"), path=b)
    assert a.read_bytes() == b.read_bytes()


@pytest.mark.parametrize("call, message", [
    (lambda p: sn.draw("2-2-1"), "draw takes a Network"),
    (lambda p: sn.draw(sn.Network("2-2-1"), path=p / "net.gif"),
     r"cannot tell the image format of '.*net.gif'; name the file with one of: .png, .svg, .pdf"),
    (lambda p: sn.draw(sn.Network("2-2-1"), params={"w9": 1}), "unknown parameter 'w9'"),
    (lambda p: sn.draw(sn.Network("2-2-1"), params={"w1": "a"}), "w1 must be a number"),
    (lambda p: sn.draw(sn.Network("2-2-1"), path=p / "no" / "net.png"), "cannot write"),
])
def test_bad_input(tmp_path, call, message):
    with pytest.raises(sn.SymnetError, match=message):
        call(tmp_path)
    assert not list(tmp_path.rglob("*.*"))


# ---------------------------------------------------------------------- command line

def test_draw_command(tmp_path, capsys):
    out = tmp_path / "net.svg"
    assert main(["draw", "2-2-1", "-o", str(out)]) == 0
    assert capsys.readouterr().out == f"wrote {out}\n"
    assert {"w1", "w6", "ŷ"} <= set(svg_texts(out))


def test_draw_command_with_values_and_title(tmp_path):
    out = tmp_path / "net.svg"
    assert main(["draw", "2-2-1", "-o", str(out), "--seed", "0", "--params", "w1=.15",
                 "--title", "the lecture's network"]) == 0
    texts = svg_texts(out)
    assert "w1 = 0.15" in texts and "the lecture's network" in texts
    # --seed means what it means for worksheets: the same nice numbers
    drawn = sn.worksheet(sn.Network("2-2-1"), seed=0).values[0]
    assert f"w2 = {drawn['w2']:.3g}" in texts and f"+b3 = {drawn['b3']:.3g}" in texts


def test_draw_command_png_without_edge_labels(tmp_path):
    out = tmp_path / "net.png"
    assert main(["draw", "3-4-4-2", "--activation", "relu", "-o", str(out),
                 "--no-edge-labels"]) == 0
    assert png_size(out)[0] > 500


@pytest.mark.parametrize("argv, message", [
    (["draw", "2-2-1", "-o", "net.jpg"], "error: cannot tell the image format of 'net.jpg'"),
    (["draw", "2-2-1"], "error: the following arguments are required: -o/--output"),
    (["draw", "2-2-1", "-o", "n.svg", "--params", "w9=1"], "error: params: unknown parameter"),
    (["draw", "2-2-1", "-o", "n.svg", "--params", "w1=x"], "error: w1 must be a number written with the digits 0-9, like 3, -0.25 or 1e-3; got 'x'"),
    (["draw", "2--1", "-o", "n.svg"], "error: malformed architecture '2--1'"),
])
def test_draw_errors_are_one_line(argv, message, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert re.match(re.escape(message), err) and err.count("\n") == 1
    assert not list(tmp_path.iterdir())


def test_a_picture_is_written_readable_like_any_new_file(tmp_path):
    """write_atomic's temporary file is private (0600); the finished file follows the umask."""
    import os
    mask = os.umask(0o022)
    try:
        path = tmp_path / "net.png"
        sn.draw(sn.Network("2-1"), path=path)
        assert path.stat().st_mode & 0o777 == 0o644
    finally:
        os.umask(mask)


# ------------------------------------------------------------- circuits, as CS231n draws them

CS231N = "q = x + y; f = q*z"
NEURON = "a = w0*x0; b = w1*x1; c = a + b; d = c + w2; e = -d; g = exp(e); h = g + 1; f = 1/h"
NEURON_AT = {"w0": 2, "x0": -1, "w1": -3, "x1": -2, "w2": -3}


def wire_numbers(picture):
    """{gid: text} of every value and gradient drawn on a wire, and of every fork's sum."""
    return {t.get_gid(): t.get_text() for t in picture.figure.axes[0].texts
            if (t.get_gid() or "").startswith(("value-", "gradient-", "sum-"))}


def test_cs231n_circuit_values_above_the_wires_and_gradients_below(tmp_path):
    path = tmp_path / "circuit.svg"
    picture = sn.draw(sn.circuit(CS231N), at={"x": -2, "y": 5, "z": -4}, path=path)
    assert {"x", "y", "z", "q", "f", "+", "×"} <= set(svg_texts(path))
    assert wire_numbers(picture) == {
        "value-x-q": "-2", "gradient-x-q": "-4", "value-y-q": "5", "gradient-y-q": "-4",
        "value-q-f": "3", "gradient-q-f": "-4", "value-z-f": "-4", "gradient-z-f": "3",
        "value-f-": "-12", "gradient-f-": "1"}
    texts = {t.get_gid(): t for t in picture.figure.axes[0].texts}
    for wire in ["x-q", "q-f", "f-"]:  # the value above its wire, the gradient below
        assert texts[f"value-{wire}"].get_position()[1] > texts[f"gradient-{wire}"].get_position()[1]
    assert repr(picture).startswith("<Picture: circuit of 2 definitions")


def test_cs231n_sigmoid_neuron_drawn_gate_by_gate():
    picture = sn.draw(sn.circuit(NEURON), at=NEURON_AT)
    gates = {t.get_gid(): t.get_text() for t in picture.figure.axes[0].texts
             if (t.get_gid() or "").startswith("gate-")}
    assert gates == {"gate-a": "×", "gate-b": "×", "gate-c": "+", "gate-d": "+", "gate-e": "×-1",
                     "gate-g": "exp", "gate-h": "+1", "gate-f": "1/x"}
    numbers = wire_numbers(picture)
    assert (numbers["value-f-"], numbers["gradient-w0-a"], numbers["gradient-x0-a"],
            numbers["gradient-w1-b"], numbers["gradient-x1-b"], numbers["gradient-w2-d"]) == \
        ("0.731", "-0.197", "0.393", "-0.393", "-0.59", "0.197")


def test_the_max_gate_drawn_with_all_of_the_gradient_on_the_larger_input():
    p, m, s, f, x, y, z, w = sp.symbols("p m s f x y z w")
    c = sn.circuit({p: x * y, m: sp.Max(z, w), s: p + m, f: 2 * s})
    numbers = wire_numbers(sn.draw(c, at={"x": 3, "y": -4, "z": 2, "w": -1}))
    assert (numbers["gradient-z-m"], numbers["gradient-w-m"]) == ("2", "0")
    assert (numbers["gradient-x-p"], numbers["gradient-y-p"], numbers["value-f-"]) == ("-8", "6", "-20")


def test_micrograd_dag_writes_the_sum_at_each_fork():
    numbers = wire_numbers(sn.draw(sn.circuit("c = a + b; d = a*b; e = c + d; f = c*d; y = e + f"),
                                   at={"a": 2, "b": 3}))
    assert (numbers["sum-a"], numbers["sum-b"], numbers["sum-c"], numbers["sum-d"]) == \
        ("Σ 25", "Σ 19", "Σ 7", "Σ 6")
    assert (numbers["gradient-a-c"], numbers["gradient-a-d"]) == ("7", "18")


def test_without_a_point_only_names_and_gates():
    picture = sn.draw(sn.circuit(CS231N))
    assert wire_numbers(picture) == {}
    assert {t.get_text() for t in picture.figure.axes[0].texts} == {"x", "y", "z", "q", "f", "+", "×"}


@pytest.mark.parametrize("definitions, at", [
    (CS231N, {"x": -2, "y": 5, "z": -4}), (NEURON, NEURON_AT),
    ("c = a + b; d = a*b; e = c + d; f = c*d; y = e + f", {"a": 2, "b": 3}),
])
def test_wire_numbers_do_not_overlap_each_other_or_a_gate(definitions, at):
    picture = sn.draw(sn.circuit(definitions), at=at)
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    canvas = FigureCanvasAgg(picture.figure)
    canvas.draw()
    renderer = canvas.get_renderer()
    ax = picture.figure.axes[0]
    boxes = {t.get_gid(): t.get_window_extent(renderer) for t in ax.texts
             if (t.get_gid() or "").startswith(("value-", "gradient-"))}
    for (n1, b1), (n2, b2) in itertools.combinations(boxes.items(), 2):
        assert not _overlaps(b1, b2), f"{n1} overlaps {n2}"
    for circle in ax.patches:
        if type(circle).__name__ != "Circle":
            continue
        c = circle.get_window_extent(renderer)
        cx, cy, r = (c.x0 + c.x1) / 2, (c.y0 + c.y1) / 2, (c.x1 - c.x0) / 2
        for name, b in boxes.items():
            nx, ny = min(max(cx, b.x0), b.x1), min(max(cy, b.y0), b.y1)
            assert (nx - cx) ** 2 + (ny - cy) ** 2 > r ** 2, f"{name} covers a gate"


def test_symnet_draw_circuit_writes_a_png(tmp_path):
    out = tmp_path / "circuit.png"
    assert main(["draw", "--circuit", CS231N, "--at", "x=-2,y=5,z=-4", "-o", str(out)]) == 0
    assert png_size(out)[0] > 500
    definitions = tmp_path / "neuron.txt"
    definitions.write_text(NEURON.replace("; ", "\n"))
    assert main(["draw", "--circuit", str(definitions), "-o", str(tmp_path / "n.svg")]) == 0


@pytest.mark.parametrize("argv, message", [
    (["draw", "-o", "c.svg"], "error: give a network's layer sizes like 2-2-1, or a circuit"),
    (["draw", "2-2-1", "--circuit", CS231N, "-o", "c.svg"],
     "error: give a network (2-2-1) or a circuit (--circuit), not both"),
    (["draw", "--circuit", CS231N, "--loss", "bce", "-o", "c.svg"],
     "error: --loss is a network's option; a circuit says its functions in its definitions"),
    (["draw", "--circuit", CS231N, "--params", "x=1", "-o", "c.svg"],
     "error: --params is for a network; a circuit is drawn --at a point"),
    (["draw", "2-2-1", "--at", "x1=1", "-o", "c.svg"], "error: --at is a circuit's point"),
    (["draw", "--circuit", CS231N, "--at", "x=1", "-o", "c.svg"], "error: missing values for y, z"),
    (["draw", "--circuit", "missing.txt", "-o", "c.svg"], "error: cannot read missing.txt"),
    (["draw", "--circuit", "; ".join(f"a{i} = a{i - 1}*x" for i in range(1, 42)), "-o", "c.svg"],
     "error: a drawing of 43 nodes would be too crowded to read; symnet draws circuits of up to 40"),
])
def test_draw_circuit_errors_are_one_line(argv, message, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(message) and err.count("\n") == 1
    assert not list(tmp_path.iterdir())


def test_draw_keeps_a_networks_options_and_a_circuits_apart():
    with pytest.raises(sn.SymnetError, match="params= and edge_labels= are for a network"):
        sn.draw(sn.circuit(CS231N), params={"x": 1})
    with pytest.raises(sn.SymnetError, match="at= is a circuit's point"):
        sn.draw(sn.Network("2-1"), at={"x1": 1})
