"""lintsov: where does our data really live, and whose law can reach it?"""

__version__ = "0.1.0"
