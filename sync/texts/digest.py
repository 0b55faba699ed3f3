"""Texts of the business digest (the daily message, `/publ-sync report`, `publ-sync report`)
and of its chart. Counts and sums only; `{name}` is a product name, escaped by the renderer.
"""

MESSAGES: dict[str, dict[str, str]] = {
    "digest.won": {"ko": "{amount}원", "en": "₩{amount}"},
    "digest.weekdays": {"ko": "월 화 수 목 금 토 일", "en": "Mon Tue Wed Thu Fri Sat Sun"},
    "digest.months": {
        "ko": "1 2 3 4 5 6 7 8 9 10 11 12",
        "en": "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec",
    },
    "digest.date": {"ko": "{month}월 {day}일 ({weekday})", "en": "{weekday}, {month} {day}"},
    "digest.title_day": {"ko": "💰 {day} 실적", "en": "💰 Business on {day}"},
    "digest.title_window": {
        "ko": "💰 {first} ~ {last} 실적 ({days}일)",
        "en": "💰 Business from {first} to {last} ({days} days)",
    },
    "digest.sales": {"ko": "{count}건 {amount}", "en": "{count} for {amount}"},
    "digest.orders": {
        "ko": "*새 주문:* {sales} (정기결제 {subscriptions} · 단건결제 {one_time})",
        "en": "*New orders:* {sales} (subscriptions {subscriptions} · one-time {one_time})",
    },
    "digest.no_orders": {"ko": "*새 주문:* 주문 0건", "en": "*New orders:* 0 orders"},
    "digest.no_data": {
        "ko": "데이터 없음 — 이 기간이 끝난 뒤 성공한 동기화가 아직 없습니다.",
        "en": "No data — no sync has succeeded since this period ended.",
    },
    "digest.partly_covered": {
        "ko": "_{days}일 중 {covered}일만 동기화된 데이터가 있습니다 (나머지는 데이터 없음)._",
        "en": "_Only {covered} of {days} days have synced data (the rest: no data)._",
    },
    "digest.members": {"ko": "*새 회원:* {count}명", "en": "*New members:* {count}"},
    "digest.refund_requests": {
        "ko": "*환불 요청:* {sales}", "en": "*Refund requests:* {sales}",
    },
    "digest.refunds_settled": {
        "ko": "*환불 처리 (동기화에서 확인된 상태 변경):* 환불 완료 {refunded} · 거절 {rejected}",
        "en": "*Refunds settled (status changes the syncs saw):* refunded {refunded} · "
              "rejected {rejected}",
    },
    "digest.compare": {
        "ko": "*최근 {days}일 (그 전 {days}일 대비):* 매출 {revenue} {revenue_change} · "
              "주문 {orders}건 {orders_change}",
        "en": "*Last {days} days (vs the {days} before):* revenue {revenue} {revenue_change} · "
              "{orders} orders {orders_change}",
    },
    "digest.change.new": {"ko": "신규", "en": "new"},
    "digest.products_title": {"ko": "*매출 상위 상품*", "en": "*Top products by revenue*"},
    "digest.product": {"ko": "{rank}. {name} — {sales}", "en": "{rank}. {name} — {sales}"},
    "digest.based_on": {
        "ko": "이번 동기화가 실패해서, 마지막 성공 동기화({time}) 기준입니다.",
        "en": "This sync failed, so these figures rest on the last successful sync ({time}).",
    },
    "digest.chart.title": {
        "ko": "최근 {days}일 일별 매출과 주문", "en": "Daily revenue and orders, last {days} days",
    },
    "digest.chart.revenue": {"ko": "매출 (원)", "en": "Revenue (KRW)"},
    "digest.chart.orders": {"ko": "주문 (건)", "en": "Orders (count)"},
    "digest.chart.no_data": {"ko": "빈 칸: 데이터 없음", "en": "Gaps: no data"},
    "digest.chart.file_title": {
        "ko": "최근 28일 매출 차트", "en": "Revenue chart, last 28 days",
    },
    "digest.chart.failed": {
        "ko": "⚠️ 매출 차트를 올리지 못했습니다 (동기화 결과에는 영향 없음).",
        "en": "⚠️ The revenue chart could not be uploaded (the sync itself is not affected).",
    },
    # --- /publ-sync report and publ-sync report ------------------------------------------
    "digest.report.usage": {
        "ko": "사용법: `/publ-sync report` 또는 `/publ-sync report 7d` (최근 7일), "
              "`/publ-sync report 30d` (최근 30일).",
        "en": "Usage: `/publ-sync report` or `/publ-sync report 7d` (last 7 days), "
              "`/publ-sync report 30d` (last 30 days).",
    },
    "digest.report.refused": {
        "ko": "매출 보고는 허락된 사용자만 볼 수 있습니다. 필요하면 관리자에게 "
              "`REPORT_ALLOWED_USERS` 에 추가해 달라고 요청하세요.",
        "en": "Only permitted users can see the business report; ask an admin to add you to "
              "`REPORT_ALLOWED_USERS`.",
    },
    "digest.report.failed": {
        "ko": "매출 보고를 만들지 못했습니다 ({reason}). `publ-sync doctor` 로 데이터베이스를 "
              "확인해 주세요.",
        "en": "Could not build the business report ({reason}). Check the database with "
              "`publ-sync doctor`.",
    },
    "digest.report.bad_days": {
        "ko": "--days 는 1에서 366 사이의 숫자여야 합니다.",
        "en": "--days must be a number from 1 to 366.",
    },
}
