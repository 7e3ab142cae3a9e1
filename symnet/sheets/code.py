"""The code cells of a worksheet notebook: symnet code that rebuilds the sheet's numbers."""

from .numbers import float_text


def network_code(net):
    acts = net.activations + [net.output_activation]

    def spec(a):
        if a.generic:
            return f"sn.generic({a.name!r})"
        if a.options == type(a).get(a.name).options:
            return repr(a.name)
        opts = ", ".join(f"{k}={str(v)!r}" for k, v in a.options)
        return f"sn.Activation.get({a.name!r}, {opts})"
    if all(spec(a) == repr(a.name) for a in acts):
        make = "sn." + repr(net)
    else:
        hidden = ", ".join(map(spec, net.activations))
        bias = "" if all(net.bias) else f", bias={any(net.bias) and list(net.bias)}"
        make = (f"sn.Network({net.arch!r}, activation=[{hidden}], "
                f"output_activation={spec(net.output_activation)}, loss={net.loss.name!r}{bias})")
    return f"import symnet as sn\n\nnet = {make}\nnet"


def data_code(net, samples, params):
    values = ", ".join(f'"{p}": {float_text(v)}' for p, v in params.items())
    X = ", ".join("[" + ", ".join(float_text(s[x]) for x in net.inputs) + "]" for s in samples)
    Y = ", ".join("[" + ", ".join(float_text(s[t]) for t in net.targets) + "]" for s in samples)
    return (f"params = {{{values}}}\n"
            f"X = [{X}]  # one row per sample: {', '.join(map(str, net.inputs))}\n"
            f"Y = [{Y}]  # {', '.join(map(str, net.targets))}\n"
            "model = net.compile()")


def step_code(lr):
    return (f"lr = {float_text(lr)}\nnew_params = {{name: value - lr * "
            "gradient[name] for name, value in params.items()}\n"
            "new_params, model.loss(new_params, X, Y)")


def optimizer_code(step):
    """One epoch of ``fit`` from the sheet's parameters: the optimizer's first step."""
    opts = "".join(f", {k}={v!r}" for k, v in step.options.items()
                   if v != step.optimizer.defaults[k])
    return (f"result = net.fit(X, Y, lr={float_text(step.lr)}, epochs=1, params=params, "
            f"optimizer={step.optimizer.name!r}{opts}, progress=False)\n"
            "result.params, model.loss(result.params, X, Y)")


# ---------------------------------------------------------------------- a circuit's cells

def circuit_code(circuit):
    return f"import symnet as sn\n\ncircuit = {circuit.source()}\ncircuit"


def point_code(point):
    """The point and its sweep: every node's value and gradient, shown as a table."""
    values = ", ".join(f'"{s}": {v if v.is_Integer else float_text(v)}' for s, v in point.items())
    return f"point = {{{values}}}\nsweep = circuit.at(point)\nsweep"


CIRCUIT_GRADIENT = "gradient = {str(s): float(sweep.gradients.get(s, 0)) for s in circuit.params}\ngradient"


def circuit_step_code(lr):
    return (f"lr = {float_text(lr)}\nnew_point = {{**point, **{{name: point[name] - lr * "
            "value for name, value in gradient.items()}}\n"
            "new_point, float(circuit.at(new_point).values[circuit.output])")
