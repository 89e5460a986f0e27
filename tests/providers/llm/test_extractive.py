"""ExtractiveChatModel on its own: the rules, the cited answers, streaming and usage."""

from __future__ import annotations

import json

from langchain_core.messages import AIMessage, AIMessageChunk, HumanMessage, ToolMessage
from langchain_core.tools import tool

from parley.providers.llm import ExtractiveChatModel
from parley.providers.llm.extractive_answer import compose_answer, split_sentences
from parley.providers.llm.extractive_rules import SEARCHED_FIRST, resolve_follow_up
from tests.providers.llm.knowledge import make_search_tool, search

FALLBACK = "Sorry, I can't find that in our documents."


@tool
def handoff_to_human(reason: str) -> str:
    """Hand the conversation over to a person on the team."""
    return "A teammate will join this chat shortly."


@tool
def capture_lead(name: str, email: str, message: str = "") -> str:
    """Save the visitor's contact details."""
    return f"Thanks {name}, we will write to {email}."


def model(**options) -> ExtractiveChatModel:
    return ExtractiveChatModel(fallback_message=FALLBACK, **options)


def search_result(query: str, call_id: str = "call_1") -> list:
    hits = search(query)
    call = AIMessage(
        "", tool_calls=[{"name": "search_knowledge_base", "args": {"query": query}, "id": call_id}]
    )
    return [
        HumanMessage(query),
        call,
        ToolMessage(
            "<document>...</document>", tool_call_id=call_id, name="search_knowledge_base", artifact=hits
        ),
    ]


def test_asks_for_a_search_with_the_question() -> None:
    bound = model().bind_tools([make_search_tool(), handoff_to_human])
    reply = bound.invoke([HumanMessage("How long do refunds take?")])
    assert reply.content == ""
    assert reply.tool_calls == [
        {
            "name": "search_knowledge_base",
            "args": {"query": "How long do refunds take?"},
            "id": reply.tool_calls[0]["id"],
            "type": "tool_call",
        }
    ]
    assert reply.response_metadata["finish_reason"] == "tool_calls"


def test_short_follow_up_borrows_the_previous_question_topic() -> None:
    bound = model().bind_tools([make_search_tool()])
    history = [
        HumanMessage("What is your refund policy?"),
        AIMessage("We refund within 30 days [1]."),
        HumanMessage("And for digital goods?"),
    ]
    reply = bound.invoke(history)
    assert reply.tool_calls[0]["args"]["query"] == "And for digital goods? refund policy"


def test_follow_up_resolution_leaves_full_questions_alone() -> None:
    earlier = ["What is your refund policy?"]
    assert resolve_follow_up("How long does express shipping take to Canada?", earlier).endswith("Canada?")
    assert resolve_follow_up("How long does it take?", earlier) == "How long does it take? refund policy"
    assert resolve_follow_up("Shipping?", earlier) == "Shipping? refund policy"
    assert resolve_follow_up("What about shipping?", []) == "What about shipping?"


def test_answers_from_the_best_sentences_with_citations() -> None:
    reply = model().invoke(search_result("How long do refunds take to be paid back?"))
    assert reply.content == (
        "We offer a full refund within 30 days of purchase. Refunds are paid back to the original payment "
        "method within 5 business days [1]."
    )
    assert "Biscuit" not in reply.content  # the off-topic sentence of the same passage is left out


def test_cites_each_passage_it_quotes() -> None:
    passages = [
        {"text": "Refunds are paid within 5 days. The sky is blue.", "score": 0.9},
        {"text": "Digital goods are not refunded after download.", "score": 0.7},
    ]
    answer = compose_answer("are digital goods refunded?", passages, min_relevance=0.3, max_sentences=3)
    assert answer == "Refunds are paid within 5 days [1]. Digital goods are not refunded after download [2]."


def test_citation_numbers_follow_the_artifact_order_not_the_score_order() -> None:
    passages = [
        {"text": "Shipping takes three days to arrive.", "score": 0.4},
        {"text": "Refunds take five days to arrive.", "score": 0.9},
    ]
    answer = compose_answer("how many days do refunds take?", passages, min_relevance=0.3, max_sentences=1)
    assert answer == "Refunds take five days to arrive [2]."


def test_weak_retrieval_gives_the_fallback_message() -> None:
    messages = search_result("Do you sell refurbished laptops with refund insurance and warranty?")
    assert 0 < messages[-1].artifact[0]["score"] < 0.35
    assert model(min_relevance=0.35).invoke(messages).content == FALLBACK
    empty = [*messages[:-1], ToolMessage("No matching documents.", tool_call_id="call_1", artifact=[])]
    assert model().invoke(empty).content == FALLBACK
    failed = [*messages[:-1], ToolMessage("Error: timeout", tool_call_id="call_1", status="error")]
    assert model().invoke(failed).content == FALLBACK


def test_without_a_search_tool_it_says_the_fallback() -> None:
    assert model().invoke([HumanMessage("What is the refund policy?")]).content == FALLBACK


def test_max_sentences_caps_the_answer() -> None:
    long_text = " ".join(f"Refund rule number {n} applies to orders." for n in range(10))
    answer = compose_answer(
        "refund rule orders", [{"text": long_text, "score": 0.9}], min_relevance=0.3, max_sentences=2
    )
    assert answer is not None and answer.count("Refund rule") == 2


