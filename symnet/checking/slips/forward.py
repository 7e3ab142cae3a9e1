"""Slips of a quiz's forward pass and of its update step, as ``(sentence, number)`` pairs: the
wrong numbers a quiz offers beside those of the chain rule's slips."""


def forward_slips(net, node, values):
    """``[(sentence, number)]`` for the forward value of ``node`` (an output or the loss ``L``)
    at a point's ``values``: an output activation left out; the ½ of a squared loss."""
    if node in net.outputs:
        pre = next(pre for pre, post in net.layers[-1] if (post if post is not None else pre) == node)
        if pre == node:
            return []
        inputs = ", ".join(map(str, net.parents[node]))  # softmax(1, N3, N4) reads N3 and N4
        return [(f"you left out the output activation: {node} is the "
                 f"{net.output_activation.name} of {inputs}, not {pre}", values[pre])]
    if net.loss.name == "half_sse":
        return [("you left out the ½ of the loss, ½(y − ŷ)²", 2 * values[node])]
    if net.loss.name == "mse":
        return [("you put in a ½ the loss does not have: it is (y − ŷ)², not ½(y − ŷ)²",
                 values[node] / 2)]
    return []


def update_slips(w, g, lr):
    """``[(sentence, number)]`` for one step of gradient descent, w − lr·g: the step taken
    uphill, the learning rate left out."""
    return [("you stepped uphill: the update is w − α ∂L/∂w, not w + α ∂L/∂w", w + lr * g),
            ("you left out the learning rate: the update is w − α ∂L/∂w, not w − ∂L/∂w", w - g)]
