"""Macros: batch edits, saves and renders of one project, from a JSON file, deterministically.

``reelgraph run MACRO`` runs one; from Python::

    result = run_macro(load_macro("batch.json", {"out": "renders"}))
"""

from reelgraph.macro.format import MACRO_SCHEMA, Macro, load_macro, parse_assignment, parse_macro
from reelgraph.macro.run import MacroResult, StepOutcome, run_macro

__all__ = [
    "MACRO_SCHEMA",
    "Macro",
    "MacroResult",
    "StepOutcome",
    "load_macro",
    "parse_assignment",
    "parse_macro",
    "run_macro",
]
