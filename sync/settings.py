"""Every setting publ-sync reads, from the environment and a `.env` file.

The names are the contract in design.md; `.env.example` lists each with a comment.
Secrets are `SecretStr` so that printing the settings never shows them.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    # --- publ console login -------------------------------------------------------------
    publ_email: str = ""
    publ_password: SecretStr = SecretStr("")
    publ_channel_id: str = ""
    publ_console_url: str = "https://console.publ.biz"

    # --- publ console layout: every path, accessible name and selector --------------------
    publ_login_path: str = "/?type=enter"
    publ_login_url_marker: str = "type=enter"
    publ_channels_path: str = "/all-channels"
    publ_channel_path: str = "/channels/{channel_id}"
    publ_members_path: str = "/members/registered-users"
    publ_orders_path: str = "/orders/subs-products"
    publ_refunds_path: str = "/orders/refunds"
    publ_email_label: str = "E-mail"
    publ_password_label: str = "Password"  # noqa: S105 (an accessible name, not a secret)
    publ_login_button: str = "Login"
    publ_members_button: str = "All Member download(CSV)"
    publ_export_icon_selector: str = 'button:has(svg path[d*="20.1835,14.7857"])'
    publ_page_param: str = "page"
    publ_page_size: int = 300
    publ_page_size_param: str = "limit"
    publ_page_count_pattern: str = r"(\d+)\s*/\s*(\d+)"
    publ_max_order_pages: int = 50
    # where a wrong password's message appears on the login page (read for the report)
    publ_login_error_selector: str = '[role=alert], .error-message, .error'
    # The masked failure screenshot and `doctor --snapshot` keep only an allowlist readable
    # (sync/downloader/readable.py): the labels above, these page headings and the console's
    # own words. Everything else is covered.
    publ_page_headings: Annotated[list[str], NoDecode] = Field(default_factory=lambda: [
        "All channels", "Registered users", "Subscription products", "Refunds"])
    # areas covered whole on top of that (a CSS selector; empty = none)
    publ_mask_selector: str = ""
    # wrong-password texts known to come from publ: one found by a fallback is a drift
    publ_login_error_texts: Annotated[list[str], NoDecode] = Field(default_factory=lambda: [
        "e-mail and/or password is incorrect", "e-mail or password is incorrect"])
    # what shows that a page has drawn itself (Playwright selectors); a control still
    # missing PUBL_LAYOUT_WAIT_MS after that is a layout change
    publ_members_ready: str = "button"
    publ_orders_ready: str = r"text=/^\s*\d+\s*\/\s*\d+\s*$/"
    publ_refunds_ready: str = r"text=/^\s*\d+\s*\/\s*\d+\s*$/"
    publ_layout_wait_ms: int = 3000
    # a page whose DOM has not changed for this long counts as drawn, even without its
    # READY element
    publ_layout_quiet_ms: int = 5000

    # --- browser ------------------------------------------------------------------------
    browser_timeout_ms: int = 15000
    session_check_timeout_ms: int = 3000
    # the members page counts as drawn, for the session check, once its content has not
    # changed for this long (with its READY element shown and no request in flight)
    session_settle_ms: int = 1000
    browser_launch_timeout_ms: int = 30000
    chromium_path: str = ""
    download_retries: int = 2
    # the longest the download stage of one sync may take; past it the browser is killed
    sync_timeout_seconds: float = 600
    # how long killed Chromium processes get to disappear before the run goes on
    browser_kill_wait_seconds: float = 2.0
    retry_backoff_seconds: float = 2.0

    # --- storage and database -----------------------------------------------------------
    storage_dir: Path = Path("storage")
    database_url: str = ""
    # how long a SQLite write waits for another program's lock before it fails
    sqlite_busy_timeout_ms: int = 30000
    retention_days: int = 90
    heartbeat_seconds: float = 10.0
    heartbeat_stale_seconds: float = 120.0

    # --- Slack --------------------------------------------------------------------------
    slack_bot_token: SecretStr = SecretStr("")
    slack_app_token: SecretStr = SecretStr("")
    # Socket Mode: how often publ-bot tries to open its connection at start, and the wait
    # between tries, before it gives up with one sentence (a refused token is not retried)
    slack_connect_attempts: int = 5
    slack_connect_retry_seconds: float = 10.0
    slack_signing_secret: SecretStr = SecretStr("")
    slack_channel: str = ""
    slack_api_url: str = "https://slack.com/api/"
    slack_allowed_users: Annotated[list[str], NoDecode] = Field(default_factory=list)
    port: int = 3000
    slack_timeout_seconds: int = 30
    slack_max_retries: int = 2
    slack_retry_backoff_seconds: float = 0.5
    slack_retry_max_wait_seconds: float = 60.0
    bot_shutdown_grace_seconds: float = 60.0
    # `/publ-sync` looks up a run of another process before it answers, for at most this long
    ack_lookup_seconds: float = 1.0
    bot_host: str = "0.0.0.0"  # noqa: S104 - HTTP mode must be reachable by Slack
    # messages kept while Slack is unreachable: first retry after this, doubling up to the max
    outbox_retry_seconds: float = 30.0
    outbox_retry_max_seconds: float = 900.0
    # GET /healthz: Socket Mode serves it on HEALTH_PORT (0 = off); HTTP mode on PORT
    health_port: int = 0
    health_database_timeout_seconds: float = 2.0
    # the event loop counts as stalled when its ticker has not moved for this long
    health_loop_stale_seconds: float = 5.0
    # an outside monitor's ping URL (Healthchecks protocol); empty = off. A secret.
    healthcheck_url: SecretStr = SecretStr("")
    healthcheck_timeout_seconds: float = 10.0
    # the bot says it was down when it comes back after at least this long
    downtime_notice_hours: float = 6.0
    log_level: str = "INFO"

    # --- schedule and alerts --------------------------------------------------------------
    sync_schedule: str = "0 9 * * *"
    timezone: str = "Asia/Seoul"
    alert_after_failures: int = 2
    alert_remind_hours: float = 24
    misfire_grace_seconds: int = 3600
    # the business digest in the day's first scheduled message, and its weekly chart
    digest_enabled: bool = True
    digest_weekday: str = "mon"
    digest_font_path: str = "/usr/share/fonts/truetype/nanum/NanumGothic.ttf"
    report_allowed_users: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # the Home tab of whoever opened it within this many hours is refreshed after each run
    home_refresh_hours: float = 24

    bot_language: Literal["ko", "en"] = "ko"

    @field_validator("slack_allowed_users", "report_allowed_users", "publ_login_error_texts",
                     "publ_page_headings", mode="before")
    @classmethod
    def _split_users(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("digest_weekday", mode="before")
    @classmethod
    def _weekday_name(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip().lower()[:3]
            if value and value not in WEEKDAYS:
                raise ValueError("DIGEST_WEEKDAY is one of mon, tue, wed, thu, fri, sat, sun")
        return value

    @property
    def report_users(self) -> list[str]:
        """Who may see the business report: `REPORT_ALLOWED_USERS`, else
        `SLACK_ALLOWED_USERS` (empty = everyone)."""
        return self.report_allowed_users or self.slack_allowed_users

    @field_validator("slack_api_url")
    @classmethod
    def _trailing_slash(cls, value: str) -> str:
        return value if value.endswith("/") else value + "/"

    @field_validator("publ_console_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @field_validator("bot_language", mode="before")
    @classmethod
    def _lower_language(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @cached_property
    def effective_database_url(self) -> str:
        """`DATABASE_URL`, or the SQLite file inside the storage folder."""
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{self.storage_dir / 'publ.db'}"

    def console_url(self, path: str) -> str:
        """An absolute console URL for a path relative to `PUBL_CONSOLE_URL`."""
        return self.publ_console_url + (path if path.startswith("/") else "/" + path)

    def channel_url(self, page_path: str) -> str:
        """An absolute URL for a page under the channel base, e.g. the members page."""
        base = self.publ_channel_path.format(channel_id=self.publ_channel_id)
        return self.console_url(base.rstrip("/") + page_path)


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment and `.env`, with explicit overrides on top."""
    return Settings(**overrides)  # type: ignore[arg-type]
