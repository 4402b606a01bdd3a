"""Pieces of pattern the tables share."""

#: A value as ``repr()`` quotes it in a reason: ``'x'``, or ``"l'x"`` when it holds a quote.
QUOTED = r"""(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""
#: The same, as the group ``value``.
VALUE = rf"(?P<value>{QUOTED})"
