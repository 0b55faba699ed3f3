"""What makes outside text safe to post: Slack markup shown as text, personal data masked,
and ordinary facts (dates, counts, file names) left as they are."""

from __future__ import annotations

import pytest

from bot.render.safety import escape, outside_text, user_mention


def test_markup_is_shown_not_obeyed() -> None:
    assert escape("<!channel> & <https://evil.example|x>") == (
        "&lt;!channel&gt; &amp; &lt;https://evil.example|x&gt;")


@pytest.mark.parametrize("personal", [
    "kim.minji+publ@example.co.kr", "010-1234-5678", "01012345678", "010 1234 5678",
    "02-123-4567", "+82 10-1234-5678", "+82-10-1234-5678",
])
def test_personal_data_is_masked(personal: str) -> None:
    shown = outside_text(f"주문 실패: {personal} 고객")
    assert personal not in shown
    assert "***" in shown


@pytest.mark.parametrize("fact", [
    "2024-12-27 15:30:45", "1,933명", "251218_164857_members.csv", "page 3 / 12",
    "L2NoYW5uZWxzLzE3Njkx", "12,900원", "20.1835,14.7857",
])
def test_ordinary_facts_are_left_alone(fact: str) -> None:
    assert outside_text(f"줄 {fact}") == f"줄 {fact}"


def test_long_text_is_cut_with_an_ellipsis() -> None:
    shown = outside_text("가" * 5000, limit=100)
    assert len(shown) == 100 and shown.endswith("…")


def test_only_real_user_ids_become_mentions() -> None:
    assert user_mention("U0OPERATOR") == "<@U0OPERATOR>"
    assert user_mention("<!channel>") == "&lt;!channel&gt;"
    assert user_mention(None) is None
