"""The package version, in a module of its own so that subpackages (reports, web, sweep) can name
it without importing the package root (``her2scope/__init__.py`` imports the whole pipeline)."""

__version__ = "0.1.0"
