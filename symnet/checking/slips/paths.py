"""Slips in a chain's paths: a fork's paths not all added, a path dropped, one through the wrong
neuron, one added that does not lead to the parameter."""

from itertools import combinations

from ..wording import and_list, path_sentence
from .edits import keep_paths, reroute
from .slip import Slip

MAX_PATH_SUBSETS = 10  # up to this many paths, every subset may be the one kept


def fork(ctx):
    # a node used by several others (x1 by N1 and N2; a by c and d): its gradient is the sum
    # over its uses, and the answer kept the paths through some of them only
    uses = {}
    for p in ctx.chain.paths:
        for child, node in zip(p.nodes, p.nodes[1:]):
            uses.setdefault(node, {}).setdefault(child, []).append(p.nodes)
    for node, by_child in uses.items():
        if len(by_child) < 2:
            continue
        children = list(by_child)
        for child in children:
            missed = [n for c in children if c != child for n in by_child[c]]
            kept = {p.nodes for p in ctx.chain.paths} - set(missed)
            lost = {f for p in ctx.chain.paths if p.nodes in missed for f, _ in p.factors} - \
                {f for p in ctx.chain.paths if p.nodes in kept for f, _ in p.factors}
            others = [str(c) for c in children if c != child]
            many = len(missed) > 1
            yield Slip("fork's gradients not added",
                       f"{node} is used by {and_list(children)}, and its gradient adds the paths "
                       f"through each: your answer misses the path{'s' * many} through "
                       f"{and_list(others)}", keep_paths(kept), frozenset(missed) | lost)


def dropped_paths(ctx):
    paths = [p.nodes for p in ctx.chain.paths]
    if len(paths) < 2:
        return
    sizes = range(len(paths) - 1, 0, -1) if len(paths) <= MAX_PATH_SUBSETS else [len(paths) - 1]
    for size in sizes:
        for keep in combinations(range(len(paths)), size):
            missed = [i for i in range(len(paths)) if i not in keep]
            kept = {f for i in keep for f, _ in ctx.chain.paths[i].factors}
            lost = {f for i in missed for f, _ in ctx.chain.paths[i].factors} - kept
            yield Slip("dropped path", path_sentence(paths, keep),
                       keep_paths({paths[i] for i in keep}),
                       frozenset(paths[i] for i in missed) | lost)


def wrong_neuron(ctx):
    for path in ctx.chain.paths:
        for moved, sibling, new in ctx.rerouted(path):
            changed = {f for (f, v), (_, w) in zip(path.factors, new.factors) if v != w}
            yield Slip("path through the wrong neuron",
                       f"you took the path through {sibling} instead of the path through {moved}",
                       reroute(path.nodes, new), frozenset([path.nodes]) | changed)


def added_path(ctx):
    existing = {p.nodes for p in ctx.chain.paths}
    for path in ctx.chain.paths:
        for _, sibling, new in ctx.rerouted(path):
            if new.nodes not in existing:
                yield Slip("added path",
                           f"your answer adds a path through {sibling}, which does not lead to "
                           f"{ctx.wrt}", reroute(path.nodes, new, add=True), frozenset([new.nodes]))
