"""Parley: chatbots that answer from your documents."""
