"""argparse in the operator's language: `publ-sync`'s usage, help and errors in BOT_LANGUAGE.

argparse takes every text it shows from `gettext` under its own module-level names `_` and
`ngettext`; while parsing, those are swapped for lookups in the table below (the texts of
the Python versions publ-sync supports). A text not in it stays English.
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Callable, Iterator

ARGPARSE_KO: dict[str, str] = {
    "usage: ": "사용법: ",
    "positional arguments": "인자",
    "options": "옵션",
    "show this help message and exit": "이 도움말을 보여 주고 끝냅니다",
    "%(prog)s: error: %(message)s\n": "%(prog)s: 오류: %(message)s\n",
    "the following arguments are required: %s": "다음 인자가 필요합니다: %s",
    "unrecognized arguments: %s": "알 수 없는 인자: %s",
    "argument %(argument_name)s: %(message)s": "인자 %(argument_name)s: %(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "%(value)r은(는) 고를 수 없습니다 (고를 수 있는 것: %(choices)s)",
    "expected one argument": "값 하나가 필요합니다",
    "expected at least one argument": "값이 하나 이상 필요합니다",
    "expected at most one argument": "값은 하나까지만 줄 수 있습니다",
    "expected %s argument": "값 %s개가 필요합니다",
    "expected %s arguments": "값 %s개가 필요합니다",
    "invalid %(type)s value: %(value)r": "%(type)s 값이 잘못되었습니다: %(value)r",
    "ambiguous option: %(option)s could match %(matches)s":
        "옵션 %(option)s이(가) 여럿에 해당합니다: %(matches)s",
    "ignored explicit argument %r": "%r 값은 이 옵션에 줄 수 없습니다",
    "not allowed with argument %s": "%s와(과) 함께 쓸 수 없습니다",
    "one of the arguments %s is required": "%s 중 하나가 필요합니다",
    "unexpected option string: %s": "예상하지 못한 옵션: %s",
    "unknown parser %(parser_name)r (choices: %(choices)s)":
        "%(parser_name)r은(는) 모르는 명령입니다 (명령: %(choices)s)",
}


@contextlib.contextmanager
def argparse_speaks(lang: str) -> Iterator[None]:
    """While inside, argparse shows its texts in `lang` (Korean, or as it is for English)."""
    if lang != "ko":
        yield
        return
    saved: tuple[Callable[[str], str], Callable[[str, str, int], str]] = (
        argparse._, argparse.ngettext)  # type: ignore[attr-defined]

    def ngettext(singular: str, plural: str, n: int) -> str:
        return ARGPARSE_KO.get(singular if n == 1 else plural, singular if n == 1 else plural)

    argparse._ = lambda text: ARGPARSE_KO.get(text, text)  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]
