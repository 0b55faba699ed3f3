"""Where each concern may live (issue 10, points 3 and 7), read from the code itself.

`bot/` holds no SQL (it asks `sync/` modules, handing them opaque values), `sync/` knows
nothing of Slack, and one module writes `sync_logs`. The folders keep to what README's
"How it works" says each may import: the engine never imports its fronts (`sync/cli/`,
`bot/`) or the sandbox, the bot never the terminal, and only the downloader (and the
doctor, which drives it) touches Playwright. These walk every import statement and every
call, inside functions too, so a lazy import cannot slip past.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SYNC_LOG_OWNER = ROOT / "sync" / "runlog.py"


def _modules(folder: str) -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted((ROOT / folder).rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"), str(path))


def imported_names(tree: ast.Module) -> Iterator[tuple[int, str]]:
    """Every module an import statement anywhere in `tree` names."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module
        elif (isinstance(node, ast.Call) and isinstance(node.func, (ast.Name, ast.Attribute))
              and (getattr(node.func, "id", None) == "__import__"
                   or getattr(node.func, "attr", None) == "import_module")
              and node.args and isinstance(node.args[0], ast.Constant)
              and isinstance(node.args[0].value, str)):
            yield node.lineno, node.args[0].value


def _imports_of(folder: str, *packages: str) -> list[str]:
    found = []
    for path, tree in _modules(folder):
        for line, name in imported_names(tree):
            if name.split(".")[0] in packages:
                found.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    return found


def _engine_modules() -> Iterator[tuple[Path, ast.Module]]:
    """`sync/` without its terminal front and its sandbox console."""
    for path, tree in _modules("sync"):
        if not {"cli", "sandbox"} & set(path.relative_to(ROOT / "sync").parts[:-1]):
            yield path, tree


def _named(tree: ast.Module) -> Iterator[tuple[int, str]]:
    """`imported_names`, plus `sync.cli` for `from sync import cli`."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            for alias in node.names:
                yield node.lineno, f"{node.module}.{alias.name}"
    yield from imported_names(tree)


def _reaching(modules: Iterator[tuple[Path, ast.Module]], *targets: str) -> list[str]:
    return sorted({f"{path.relative_to(ROOT)}:{line} imports {name}"
                   for path, tree in modules for line, name in _named(tree)
                   if any(name == target or name.startswith(target + ".")
                          for target in targets)})


def test_the_walk_sees_imports_inside_functions() -> None:
    tree = ast.parse("def f():\n    from sqlalchemy import text\n    import slack_sdk.web\n"
                     "    importlib.import_module('sqlalchemy.orm')\n")
    assert [name for _, name in imported_names(tree)] == [
        "sqlalchemy", "slack_sdk.web", "sqlalchemy.orm"]


def test_bot_holds_no_sql() -> None:
    assert _imports_of("bot", "sqlalchemy") == []


def test_sync_knows_nothing_of_slack() -> None:
    assert _imports_of("sync", "slack_sdk", "slack_bolt") == []


def sync_log_writes(tree: ast.Module) -> list[int]:
    """Lines that insert into or update `sync_logs`: `insert(SyncLog)`, `update(SyncLog)`,
    `SyncLog.__table__.insert()`, `session.add(SyncLog(...))`, or SQL text naming the
    table after INSERT INTO / UPDATE."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            first = node.args[0] if node.args else None
            on = node.func.value if isinstance(node.func, ast.Attribute) else None
            if name in {"insert", "update"} and (_names_sync_log(first)
                                                 or _names_sync_log(on)):
                lines.append(node.lineno)
            elif isinstance(node.func, ast.Name) and node.func.id == "SyncLog":
                lines.append(node.lineno)  # a model instance is only made to be added
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            sql = " ".join(node.value.lower().split())
            if any(verb in sql for verb in ("insert into sync_logs", "update sync_logs",
                                            'insert into "sync_logs"', 'update "sync_logs"')):
                lines.append(node.lineno)
    return sorted(lines)


def _names_sync_log(node: ast.expr | None) -> bool:
    """`SyncLog`, `models.SyncLog`, `SyncLog.__table__`, or a table named "sync_logs"."""
    if isinstance(node, ast.Name):
        return node.id == "SyncLog"
    if isinstance(node, ast.Attribute):
        return node.attr == "SyncLog" or _names_sync_log(node.value)
    if isinstance(node, ast.Call):
        return any(isinstance(arg, ast.Constant) and arg.value == "sync_logs"
                   for arg in node.args)
    return False


def test_the_write_finder_sees_each_way_of_writing() -> None:
    tree = ast.parse(
        "insert(SyncLog)\nupdate(models.SyncLog).values(x=1)\nSyncLog.__table__.insert()\n"
        "session.add(SyncLog(run_id='x'))\ntext('UPDATE  sync_logs SET x=1')\n"
        "insert(table('sync_logs'))\nselect(SyncLog)\nupdate(Member)\n")
    assert sync_log_writes(tree) == [1, 2, 3, 4, 5, 6]


def test_only_runlog_writes_sync_logs() -> None:
    writers = [f"{path.relative_to(ROOT)}:{line}"
               for folder in ("sync", "bot") for path, tree in _modules(folder)
               if path != SYNC_LOG_OWNER and "migrations" not in path.parts
               for line in sync_log_writes(tree)]
    assert writers == []
    owner = ast.parse(SYNC_LOG_OWNER.read_text(encoding="utf-8"))
    assert sync_log_writes(owner), "the finder no longer sees runlog's own writes"


def test_the_layout_walk_sees_a_front_imported_from_its_package() -> None:
    tree = ast.parse("def f():\n    from sync import cli\n    import rich.text\n")
    assert _reaching(iter([(ROOT / "sync" / "x.py", tree)]), "sync.cli", "rich") == [
        "sync/x.py:2 imports sync.cli", "sync/x.py:3 imports rich.text"]


def test_the_engine_never_imports_its_fronts_or_the_sandbox() -> None:
    assert _reaching(_engine_modules(), "bot", "sync.cli", "sync.sandbox", "rich") == []


def test_the_bot_never_imports_the_terminal_or_the_sandbox() -> None:
    assert _reaching(_modules("bot"), "sync.cli", "sync.sandbox", "rich", "playwright") == []


def test_only_the_downloader_and_the_doctor_touch_playwright() -> None:
    allowed = {ROOT / "sync" / "cli" / "doctor.py"}
    outside = (item for item in _modules("sync")
               if "downloader" not in item[0].parts and item[0] not in allowed)
    # The sandbox is a web server, not a browser: it has no reason to either.
    assert _reaching(outside, "playwright") == []


def test_the_texts_import_nothing_of_the_project() -> None:
    texts = (item for item in _modules("sync") if "texts" in item[0].parts)
    assert _reaching(texts, "sync", "bot") == []
