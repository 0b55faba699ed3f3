"""`python -m sync.sandbox`: run the sandbox console on its own, to point publ-sync at it.

Prints the settings to use; switches change at run time through `/_sandbox/control`, e.g.
`curl -X POST localhost:8700/_sandbox/control -d '{"stale_sessions": "half_valid"}'`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib

from sync.sandbox.app import Sandbox


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m sync.sandbox",
                                     description="A local imitation of the publ console.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8700, help="0 = any free port")
    parser.add_argument("--email", default="operator@example.com")
    parser.add_argument("--password", default="sandbox-pass")
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--orders", type=int, default=650)
    parser.add_argument("--refunds", type=int, default=65)
    parser.add_argument("--latency-ms", type=int, default=0, help="added to every page")
    parser.add_argument("--wrong-password", action="store_true", help="refuse every login")
    parser.add_argument("--button-missing", action="store_true", help="a layout change")
    parser.add_argument("--stale-sessions", choices=["valid", "expired", "half_valid"],
                        default="expired",
                        help="how sessions this process did not issue are treated")
    return parser


async def serve(args: argparse.Namespace) -> None:
    sandbox = Sandbox(email=args.email, password=args.password, members=args.members,
                      orders=args.orders, refunds=args.refunds, latency_ms=args.latency_ms,
                      wrong_password=args.wrong_password, button_missing=args.button_missing,
                      stale_sessions=args.stale_sessions)
    await sandbox.start(args.host, args.port)
    print(f"sandbox publ console at {sandbox.url}\n"
          f"  PUBL_CONSOLE_URL={sandbox.url}\n  PUBL_EMAIL={sandbox.email}\n"
          f"  PUBL_PASSWORD={sandbox.password}\n  PUBL_CHANNEL_ID={sandbox.channel_id}\n"
          f"switches: POST {sandbox.url}/_sandbox/control · counters: GET "
          f"{sandbox.url}/_sandbox/state · Ctrl+C stops", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await sandbox.stop()


def main() -> None:
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(build_parser().parse_args()))


if __name__ == "__main__":
    main()
