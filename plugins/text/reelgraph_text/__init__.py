"""reelgraph plugin ``text``: titles and lower thirds as clip sources.

In a project: ``{"schema": "GeneratorSource.1", "generator": "text.title", "params":
{"text": "reelgraph", "size": 96}}``. See :mod:`reelgraph_text.plugin` for the
parameters, :mod:`reelgraph_text.fonts` for how fonts are found and
:mod:`reelgraph_text.render` for the rendering.
"""

from reelgraph_text.fonts import FontNotFoundError, find_cjk_font, find_font
from reelgraph_text.render import TextStyle, render_text

__all__ = ["FontNotFoundError", "TextStyle", "find_cjk_font", "find_font", "render_text"]
