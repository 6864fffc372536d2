"""Aikyn channel bot: article archive, Kazakh text analysis and Telegram side."""
