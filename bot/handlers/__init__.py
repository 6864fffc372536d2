"""Telegram handlers: thin adapters that parse an update, call a service and send the reply."""
