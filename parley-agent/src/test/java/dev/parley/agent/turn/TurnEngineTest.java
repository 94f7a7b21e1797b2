package dev.parley.agent.turn;

import static dev.parley.agent.testing.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.agent.AgentException;
import dev.parley.agent.definition.AgentDefinition;
import dev.parley.agent.persist.SignalRepository;
import dev.parley.agent.session.AgentEvent;
import dev.parley.agent.session.EventType;
import dev.parley.agent.session.MessageKind;
import dev.parley.agent.session.Session;
import dev.parley.agent.session.Signal;
import dev.parley.agent.session.StoredMessage;
import dev.parley.agent.testing.Fixtures;
import dev.parley.agent.testing.Harness;
import dev.parley.core.chat.ContentBlock;
import dev.parley.fakes.FakeReply;
import dev.parley.fakes.RecordedRequest;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

final class TurnEngineTest {
  private static final String PROFILE = "{\"business_type\":\"executive coaching, one-to-one\",\"surface_challenge\":\"not enough clients\",\"business_stage\":\"growing\"}";

  private final AgentDefinition agent = Fixtures.coachMira();
  private Harness h;
  private Session session;

  @BeforeEach
  void start() {
    h = Harness.start(agent);
    session = h.newSession("coachmira");
  }

  @AfterEach
  void stop() {
    h.close();
  }

  @Test
  void send_plainAnswer_storesUserThenAssistantAndOffersOnlyPhaseTools() {
    h.fake.enqueue(FakeReply.text("Hi Dana! What kind of coaching do you do?"));
    TurnReply reply = h.say(session, "Hello");
    assertThat(reply.replayed()).isFalse();
    assertThat(reply.json().at("/message/text").asText()).isEqualTo("Hi Dana! What kind of coaching do you do?");
    assertThat(reply.json().at("/session/phase").asText()).isEqualTo("context");
    assertThat(reply.json().at("/session/status").asText()).isEqualTo("active");
    assertThat(reply.json().path("tool_calls")).isEmpty();
    RecordedRequest request = h.fake.request(0);
    assertThat(request.toolNames()).containsExactly("complete_profile");
    assertThat(request.systemPrompt()).contains("You are speaking with Dana").contains("understand the business")
        .doesNotContain("explore what lies under");
    List<StoredMessage> messages = h.orchestrator.sessions().messages(h.tenant, session.id());
    assertThat(messages).extracting(StoredMessage::kind).containsExactly(MessageKind.USER, MessageKind.ASSISTANT);
    assertThat(events()).extracting(AgentEvent::type)
        .containsExactly(EventType.CONVERSATION_START, EventType.LLM_REQUEST, EventType.TURN_COMPLETE);
    assertThat(h.orchestrator.sessions().find(h.tenant, session.id()).orElseThrow().stats().turns()).isEqualTo(1);
  }

  @Test
  void send_validCompleteProfile_storesFieldsMovesPhaseAndRebuildsNextRequest() {
    h.fake.enqueue(
        FakeReply.message(new ContentBlock.Text("Let me note that."), new ContentBlock.ToolUse("toolu_1", "complete_profile", json(PROFILE))),
        FakeReply.text("Thanks. Let's look under the surface: who is your ideal client?"));
    TurnReply reply = h.say(session, "I run an executive coaching practice and I can't get enough clients.");

    assertThat(reply.json().at("/session/phase").asText()).isEqualTo("exploration");
    assertThat(reply.json().at("/session/fields/business_type").asText()).isEqualTo("executive coaching, one-to-one");
    assertThat(reply.json().at("/session/fields/business_stage").asText()).isEqualTo("growing");
    assertThat(reply.json().at("/tool_calls/0/status").asText()).isEqualTo("executed");
    RecordedRequest first = h.fake.request(0);
    RecordedRequest second = h.fake.request(1);
    assertThat(first.toolNames()).containsExactly("complete_profile");
    assertThat(second.toolNames()).containsExactly("submit_hypothesis");
    assertThat(second.systemPrompt()).contains("explore what lies under").contains("**exploration** phase")
        .contains("a executive coaching, one-to-one business at the growing stage").doesNotContain("understand the business");
    // History replays exactly: the assistant's tool_use then the tool_result.
    JsonNode messages = second.messages();
    assertThat(messages.get(1).at("/content/1/type").asText()).isEqualTo("tool_use");
    assertThat(messages.get(2).at("/content/0/tool_use_id").asText()).isEqualTo("toolu_1");
    assertThat(events()).extracting(AgentEvent::type).contains(EventType.TOOL_EXECUTION, EventType.PHASE_CHANGE);
    List<StoredMessage> stored = h.orchestrator.sessions().messages(h.tenant, session.id());
    assertThat(stored).extracting(StoredMessage::kind)
        .containsExactly(MessageKind.USER, MessageKind.ASSISTANT, MessageKind.TOOL_RESULT, MessageKind.ASSISTANT);
    assertThat(stored.get(1).blocks()).hasSize(2);
  }

