"""The three publ CSV exports: their headers, in the console's order, and the database
column each header fills (publ-console.md, design.md)."""

from __future__ import annotations

from dataclasses import dataclass

from sync.report import SyncType


@dataclass(frozen=True)
class ExportFormat:
    sync_type: SyncType
    key_header: str
    columns: dict[str, str]  # CSV header -> database column, in export order
    ignored: tuple[str, ...] = ()  # headers that are not data (the orders page's row number)

    @property
    def headers(self) -> list[str]:
        return [*self.ignored, *self.columns] if self.ignored else list(self.columns)


MEMBERS = ExportFormat(
    SyncType.MEMBERS,
    key_header="Member Code",
    columns={
        "Member Code": "member_code",
        "Username": "username",
        "E-mail": "email",
        "Name": "name",
        "Country": "country",
        "Gender": "gender",
        "Birth year": "birth_year",
        "Personal email address": "personal_email",
        "Mobile number": "mobile_number",
        "Sign-up Date": "signed_up_at",
    },
)

ORDERS = ExportFormat(
    SyncType.ORDERS,
    key_header="Order Number",
    columns={
        "Order Number": "order_number",
        "Product name": "product_name",
        "Type": "product_type",
        "Price": "price",
        "Name": "buyer_name",
        "E-mail": "email",
        "Member Code": "member_code",
        "Payment Type": "payment_type",
        "Payment Method": "payment_method",
        "Date and Time of Payment": "paid_at",
    },
    ignored=("Number",),
)

REFUNDS = ExportFormat(
    SyncType.REFUNDS,
    key_header="Order Number",
    columns={
        "Order Number": "order_number",
        "Refund Status": "refund_status",
        "Refund Request Price": "refund_request_price",
        "Username": "username",
        "Member Code": "member_code",
        "Refund Request Date": "refund_requested_at",
    },
)

FORMATS: dict[SyncType, ExportFormat] = {f.sync_type: f for f in (MEMBERS, ORDERS, REFUNDS)}
