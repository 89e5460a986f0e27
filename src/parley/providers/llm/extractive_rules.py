"""What the extractive model does next, decided by plain rules over the conversation.

Rules, checked in this order when the last message is the visitor's:

1. Handoff: the visitor asks for a person ("talk to a human", "connect me with an
   agent", "real person") and `handoff_to_human` is bound -> call it.
2. Lead: the message holds an e-mail address and a name ("I'm Jane Doe, jane@x.com",
   "my name is ...", "name: ...") and `capture_lead` is bound -> call it.
3. Search: `search_knowledge_base` is bound -> call it with the question. A very short
   follow-up ("and for digital goods?", "how long does it take?") gets the key words of
   the previous question appended, so the search has a topic.
4. Otherwise: answer with the fallback message.

When the last message is a tool result: a search result becomes a cited answer (see
`extractive_answer`), any other tool's result is passed on as the reply (tools such as
`handoff_to_human` return a short visitor-facing confirmation), and a failed tool gives
the fallback message. A search made for the visitor's message before the model ran (its
call id starts with SEARCHED_FIRST) still lets rules 1 and 2 go first.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage

from parley.providers.llm.extractive_answer import compose_answer, content_words, words

SEARCH_TOOL = "search_knowledge_base"
HANDOFF_TOOL = "handoff_to_human"
LEAD_TOOL = "capture_lead"
# Call ids of searches that the chat service runs with the visitor's message before the model.
SEARCHED_FIRST = "searched_first_"

_HANDOFF = re.compile(
    r"\b(?:talk|speak|chat|connect|transfer|escalate|put me through|reach)\b.{0,30}?"
    r"\b(?:human|person|agent|representative|operator|somebody|someone|staff|support team)\b"
    r"|\b(?:human (?:agent|being)|real person|live (?:agent|person|chat))\b",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"\+?\d[\d\s().-]{6,}\d")
# The introduction is case-insensitive; the name itself must be capitalised words.
_NAME = re.compile(
    r"(?i:\b(?:my name is|i am|i'm|this is|name\s*:)\s+)([A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){0,2})"
)
_FOLLOW_UP_START = re.compile(
    r"^\s*(?:and|but|also|or|so|what about|how about|what if|same)\b", re.IGNORECASE
)
_BACK_REFERENCE = frozenset({"it", "its", "that", "this", "they", "them", "those", "these", "there"})
FOLLOW_UP_MAX_WORDS = 6
TOPIC_WORDS = 6

_TEXT_ARGS = ("query", "question", "reason", "message", "summary", "note", "notes", "comment", "request")


@dataclass(frozen=True)
class Decision:
    """Either a text reply or a tool call (name + arguments)."""

    text: str = ""
    tool_name: str | None = None
    tool_args: dict[str, Any] = field(default_factory=dict)


def decide(
    messages: Sequence[BaseMessage],
    tools: Mapping[str, Mapping[str, Any]],
    *,
    min_relevance: float,
    fallback_message: str,
    max_sentences: int,
) -> Decision:
    """`tools` maps bound tool names to their JSON-schema parameters."""
    if not messages:
        return Decision(fallback_message)
    last = messages[-1]
    if isinstance(last, HumanMessage):
        return _on_visitor_message(messages, tools) or Decision(fallback_message)
    if isinstance(last, ToolMessage):
        if last.status == "error":
            return Decision(fallback_message)
        name, args = _tool_call_of(last, messages)
        if name == SEARCH_TOOL and (last.tool_call_id or "").startswith(SEARCHED_FIRST):
            if (request := _visitor_request(_last_visitor_text(messages), tools)) is not None:
                return request
        if name != SEARCH_TOOL:
            return Decision(last.text or fallback_message)
        question = str(args.get("query") or args.get("question") or _last_visitor_text(messages))
        artifact = last.artifact if isinstance(last.artifact, list) else []
        passages = [p for p in artifact if isinstance(p, Mapping)]
        answer = compose_answer(question, passages, min_relevance=min_relevance, max_sentences=max_sentences)
        return Decision(answer or fallback_message)
    return Decision(fallback_message)


def _on_visitor_message(
    messages: Sequence[BaseMessage], tools: Mapping[str, Mapping[str, Any]]
) -> Decision | None:
    text = messages[-1].text.strip()
    if (request := _visitor_request(text, tools)) is not None:
        return request
    if SEARCH_TOOL in tools and content_words(text):
        query = resolve_follow_up(text, _previous_visitor_texts(messages))
        args = _fill_args(tools[SEARCH_TOOL], {}, query)
        if args is not None:
            return Decision(tool_name=SEARCH_TOOL, tool_args=args)
    return None


def _visitor_request(text: str, tools: Mapping[str, Mapping[str, Any]]) -> Decision | None:
    """Rules 1 and 2: the visitor's message asks for a person, or leaves their details."""
    text = text.strip()
    if HANDOFF_TOOL in tools and _HANDOFF.search(text):
        args = _fill_args(tools[HANDOFF_TOOL], {}, text)
        if args is not None:
            return Decision(tool_name=HANDOFF_TOOL, tool_args=args)
    if LEAD_TOOL in tools and (lead := _lead_fields(text)):
        args = _fill_args(tools[LEAD_TOOL], lead, text)
        if args is not None:
            return Decision(tool_name=LEAD_TOOL, tool_args=args)
    return None


