"""The READMEs' runnable command blocks: found, run as a reader would, compared.

A block is runnable when the line before its opening fence is `<!-- runnable -->`. Inside,
`$ command` lines are typed in order in one folder, each followed by the output the README
shows for it. `$ echo $?` shows the exit code of the command before it; any other command
that exits non-zero is a failure unless an `$ echo $?` after it shows that code.

Each README's blocks run in a fresh folder set up the way that README tells its reader:
README.md's `.env` holds the four values `python -m sync.sandbox` prints (a sandbox console
started for the test); README.ko.md starts from the install folder with nothing but
`.env.example`, as its §4 does. Either folder has `.venv` (this test's virtualenv), and the
repository's `sync/samples/`, as a clone does.

README.ko.md has its reader type server commands as the service user (`sudo -u publ …`, in
the install folder); the test types them as itself, without that prefix.

Only what changes between runs is masked: times and dates, file-name stamps, run ids,
ports, temporary folders, durations, the Chromium version and a session's age.

`python tests/readme_blocks.py --update` rewrites the shown outputs with real ones (the
integrator's tool after a prose change); review the diff before committing.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARKER = "<!-- runnable -->"
FENCE = re.compile(r"^(```+|~~~+)\s*(\w*)\s*$")
PROMPT = "$ "
SERVICE_USER = "sudo -u publ "  # README.ko.md's reader runs commands as the service user
COMMAND_TIMEOUT_S = 60

MASKS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "<id>"),
    (re.compile(r"(/[\w.-]+)*/publ-sync-demo-[\w-]+"), "<tmp>"),
    (re.compile(r"(?<!\d)\d{8}_\d{6}_\d{6}(?!\d)"), "<stamp>"),  # set-aside, debug files
    (re.compile(r"(?<!\d)\d{6}_\d{6}(?=_)"), "<stamp>"),  # export file names
    (re.compile(r"\b\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?\b"), "<time>"),
    (re.compile(r"(127\.0\.0\.1|localhost):\d+"), r"\1:<port>"),
    (re.compile(r"Chromium [\d.]+"), "Chromium <version>"),
    (re.compile(r"\b\d+\.\d{2}\b(?= *│|\s*$)"), "<s>"),  # the table's seconds column
    (re.compile(r"(총|took|total) \d+(\.\d+)? ?(초|s)"), r"\1 <n>\3"),
    (re.compile(r"\d+(분|시간| min| h) (전|ago)"), r"<age>\1 \2"),
]


def mask(text: str) -> str:
    """`text` with what differs between runs replaced, and trailing blanks dropped."""
    for pattern, replacement in MASKS:
        text = pattern.sub(replacement, text)
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines())


@dataclass
class Step:
    """One `$ command` and the output the README shows for it."""

    command: str
    expected: str
    line: int  # in the README, 1-based, for the failure message


@dataclass
class Block:
    readme: Path
    line: int  # the opening fence's line, 1-based
    steps: list[Step] = field(default_factory=list)


def blocks(readme: Path) -> list[Block]:
    """Every runnable block of `readme`, in order."""
    lines = readme.read_text(encoding="utf-8").splitlines()
    found: list[Block] = []
    index = 0
    while index < len(lines):
        if lines[index].strip() != MARKER:
            index += 1
            continue
        fence_at = index + 1
        opening = FENCE.match(lines[fence_at]) if fence_at < len(lines) else None
        if opening is None:
            raise ValueError(f"{readme.name}:{index + 1}: {MARKER} is not followed by a fence")
        block = Block(readme, fence_at + 1)
        end = fence_at + 1
        while end < len(lines) and not lines[end].startswith(opening.group(1)):
            end += 1
        step: Step | None = None
        output: list[str] = []
        for number in range(fence_at + 1, end):
            text = lines[number]
            if text.startswith(PROMPT):
                if step is not None:
                    step.expected = "\n".join(output)
                    block.steps.append(step)
                step, output = Step(text[len(PROMPT):], "", number + 1), []
            elif step is None:
                raise ValueError(f"{readme.name}:{number + 1}: output before any `$ command`")
            else:
                output.append(text)
        if step is not None:
            step.expected = "\n".join(output)
            block.steps.append(step)
        found.append(block)
        index = end + 1
    return found


@dataclass
class Outcome:
    step: Step
    output: str
    code: int
    seconds: float = 0.0


@contextmanager
def install_folder(readme: Path) -> Iterator[tuple[Path, dict[str, str]]]:
    """A folder laid out like a fresh clone with `make setup` done, set up as `readme`
    tells its reader, and the environment a shell there would have."""
    base = Path(tempfile.mkdtemp(prefix="publ-readme-"))
    folder = base / "publ-sync"
    folder.mkdir()
    (base / "home").mkdir()
    (folder / ".venv").symlink_to(Path(sys.prefix))
    shutil.copy(ROOT / ".env.example", folder / ".env.example")
    shutil.copytree(ROOT / "sync" / "samples", folder / "sync" / "samples")
    env = {
        # Not the virtualenv's bin: a reader types `.venv/bin/publ-sync`, as the README does.
        "PATH": "/usr/bin:/bin",
        "HOME": str(base / "home"), "LANG": "C.UTF-8", "TMPDIR": str(base),
        "COLUMNS": "1000",  # no wrapping: the README shows each sentence on one line
        "PYTHONPATH": str(ROOT),
    }
    if os.environ.get("CHROMIUM_PATH"):
        env["CHROMIUM_PATH"] = os.environ["CHROMIUM_PATH"]
    sandbox: subprocess.Popen[str] | None = None
    try:
        if readme.name == "README.md":
            sandbox, values = _start_sandbox(env)
            (folder / ".env").write_text("".join(f"{k}={v}\n" for k, v in values.items()))
            (folder / ".env").chmod(0o600)
        yield folder, env
    finally:
        if sandbox is not None:
            sandbox.terminate()
            sandbox.wait(10)
        shutil.rmtree(base, ignore_errors=True)


def _start_sandbox(env: dict[str, str]) -> tuple[subprocess.Popen[str], dict[str, str]]:
    """`python -m sync.sandbox --port 0`, and the `PUBL_…=` values it prints."""
    process = subprocess.Popen([sys.executable, "-m", "sync.sandbox", "--port", "0"],
                               env=env, stdout=subprocess.PIPE, text=True)
    values: dict[str, str] = {}
    assert process.stdout is not None
    for line in process.stdout:
        match = re.match(r"\s+(PUBL_[A-Z_]+)=(\S+)", line)
        if match:
            values[match.group(1)] = match.group(2)
        if line.startswith("switches:"):
            break
    if len(values) < 4:
        process.kill()
        raise RuntimeError(f"the sandbox printed no settings: {values}")
    return process, values


def run_blocks(readme: Path) -> list[Outcome]:
    """Type every runnable block's commands of `readme` in order, in one install folder."""
    outcomes: list[Outcome] = []
    with install_folder(readme) as (folder, env):
        last_code = 0
        for block in blocks(readme):
            for step in block.steps:
                if step.command.strip() == "echo $?":
                    outcomes.append(Outcome(step, str(last_code), 0))
                    continue
                started = time.monotonic()
                command = step.command.removeprefix(SERVICE_USER)
                done = subprocess.run(["bash", "-c", command], cwd=folder, env=env,
                                      stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                      text=True, timeout=COMMAND_TIMEOUT_S, check=False)
                last_code = done.returncode
                outcomes.append(Outcome(step, done.stdout, done.returncode,
                                        time.monotonic() - started))
    return outcomes


