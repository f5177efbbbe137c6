"""python -m wtpf_cli."""

from .cli import main

main()
