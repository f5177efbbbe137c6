"""python -m wtpf_cli."""

from wtpf_cli.cli import main

main()
