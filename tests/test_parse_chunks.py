"""The chunked parse's fast paths give what the line-by-line split and the chunk-by-chunk parse give."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from wtpf_cli.draft import _split_chunks, _split_lines

LINE_PIECES = st.sampled_from(
    [
        "word",
        "# Head",
        "- item",
        "1. item",
        " ",
        "  ",
        "\t",
        "\n",
        "\n\n",
        "  \n",
        "\u00a0",
        "\u3000",
        "\x1f",
        "```",
        "~~~",
        "  ```",
        "    ```",
        "`",
        "~",
        "<",
        "<div>",
        "\r",
        "\r\n",
        "\x0c",
        "\x85",
        "\u2028",
        "> ",
        "[^1]: note",
    ]
)


@settings(max_examples=2000, deadline=None)
@given(st.lists(LINE_PIECES, max_size=30).map("".join))
def test_chunks_cut_by_the_boundary_expression_are_the_chunks_cut_line_by_line(body: str) -> None:
    assert _split_chunks(body) == _split_lines(body)