  @Test
  void send_outOfPhaseTool_blockedWithIsErrorNamingNoOtherPhaseTool() {
    h.fake.enqueue(
        FakeReply.toolUse("toolu_x", "submit_scores", json("{\"scores\":{\"importance\":9,\"confidence\":9,\"commitment\":9}}")),
        FakeReply.text("Sorry, let's start with your business."));
    TurnReply reply = h.say(session, "Skip ahead and score me.");

    assertThat(reply.json().at("/session/phase").asText()).isEqualTo("context");
    assertThat(reply.json().at("/session/fields").has("readiness_scores")).isFalse();
    assertThat(reply.json().at("/tool_calls/0/status").asText()).isEqualTo("blocked");
    assertThat(reply.json().at("/tool_calls/0/reason").asText()).isEqualTo("out_of_phase");
    JsonNode toolResult = h.fake.request(1).messages().get(2).at("/content/0");
    assertThat(toolResult.path("type").asText()).isEqualTo("tool_result");
    assertThat(toolResult.path("is_error").asBoolean()).isTrue();
    String content = toolResult.path("content").isTextual() ? toolResult.path("content").asText() : toolResult.path("content").toString();
    assertThat(content).contains("complete_profile").doesNotContain("submit_scores").doesNotContain("identify_constraint")
        .doesNotContain("submit_hypothesis");
    assertThat(events()).extracting(AgentEvent::type).contains(EventType.GUARD_BLOCK).doesNotContain(EventType.TOOL_EXECUTION, EventType.PHASE_CHANGE);
    List<Signal> signals = h.db.jdbi().withHandle(x -> SignalRepository.list(x, h.tenant));
    assertThat(signals).singleElement().satisfies(s -> {
      assertThat(s.signal()).isEqualTo("guard_block");
      assertThat(s.signature()).isEqualTo("guard_block:coachmira:context:out_of_phase");
      assertThat(s.phase()).contains("context");
      assertThat(s.toJson().has("severity")).isTrue();
    });
  }

  @Test
  void send_invalidInput_rejectedAndNothingExecuted() {
    h.fake.enqueue(
        FakeReply.toolUse("toolu_1", "complete_profile", json("{\"business_type\":\"life coaching\"}")),
        FakeReply.text("What is the main challenge?"));
    TurnReply reply = h.say(session, "I do life coaching.");
    assertThat(reply.json().at("/tool_calls/0/status").asText()).isEqualTo("invalid");
    assertThat(reply.json().at("/tool_calls/0/result").asText()).contains("surface_challenge");
    assertThat(reply.json().at("/session/phase").asText()).isEqualTo("context");
    assertThat(reply.json().at("/session/fields").has("business_type")).isFalse();
    assertThat(h.fake.request(1).messages().get(2).at("/content/0/is_error").asBoolean()).isTrue();
  }

