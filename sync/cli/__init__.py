"""The terminal front: `publ-sync`'s commands, the doctor, and how reports are drawn in a
terminal. It drives the engine in `sync/` and is never imported by it (or by `bot/`).

`sync.cli:main` is the console script's entry point, kept at this path so that an
installation upgraded in place (no new `pip install`) still starts."""

from sync.cli.entry import main

__all__ = ["main"]
