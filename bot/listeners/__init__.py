"""Slack listeners, one module per listener, grouped by kind (commands, actions)."""
