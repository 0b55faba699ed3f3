"""Where the tests find the project: `ROOT` is the checkout, `TESTS` this folder."""

from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