def resolve_follow_up(question: str, earlier_questions: Sequence[str]) -> str:
    """Append the previous question's key words to a short follow-up that lacks its own topic."""
    if not earlier_questions:
        return question
    question_words = words(question)
    is_short = len(question_words) <= FOLLOW_UP_MAX_WORDS
    refers_back = (
        _FOLLOW_UP_START.search(question) is not None
        or bool(_BACK_REFERENCE & set(question_words))
        or len(content_words(question)) <= 1
    )
    if not (is_short and refers_back):
        return question
    own = set(content_words(question))
    topic = [w for w in content_words(earlier_questions[-1]) if w not in own][:TOPIC_WORDS]
    return f"{question} {' '.join(topic)}".strip() if topic else question


def _lead_fields(text: str) -> dict[str, str] | None:
    email = _EMAIL.search(text)
    name = _NAME.search(text)
    if not (email and name):
        return None
    fields = {"name": name.group(1).strip(), "email": email.group(0)}
    if phone := _PHONE.search(_EMAIL.sub(" ", text)):
        fields["phone"] = phone.group(0).strip()
    return fields


def _fill_args(parameters: Mapping[str, Any], known: Mapping[str, str], text: str) -> dict[str, Any] | None:
    """Fill the tool's parameters from what we know; None when a required one stays empty."""
    properties: Mapping[str, Any] = parameters.get("properties") or {}
    args: dict[str, Any] = {}
    for name in properties:
        if name in known:
            args[name] = known[name]
        elif name in _TEXT_ARGS:
            args[name] = text
    first = next(iter(properties), None)
    if not args and first is not None and properties[first].get("type") == "string":
        args[first] = text  # an unfamiliar parameter name: give it the visitor's words
    required = parameters.get("required") or []
    return None if any(name not in args for name in required) else args


def _tool_call_of(result: ToolMessage, messages: Sequence[BaseMessage]) -> tuple[str | None, dict[str, Any]]:
    for message in reversed(messages):
        if isinstance(message, AIMessage):
            for call in message.tool_calls:
                if call.get("id") == result.tool_call_id:
                    return call["name"], dict(call.get("args") or {})
    return result.name, {}


def _last_visitor_text(messages: Sequence[BaseMessage]) -> str:
    texts = _visitor_texts(messages)
    return texts[-1] if texts else ""


def _previous_visitor_texts(messages: Sequence[BaseMessage]) -> list[str]:
    return _visitor_texts(messages)[:-1]


def _visitor_texts(messages: Sequence[BaseMessage]) -> list[str]:
    return [m.text for m in messages if isinstance(m, HumanMessage)]
