"""Seeing gradients: the activation atlas (:mod:`.atlas`) and gradient flow, vanishing and
exploding products per layer (:mod:`.flow`), its magnitudes shown as a table and a chart
(:mod:`.magnitudes`)."""

from .atlas import Atlas, AtlasEntry, activation_atlas, atlas_entry, plot_atlas
from .flow import GradientFlow, compare_flow, compound, default_data, gradient_flow
from .magnitudes import flow_caption, flow_table, plot_flow

__all__ = ["Atlas", "AtlasEntry", "GradientFlow", "activation_atlas", "atlas_entry",
           "compare_flow", "compound", "default_data", "flow_caption", "flow_table",
           "gradient_flow", "plot_atlas", "plot_flow"]
