from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests.fakes.base import serve_app
from tests.fakes.openai_chat import FakeChatCompletions


@dataclass
class ChatServer:
    fake: FakeChatCompletions
    url: str  # server root: the groq SDK's base URL; OpenAI-style clients use f"{url}/v1"

    @property
    def openai_url(self) -> str:
        return f"{self.url}/v1"


@pytest.fixture(scope="module")
def chat_server_module() -> Iterator[ChatServer]:
    fake = FakeChatCompletions()
    with serve_app(fake.app) as url:
        yield ChatServer(fake, url)


@pytest.fixture
def chat_server(chat_server_module: ChatServer) -> ChatServer:
    """One server per module; each test starts with an empty script and no recorded requests."""
    chat_server_module.fake.reset()
    return chat_server_module
