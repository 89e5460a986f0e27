"""The embeddable widget: public config, visitor sessions, chat over WebSocket or SSE, static assets."""
