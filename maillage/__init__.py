"""maillage: a knowledge graph of cooperation between the actors of a territory.

``__version__`` is the installed package's version (its metadata, from ``pyproject.toml``);
``maillage --version`` prints it and every analysis run records it (``params["maillage"]``).
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("maillage")
except PackageNotFoundError:  # the source tree used without being installed
    __version__ = "0+unknown"
