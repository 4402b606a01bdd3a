"""One module per input format. Each module defines ``LOADER``, an object with ``name``,
``description``, ``priority`` (lower is sniffed first; specific formats before generic ones),
``sniff(path, head) -> bool`` and ``parse(path, source, options) -> Parsed``
(see :class:`maillage.loaders.base.Loader`). Modules here are found automatically.
"""