  @Test
  void send_caseChangedAndUnknownTools_blocked() {
    h.fake.enqueue(
        FakeReply.message(new ContentBlock.ToolUse("t1", "COMPLETE_PROFILE", json(PROFILE)), new ContentBlock.ToolUse("t2", "drop_tables", json("{}"))),
        FakeReply.text("ok"));
    TurnReply reply = h.say(session, "hi");
    assertThat(reply.json().path("tool_calls")).extracting(n -> n.path("reason").asText()).containsExactly("case_mismatch", "unknown_tool");
    assertThat(reply.json().at("/session/phase").asText()).isEqualTo("context");
  }

  @Test
  void send_callsAfterATransitionInOneReply_notRun() {
    h.fake.enqueue(
        FakeReply.message(new ContentBlock.ToolUse("t1", "complete_profile", json(PROFILE)),
            new ContentBlock.ToolUse("t2", "submit_hypothesis", json("{\"hypotheses\":[{\"statement\":\"No clear niche\",\"category\":\"strategy\"}]}"))),
        FakeReply.text("ok"));
    TurnReply reply = h.say(session, "hi");
    assertThat(reply.json().path("tool_calls")).extracting(n -> n.path("status").asText()).containsExactly("executed", "blocked");
    assertThat(reply.json().at("/tool_calls/1/reason").asText()).isEqualTo("phase_changed");
    assertThat(reply.json().at("/session/phase").asText()).isEqualTo("exploration");
  }

  @Test
  void send_sameIdempotencyKeyTwice_callsModelOnceAndStoresUserMessageOnce() {
    h.fake.enqueue(FakeReply.text("Welcome!"));
    TurnReply first = h.say(session, "Hello", "key-1");
    TurnReply second = h.say(session, "Hello", "key-1");
    assertThat(second.replayed()).isTrue();
    assertThat(second.json()).isEqualTo(first.json());
    assertThat(h.fake.requestCount()).isEqualTo(1);
    assertThat(h.orchestrator.sessions().messages(h.tenant, session.id())).filteredOn(m -> m.kind() == MessageKind.USER).hasSize(1);
  }

  @Test
  void send_keyReusedWithOtherText_rejected() {
    h.fake.enqueue(FakeReply.text("Welcome!"));
    h.say(session, "Hello", "key-1");
    AgentException e = assertThrows(AgentException.class, () -> h.say(session, "Something else", "key-1"));
    assertThat(e.kind()).isEqualTo(AgentException.Kind.IDEMPOTENCY_MISMATCH);
  }

  @Test
  void send_providerFailure_clearErrorEventAndRetryCompletes() {
    h.fake.enqueue(FakeReply.overloaded());
    AgentException e = assertThrows(AgentException.class, () -> h.say(session, "Hello", "key-9"));
    assertThat(e.kind()).isEqualTo(AgentException.Kind.PROVIDER_ERROR);
    assertThat(e.getMessage()).contains("model provider failed").contains("retry");
    ObjectNode json = h.orchestrator.sessions().json(h.tenant, session.id());
    assertThat(json.at("/last_turn/status").asText()).isEqualTo("failed");
    assertThat(json.at("/last_turn/retriable").asBoolean()).isTrue();
    assertThat(h.orchestrator.sessions().messages(h.tenant, session.id())).extracting(StoredMessage::kind).containsExactly(MessageKind.USER);
    assertThat(events()).filteredOn(ev -> ev.type() == EventType.ERROR).singleElement()
        .satisfies(ev -> assertThat(ev.data().path("code").asText()).isEqualTo("provider_error"));

    h.fake.enqueue(FakeReply.text("Back again, hello!"));
    TurnReply reply = h.say(session, "Hello", "key-9");
    assertThat(reply.json().at("/message/text").asText()).isEqualTo("Back again, hello!");
    assertThat(reply.json().at("/turn/attempts").asInt()).isEqualTo(2);
    assertThat(h.orchestrator.sessions().messages(h.tenant, session.id())).extracting(StoredMessage::kind)
        .containsExactly(MessageKind.USER, MessageKind.ASSISTANT);
    assertThat(h.fake.request(1).messages()).hasSize(1);
  }

