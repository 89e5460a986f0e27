"""Chat: conversations, the agent, streaming answers."""
