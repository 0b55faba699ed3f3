"""A sandbox imitation of the publ console, for tests, the demo and the benchmark."""

from sync.sandbox.app import COOKIE, WRONG_PASSWORD_TEXT, Sandbox
from sync.sandbox.state import Switches

__all__ = ["COOKIE", "WRONG_PASSWORD_TEXT", "Sandbox", "Switches"]