def problems(outcomes: list[Outcome]) -> list[str]:
    """What differs from the README, one entry per command, with both texts masked."""
    found: list[str] = []
    for index, outcome in enumerate(outcomes):
        step = outcome.step
        where = f"line {step.line}: $ {step.command}"
        if mask(outcome.output) != mask(step.expected):
            found.append(f"{where}\n--- the README shows\n{mask(step.expected)}\n"
                         f"--- the command printed\n{mask(outcome.output)}")
        shown = (index + 1 < len(outcomes)
                 and outcomes[index + 1].step.command.strip() == "echo $?")
        if outcome.code != 0 and not shown:
            found.append(f"{where}\nexited {outcome.code} and the README shows no "
                         f"`$ echo $?` after it")
    return found


def update(readme: Path) -> None:
    """Write the real outputs into `readme`'s runnable blocks, where they differ from what
    it shows by more than the masked parts (so a figure measured once stays as it is)."""
    outcomes = run_blocks(readme)
    lines = readme.read_text(encoding="utf-8").splitlines()
    # From the bottom up, so the line numbers above stay right.
    for outcome in reversed(outcomes):
        step = outcome.step
        if mask(outcome.output) == mask(step.expected):
            continue
        start = step.line  # 0-based index of the first output line
        end = start + (len(step.expected.splitlines()) if step.expected else 0)
        real = outcome.output.rstrip("\n")
        lines[start:end] = [line.rstrip() for line in real.splitlines()] if real else []
    readme.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit("usage: python tests/readme_blocks.py --update")
    for name in ("README.md", "README.ko.md"):
        update(ROOT / name)
        print(f"updated {name}")