  @Test
  void send_retryWithoutKey_resumesFailedTurn() {
    h.fake.enqueue(FakeReply.serverError());
    assertThrows(AgentException.class, () -> h.say(session, "Hello"));
    h.fake.enqueue(FakeReply.text("Hello!"));
    TurnReply reply = h.orchestrator.turns().send(new TurnRequest(h.tenant, session.id(), Optional.empty(), Optional.empty(), true), TurnListener.NONE);
    assertThat(reply.json().at("/message/text").asText()).isEqualTo("Hello!");
    assertThat(h.orchestrator.sessions().messages(h.tenant, session.id())).hasSize(2);
  }

  @Test
  void send_modelKeepsCallingTools_stopsAtMaxToolRounds() {
    h.fake.respondWith(r -> FakeReply.toolUse("t" + r.sequence(), "complete_profile", json("{}")));
    TurnReply reply = h.say(session, "hi");
    assertThat(h.fake.requestCount()).isEqualTo(8);
    assertThat(reply.json().at("/turn/stop").asText()).isEqualTo("max_tool_rounds");
    assertThat(reply.json().path("tool_calls")).hasSize(8);
  }

  @Test
  void send_streamingListener_receivesTextDeltasAndToolCalls() {
    h.fake.enqueue(
        FakeReply.toolUse("toolu_1", "complete_profile", json(PROFILE)),
        FakeReply.text("Streaming works across several chunks of text for this reply."));
    StringBuilder text = new StringBuilder();
    List<String> phases = new java.util.ArrayList<>();
    List<String> tools = new java.util.ArrayList<>();
    TurnReply reply = h.orchestrator.turns().send(TurnRequest.message(h.tenant, session.id(), "hi"), new TurnListener() {
      @Override
      public void onText(String delta) {
        text.append(delta);
      }

      @Override
      public void onToolCall(ObjectNode call) {
        tools.add(call.path("name").asText());
      }

      @Override
      public void onPhaseChange(String from, String to) {
        phases.add(from + "->" + to);
      }
    });
    assertThat(text.toString()).isEqualTo(reply.json().at("/message/text").asText());
    assertThat(tools).containsExactly("complete_profile");
    assertThat(phases).containsExactly("context->exploration");
    assertThat(h.fake.request(0).stream()).isTrue();
  }

  /** What the listener saw, in order, and on which thread. */
  private static final class Recorder implements TurnListener {
    final List<String> seen = new java.util.ArrayList<>();
    final java.util.Set<Thread> threads = new java.util.HashSet<>();
    final StringBuilder text = new StringBuilder();

    @Override
    public void onText(String delta) {
      threads.add(Thread.currentThread());
      text.append(delta);
      if (seen.isEmpty() || !seen.get(seen.size() - 1).equals("text")) {
        seen.add("text");
      }
    }

    @Override
    public void onToolCall(ObjectNode call) {
      threads.add(Thread.currentThread());
      seen.add("tool_call " + call.path("name").asText() + " " + call.path("status").asText());
    }

    @Override
    public void onPhaseChange(String from, String to) {
      threads.add(Thread.currentThread());
      seen.add("phase " + from + "->" + to);
    }
  }

  @Test
  void send_streamingListener_eventsInCausalOrderAllOnTheCallersThread() {
    h.fake.enqueue(
        FakeReply.message(new ContentBlock.Text("Let me note that down for you."), new ContentBlock.ToolUse("toolu_1", "complete_profile", json(PROFILE)),
            new ContentBlock.ToolUse("toolu_2", "submit_hypothesis", json("{\"hypotheses\":[{\"statement\":\"No niche\",\"category\":\"strategy\"}]}"))),
        FakeReply.text("Now, who is your ideal client?"));
    Recorder recorder = new Recorder();
    TurnReply reply = h.orchestrator.turns().send(TurnRequest.message(h.tenant, session.id(), "hi"), recorder);
    assertThat(recorder.seen).containsExactly("text", "tool_call complete_profile executed", "phase context->exploration",
        "tool_call submit_hypothesis blocked", "text");
    assertThat(recorder.threads).containsExactly(Thread.currentThread());
    assertThat(recorder.text.toString()).isEqualTo("Let me note that down for you." + reply.json().at("/message/text").asText());
  }

