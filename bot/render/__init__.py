"""Turning runs, status and help into Slack messages (Block Kit built with `slack_sdk.models`,
so Slack's limits are checked before anything is sent)."""
