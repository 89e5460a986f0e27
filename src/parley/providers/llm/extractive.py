"""The offline default chat model: answers by quoting the knowledge base, no key, no network.

It plays the same part a real LLM plays inside the LangChain agent: it asks for
`search_knowledge_base` (or another bound tool), then turns the search artifact into
a short answer with citations, or says the bot's fallback message when retrieval is
weak. The rules are in `extractive_rules`; the answer composition in
`extractive_answer`. Everything is deterministic.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from typing import Any

from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.messages.ai import UsageMetadata
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.runnables import Runnable
from langchain_core.tools import BaseTool
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import BaseModel, Field

from parley.providers.llm.extractive_rules import decide

DEFAULT_FALLBACK_MESSAGE = "I don't know the answer to that based on the information I have."
_STREAM_PIECE = re.compile(r"\s*\S+")


class ExtractiveChatModel(BaseChatModel):
    """Extractive question answering dressed as a tool-calling chat model."""

    min_relevance: float = Field(default=0.35, ge=0.0, le=1.0)
    """Below this top search score the model answers `fallback_message`."""
    fallback_message: str = DEFAULT_FALLBACK_MESSAGE
    max_sentences: int = Field(default=3, ge=1, le=8)
    model_name: str = "extractive"

    @property
    def _llm_type(self) -> str:
        return "parley-extractive"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {
            "model_name": self.model_name,
            "min_relevance": self.min_relevance,
            "max_sentences": self.max_sentences,
        }

    def bind_tools(
        self,
        tools: Sequence[dict[str, Any] | type[BaseModel] | Callable[..., Any] | BaseTool],
        *,
        tool_choice: str | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        formatted = [convert_to_openai_tool(tool) for tool in tools]
        return self.bind(tools=formatted, tool_choice=tool_choice, **kwargs)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        message = self._reply(messages, kwargs)
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        for chunk in self._chunks(self._reply(messages, kwargs)):
            if run_manager:
                run_manager.on_llm_new_token(chunk.text, chunk=chunk)
            yield chunk

    async def _astream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[ChatGenerationChunk]:
        # Pure CPU work of a few milliseconds: no need for the default thread hop.
        for chunk in self._chunks(self._reply(messages, kwargs)):
            if run_manager:
                await run_manager.on_llm_new_token(chunk.text, chunk=chunk)
            yield chunk

    def _reply(self, messages: list[BaseMessage], call_kwargs: dict[str, Any]) -> AIMessage:
        decision = decide(
            messages,
            _bound_tools(call_kwargs),
            min_relevance=self.min_relevance,
            fallback_message=self.fallback_message,
            max_sentences=self.max_sentences,
        )
        input_tokens = estimate_tokens(" ".join(m.text for m in messages))
        metadata = {"model_name": self.model_name, "model_provider": "parley"}
        if decision.tool_name:
            call = {
                "name": decision.tool_name,
                "args": decision.tool_args,
                "id": _call_id(messages),
                "type": "tool_call",
            }
            output_tokens = estimate_tokens(decision.tool_name + json.dumps(decision.tool_args))
            return AIMessage(
                content="",
                tool_calls=[call],
                usage_metadata=_usage(input_tokens, output_tokens),
                response_metadata={**metadata, "finish_reason": "tool_calls"},
            )
        return AIMessage(
            content=decision.text,
            usage_metadata=_usage(input_tokens, estimate_tokens(decision.text)),
            response_metadata={**metadata, "finish_reason": "stop"},
        )

    def _chunks(self, message: AIMessage) -> Iterator[ChatGenerationChunk]:
        """Word-by-word text chunks, then one closing chunk carrying usage and metadata."""
        if message.tool_calls:
            call = message.tool_calls[0]
            tool_chunk = {
                "name": call["name"],
                "args": json.dumps(call["args"]),
                "id": call["id"],
                "index": 0,
            }
            yield ChatGenerationChunk(message=AIMessageChunk(content="", tool_call_chunks=[tool_chunk]))
        else:
            for piece in _STREAM_PIECE.findall(message.text):
                yield ChatGenerationChunk(message=AIMessageChunk(content=piece))
        closing = AIMessageChunk(
            content="",
            usage_metadata=message.usage_metadata,
            response_metadata=message.response_metadata,
            chunk_position="last",
        )
        yield ChatGenerationChunk(message=closing)


def estimate_tokens(text: str) -> int:
    """About four characters a token, the usual rule of thumb for English."""
    return max(1, math.ceil(len(text) / 4)) if text else 0


def _usage(input_tokens: int, output_tokens: int) -> UsageMetadata:
    return UsageMetadata(
        input_tokens=input_tokens, output_tokens=output_tokens, total_tokens=input_tokens + output_tokens
    )


def _bound_tools(call_kwargs: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Tool name -> JSON-schema parameters, from the OpenAI-format tools bound by `bind_tools`."""
    if call_kwargs.get("tool_choice") == "none":
        return {}
    tools: dict[str, dict[str, Any]] = {}
    for tool in call_kwargs.get("tools") or []:
        function = tool.get("function") or {}
        if name := function.get("name"):
            tools[name] = function.get("parameters") or {}
    return tools


def _call_id(messages: Sequence[BaseMessage]) -> str:
    # Deterministic and unique within a conversation, which only grows.
    return f"call_extractive_{len(messages)}"
