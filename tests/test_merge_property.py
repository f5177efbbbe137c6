"""Property: whatever the draft became since the base, every word a contributor proposed ends up in the merged
draft (applied or in a bracket) or in the merge report (not placed). Nothing is lost."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from wtpf_cli.merging.threeway import merge_text


@st.composite
def scenario(draw: st.DrawFn) -> tuple[str, str, list[tuple[str, str]]]:
    n_paras = draw(st.integers(1, 5))
    counter = 0

    def word(prefix: str) -> str:
        nonlocal counter
        counter += 1
        return f"{prefix}{counter}"

    base = [[word("b") for _ in range(draw(st.integers(1, 6)))] for _ in range(n_paras)]

    def edited(paras: list[list[str]], prefix: str) -> list[list[str]]:
        out = [list(p) for p in paras]
        for _ in range(draw(st.integers(0, 4))):
            op = draw(st.sampled_from(["replace", "insert", "delete", "drop_para", "new_para"]))
            if not out:
                out.append([word(prefix)])
                continue
            p = draw(st.integers(0, len(out) - 1))
            para = out[p]
            if op == "drop_para" and len(out) > 1:
                del out[p]
            elif op == "new_para":
                out.insert(p, [word(prefix) for _ in range(draw(st.integers(1, 3)))])
            elif para:
                i = draw(st.integers(0, len(para) - 1))
                if op == "replace":
                    para[i] = word(prefix)
                elif op == "insert":
                    para.insert(i, word(prefix))
                elif op == "delete" and len(para) > 1:
                    del para[i]
        return out

    def text(paras: list[list[str]]) -> str:
        return "\n\n".join(" ".join(p) for p in paras) + "\n"

    current = edited(base, "c")
    proposals = [(f"S{k}", text(edited(base, f"p{k}x"))) for k in range(draw(st.integers(1, 3)))]
    return text(base), text(current), proposals


@settings(max_examples=300, deadline=None)
@given(scenario())
def test_every_proposed_word_is_merged_bracketed_or_reported(case: tuple[str, str, list[tuple[str, str]]]) -> None:
    base, current, proposals = case
    draft = current
    for source, proposal in proposals:
        merged, _applied, _conflicts, unplaced = merge_text(base, draft, proposal, source, lambda _pos: "Draft")
        reported = " ".join(h.new for h in unplaced).split()
        proposed = {w for w in proposal.split() if not w.startswith("b")}
        for word in proposed:
            assert word in merged.replace("[", " ").replace("]", " ").split() or word in reported, (word, merged)
        # Words of the current draft stay, unless this proposal deletes them (base words it does not keep).
        flat = merged.replace("[", " ").replace("]", " ").split()
        dropped_by_proposal = set(base.split()) - set(proposal.split())
        for word in draft.replace("[", " ").replace("]", " ").split():
            if not word.endswith(":") and word not in ("(nothing)", "(delete)"):
                assert word in flat or word in dropped_by_proposal, (word, merged)
        draft = merged
