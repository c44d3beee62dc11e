"""The versioned ERBB2 knowledge base: data files in ``data/`` and their loader."""

from .loader import KnowledgeBase, load_knowledge

__all__ = ["KnowledgeBase", "load_knowledge"]
