"""wtpf: versioned report drafting with attributed Word revision marks."""

__version__ = "0.1.0"