def test_sentence_splitting_handles_lines_and_bullets() -> None:
    text = (
        "Opening hours\n- Monday to Friday: 9 to 5.\n- Saturday: 10 to 2\nClosed on Sunday. Call us anytime."
    )
    assert split_sentences(text) == [
        "Opening hours",
        "Monday to Friday: 9 to 5.",
        "Saturday: 10 to 2",
        "Closed on Sunday.",
        "Call us anytime.",
    ]


def test_hands_off_to_a_human_when_asked() -> None:
    bound = model().bind_tools([make_search_tool(), handoff_to_human, capture_lead])
    reply = bound.invoke([HumanMessage("Can I talk to a human please?")])
    assert reply.tool_calls[0]["name"] == "handoff_to_human"
    assert reply.tool_calls[0]["args"] == {"reason": "Can I talk to a human please?"}
    done = ToolMessage("A teammate will join this chat shortly.", tool_call_id=reply.tool_calls[0]["id"])
    assert bound.invoke([HumanMessage("Can I talk to a human please?"), reply, done]).content == done.content


def test_a_search_made_before_the_model_still_lets_the_visitor_ask_for_a_person() -> None:
    bound = model().bind_tools([make_search_tool(), handoff_to_human, capture_lead])
    searched = search_result("Can I talk to a human please?", call_id=SEARCHED_FIRST + "1")
    reply = bound.invoke(searched)
    assert reply.tool_calls[0]["name"] == "handoff_to_human"
    # A question is answered straight from the passages searched for it.
    reply = bound.invoke(search_result("How long do refunds take to be paid back?", call_id=SEARCHED_FIRST + "2"))
    assert not reply.tool_calls and "30 days" in reply.text


def test_captures_a_lead_given_name_and_email() -> None:
    bound = model().bind_tools([make_search_tool(), handoff_to_human, capture_lead])
    text = "Hi, I'm Jane Doe, my email is jane.doe@example.com"
    reply = bound.invoke([HumanMessage(text)])
    assert reply.tool_calls[0]["name"] == "capture_lead"
    assert reply.tool_calls[0]["args"] == {
        "name": "Jane Doe",
        "email": "jane.doe@example.com",
        "message": text,
    }
    # An e-mail address without a name is just a question for the knowledge base.
    reply = bound.invoke([HumanMessage("Can you send the invoice to jane.doe@example.com?")])
    assert reply.tool_calls[0]["name"] == "search_knowledge_base"


def test_other_tools_are_only_called_when_bound() -> None:
    bound = model().bind_tools([make_search_tool()])
    reply = bound.invoke([HumanMessage("I want to speak to a real person")])
    assert reply.tool_calls[0]["name"] == "search_knowledge_base"


def test_tool_choice_none_disables_tools() -> None:
    bound = model().bind_tools([make_search_tool()], tool_choice="none")
    assert bound.invoke([HumanMessage("What is the refund policy?")]).content == FALLBACK


async def test_streams_word_by_word_with_usage_at_the_end() -> None:
    messages = search_result("How long do refunds take to be paid back?")
    whole = await model().ainvoke(messages)
    chunks = [chunk async for chunk in model().astream(messages)]
    assert len(chunks) > 10
    assert "".join(chunk.text for chunk in chunks) == whole.content
    merged = sum(chunks[1:], chunks[0])
    assert isinstance(merged, AIMessageChunk)
    assert merged.usage_metadata == whole.usage_metadata
    assert merged.usage_metadata["output_tokens"] > 10 and merged.usage_metadata["input_tokens"] > 0
    assert merged.response_metadata["finish_reason"] == "stop"


def test_streams_tool_calls_as_one_parsed_call() -> None:
    bound = model().bind_tools([make_search_tool()])
    chunks = list(bound.stream([HumanMessage("What is the refund policy?")]))
    merged = sum(chunks[1:], chunks[0])
    assert merged.tool_calls[0]["name"] == "search_knowledge_base"
    assert merged.tool_calls[0]["args"] == {"query": "What is the refund policy?"}
    assert json.loads(merged.tool_call_chunks[0]["args"]) == {"query": "What is the refund policy?"}


def test_is_deterministic() -> None:
    messages = search_result("How long do refunds take to be paid back?")
    first, second = model().invoke(messages), model().invoke(messages)
    assert (first.content, first.usage_metadata) == (second.content, second.usage_metadata)
    bound = model().bind_tools([make_search_tool()])
    assert bound.invoke(messages[:1]).tool_calls == bound.invoke(messages[:1]).tool_calls


def test_fills_a_search_parameter_with_another_name() -> None:
    @tool(response_format="content_and_artifact")
    def search_knowledge_base(q: str) -> tuple[str, list]:
        """Search."""
        return "", []

    reply = model().bind_tools([search_knowledge_base]).invoke([HumanMessage("refund policy?")])
    assert reply.tool_calls[0]["args"] == {"q": "refund policy?"}


def test_the_sources_own_reference_marks_are_dropped() -> None:
    # Quoted as found, "[12]" would read as a citation of passage 12.
    passages = [{"text": "The Eiffel Tower is 330 metres tall.[12] It was finished in 1889 [citation needed].",
                 "score": 0.9}]
    answer = compose_answer("how tall is the eiffel tower", passages, min_relevance=0.3, max_sentences=2)
    assert answer == "The Eiffel Tower is 330 metres tall. It was finished in 1889 [1]."


def test_a_mid_sentence_fragment_does_not_lead_the_answer() -> None:
    passages = [{"text": "refunds for the previous season were paid in cash. Refunds are paid within five "
                         "days of the return.", "score": 0.9}]
    answer = compose_answer("when are refunds paid", passages, min_relevance=0.3, max_sentences=1)
    assert answer == "Refunds are paid within five days of the return [1]."