  @Test
  void send_listenerThrows_turnCompletesAndIsStored() {
    h.fake.enqueue(FakeReply.toolUse("toolu_1", "complete_profile", json(PROFILE)), FakeReply.text("Noted."));
    TurnReply reply = h.orchestrator.turns().send(TurnRequest.message(h.tenant, session.id(), "hi"), new TurnListener() {
      @Override
      public void onText(String delta) {
        throw new IllegalStateException("client went away");
      }
    });
    assertThat(reply.json().at("/message/text").asText()).isEqualTo("Noted.");
    assertThat(reply.json().at("/session/phase").asText()).isEqualTo("exploration");
  }

  @Test
  void send_modelOutputWithNulCharacters_repairedStoredAndSessionFree() {
    // JSON escapes: the parser turns them into NUL characters (a raw NUL is not valid JSON text).
    String profile = "{\"business_type\":\"exec\\u0000coaching\",\"surface_challenge\":\"not enough clients\",\"business_stage\":\"growing\"}";
    h.fake.enqueue(
        FakeReply.message(new ContentBlock.Text("Noting\u0000 that."), new ContentBlock.ToolUse("toolu_1", "complete_profile", json(profile)),
            new ContentBlock.ToolUse("toolu\u00002", "drop\u0000tables", json("{\"k\\u0000\":\"v\\u0000\"}"))),
        FakeReply.text("All\u0000 set."));
    TurnReply reply = h.say(session, "I coach executives.");

    assertThat(reply.json().at("/message/text").asText()).isEqualTo("All\uFFFD set.");
    assertThat(reply.json().at("/session/fields/business_type").asText()).isEqualTo("exec\uFFFDcoaching");
    assertThat(reply.json().path("tool_calls")).extracting(c -> c.path("name").asText()).containsExactly("complete_profile", "drop\uFFFDtables");
    assertThat(reply.json().at("/tool_calls/1/input").has("k\uFFFD")).isTrue();
    List<StoredMessage> stored = h.orchestrator.sessions().messages(h.tenant, session.id());
    assertThat(stored).extracting(StoredMessage::text).containsExactly("I coach executives.", "Noting\uFFFD that.", "", "All\uFFFD set.");
    assertThat(events()).filteredOn(e -> e.type() == EventType.LLM_REQUEST).first()
        .satisfies(e -> assertThat(e.data().path("replaced_characters").asInt()).isEqualTo(6));
    List<Signal> signals = h.db.jdbi().withHandle(x -> SignalRepository.list(x, h.tenant));
    assertThat(signals).extracting(Signal::signal).contains("model_output_repaired");
    assertThat(h.orchestrator.sessions().find(h.tenant, session.id()).orElseThrow().activeTurn()).isEmpty();

    h.fake.enqueue(FakeReply.text("Next."));
    assertThat(h.say(session, "And now?").json().at("/message/text").asText()).isEqualTo("Next.");
  }

  @Test
  void send_modelOutputWithLoneSurrogate_repairedAndStored() {
    String body = "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\","
        + "\"content\":[{\"type\":\"text\",\"text\":\"half \\ud83d of a pair, whole \\ud83d\\ude00\"}],"
        + "\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":10,\"output_tokens\":5}}";
    h.fake.enqueue(FakeReply.raw(200, "application/json", body));
    TurnReply reply = h.say(session, "hi");
    String expected = "half \uFFFD of a pair, whole \uD83D\uDE00";
    assertThat(reply.json().at("/message/text").asText()).isEqualTo(expected);
    assertThat(h.orchestrator.sessions().messages(h.tenant, session.id()).get(1).text()).isEqualTo(expected);
  }

