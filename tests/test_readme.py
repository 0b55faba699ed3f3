"""The READMEs are true: every runnable command block runs as shown (see readme_blocks)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.readme_blocks import ROOT, blocks, mask, problems, run_blocks

READMES = ["README.md", "README.ko.md"]


@pytest.mark.parametrize("name", READMES)
def test_every_runnable_block_prints_what_the_readme_shows(name: str) -> None:
    readme = ROOT / name
    assert blocks(readme), f"{name} has no runnable block"
    found = problems(run_blocks(readme))
    assert not found, f"{name} differs from what its commands print:\n\n" + "\n\n".join(found)


def test_a_wrong_output_or_a_failing_command_is_caught(tmp_path: Path) -> None:
    readme = tmp_path / "GUIDE.md"
    readme.write_text("text\n<!-- runnable -->\n```console\n$ echo hello\nhallo\n"
                      "$ false\n$ ls missing-file\n```\n\n```console\n$ not run\n```\n")
    assert [len(block.steps) for block in blocks(readme)] == [3]
    found = problems(run_blocks(readme))
    assert len(found) == 4, found  # hallo ≠ hello; false exits 1; ls prints and exits 2 ×2
    assert "line 4: $ echo hello" in found[0]


def test_what_changes_between_runs_is_masked_and_nothing_else() -> None:
    one = ("실행 ID 6e900bd2-1919-4960-a01d-b2b712a061ca · 명령줄 · 총 2.2초\n"
           " 회원 │ 성공 │  120 │     0.03 │ 261127_182617_members.csv\n"
           "storage/trash/20261127_175435_656434_reset_session.json  \n"
           "콘솔(http://127.0.0.1:38145) 2026-11-27 17:54 KST 0분 전에 저장됨")
    two = ("실행 ID e7eb2e78-a64b-494f-a230-0c4e8c07976e · 명령줄 · 총 11.7초\n"
           " 회원 │ 성공 │  120 │     1.20 │ 261201_090000_members.csv\n"
           "storage/trash/20261201_090001_000001_reset_session.json\n"
           "콘솔(http://127.0.0.1:8765) 2026-12-01 09:00 KST 3분 전에 저장됨")
    assert mask(one) == mask(two)
    assert mask(one.replace("120", "121")) != mask(two)  # counts are never masked
    assert mask(one.replace("성공", "실패")) != mask(two)
