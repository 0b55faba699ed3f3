"""Message texts, one module per area; see `sync.i18n`."""