  @Test
  void send_emptyReply_storedAsTheAnswerButNeverSentBack() {
    h.fake.enqueue(new FakeReply.Message(List.of(), Optional.empty(), Optional.empty()), FakeReply.text("Sorry, I lost my words. Hello!"));
    TurnReply empty = h.say(session, "Hello");
    assertThat(empty.json().at("/message/text").asText()).isEmpty();
    assertThat(events()).filteredOn(e -> e.type() == EventType.TURN_COMPLETE).singleElement()
        .satisfies(e -> assertThat(e.data().path("empty_reply").asBoolean()).isTrue());

    h.say(session, "Are you there?");
    JsonNode sent = h.fake.request(1).messages();
    for (JsonNode message : sent) {
      assertThat(message.path("content").isTextual() ? message.path("content").asText() : message.path("content").toString())
          .as("no message may be sent without content: %s", sent).isNotBlank().isNotEqualTo("[]");
    }
    assertThat(sent).extracting(m -> m.path("role").asText()).containsExactly("user");
    assertThat(h.orchestrator.sessions().messages(h.tenant, session.id())).extracting(StoredMessage::kind)
        .containsExactly(MessageKind.USER, MessageKind.ASSISTANT, MessageKind.USER, MessageKind.ASSISTANT);
  }

  @Test
  void metrics_conversationReachesItsTerminalPhase_costRecordedOnce() {
    h.fake.enqueue(
        FakeReply.toolUse("t1", "complete_profile", json(PROFILE)),
        FakeReply.toolUse("t2", "submit_hypothesis", json("{\"hypotheses\":[{\"statement\":\"No clear niche\",\"category\":\"strategy\"}]}")),
        FakeReply.toolUse("t3", "identify_constraint", json("{\"constraint\":\"Pricing too low\",\"category\":\"strategy\"}")),
        FakeReply.toolUse("t4", "submit_scores", json("{\"scores\":{\"importance\":8,\"confidence\":6,\"commitment\":9}}")),
        FakeReply.text("Thank you, that is everything."));
    TurnReply reply = h.say(session, "Let's do it all at once.");
    assertThat(reply.json().at("/session/status").asText()).isEqualTo("complete");
    var cost = h.registry.get("parley.conversation.cost").tag("parley.agent", "coachmira").summary(); // throws when not recorded
    assertThat(cost.count()).isEqualTo(1);
    assertThat(cost.totalAmount()).isPositive().isCloseTo(reply.json().at("/session/stats/cost_usd").asDouble(), org.assertj.core.data.Offset.offset(1e-9));

    h.fake.enqueue(FakeReply.text("You're welcome."));
    h.say(session, "Thanks!");
    assertThat(cost.count()).isEqualTo(1);
  }

  @Test
  void send_unknownSession_notFound() {
    AgentException e = assertThrows(AgentException.class,
        () -> h.orchestrator.turns().send(TurnRequest.message(h.tenant, java.util.UUID.randomUUID(), "hi"), TurnListener.NONE));
    assertThat(e.kind()).isEqualTo(AgentException.Kind.NOT_FOUND);
  }

  @Test
  void metrics_afterATurn_recordTokensDurationsAndGuardBlocks() {
    h.fake.enqueue(FakeReply.toolUse("t1", "submit_scores", json("{}")), FakeReply.text("ok"));
    h.say(session, "hi");
    assertThat(h.registry.find("gen_ai.client.operation.duration").timers()).isNotEmpty();
    assertThat(h.registry.get("gen_ai.client.token.usage").tag("gen_ai.token.type", "input").summary().totalAmount()).isPositive();
    assertThat(h.registry.get("gen_ai.client.token.usage").tag("gen_ai.token.type", "output").summary().totalAmount()).isPositive();
    assertThat(h.registry.get("parley.guard.blocks").counter().count()).isEqualTo(1.0);
    assertThat(h.registry.get("parley.turn.overhead").timer().count()).isEqualTo(1);
  }

  private List<AgentEvent> events() {
    return h.orchestrator.sessions().events(h.tenant, session.id(), 0, 1000);
  }
}
