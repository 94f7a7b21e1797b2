package dev.parley.agent.sim;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.agent.AgentException;
import dev.parley.agent.Orchestrator;
import dev.parley.agent.definition.AgentDefinition;
import dev.parley.agent.session.Session;
import dev.parley.agent.session.StoredMessage;
import dev.parley.agent.turn.TurnListener;
import dev.parley.agent.turn.TurnReply;
import dev.parley.agent.turn.TurnRequest;
import dev.parley.core.chat.ChatMessage;
import dev.parley.core.chat.ChatModel;
import dev.parley.core.chat.ChatRequest;
import dev.parley.core.json.Json;
import dev.parley.store.TenantId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntConsumer;

/**
 * Drives an agent with simulated users and reports phase adherence, blocked calls, completion, tokens,
 * cost and latency: scripted conversations (user and model both scripted, the model served by a local
 * fake provider over real HTTP) or an LLM playing a persona against the real agent model.
 */
public final class Simulations {
  static final String END = "[DONE]";

  private Simulations() {}

  /**
   * Replays {@code scripts} one after another. {@code model} must script the provider {@code orchestrator}'s
   * model talks to; its replies are replaced turn by turn.
   */
  public static SimulationReport scripted(Orchestrator orchestrator, ModelScript model, AgentDefinition agent, TenantId tenant,
      List<Script> scripts, IntConsumer progress) {
    requireNonNull(orchestrator, "orchestrator is null");
    requireNonNull(model, "model is null");
    SimulationStats stats = new SimulationStats(agent, "scripted");
    int done = 0;
    for (Script script : scripts) {
      ObjectNode metadata = Json.object().put("simulation", script.id());
      script.userName().ifPresent(n -> metadata.put("user_name", n));
      Session session = orchestrator.sessions().create(tenant, agent.name(), Optional.of("sim-" + script.id()), metadata);
      int blocked = 0;
      int executed = 0;
      for (Script.Turn turn : script.turns()) {
        model.play(turn.model());
        long t0 = System.nanoTime();
        try {
          TurnReply reply = orchestrator.turns().send(TurnRequest.message(tenant, session.id(), turn.user()), TurnListener.NONE);
          SimulationStats.TurnCounts counts = stats.addTurn(script.id(), reply.json(), (System.nanoTime() - t0) / 1e6);
          blocked += counts.blocked();
          executed += counts.executed();
        } catch (AgentException e) {
          stats.failedTurns++;
          stats.turns++;
        }
      }
      Session end = orchestrator.sessions().find(tenant, session.id()).orElseThrow();
      stats.addConversation(end);
      if (script.expect().isPresent()) {
        Script.Expect expect = script.expect().get();
        int b = blocked;
        int x = executed;
        expect.finalPhase().ifPresent(p -> stats.expectation(p.equals(end.phase()),
            script.id() + ": expected final phase " + p + ", found " + end.phase()));
        expect.blocked().ifPresent(n -> stats.expectation(n == b, script.id() + ": expected " + n + " blocked calls, found " + b));
        expect.executed().ifPresent(n -> stats.expectation(n == x, script.id() + ": expected " + n + " executed calls, found " + x));
      }
      progress.accept(++done);
    }
    model.clear();
    return stats.report();
  }

  /**
   * Lets {@code userModel} play {@code persona} in {@code conversations} conversations of at most
   * {@code maxTurns} turns each, against the orchestrator's real agent model.
   */
  public static SimulationReport persona(Orchestrator orchestrator, ChatModel userModel, String userModelName, AgentDefinition agent,
      TenantId tenant, String persona, int conversations, int maxTurns, IntConsumer progress) {
    requireNonNull(userModel, "userModel is null");
    requireNonNull(persona, "persona is null");
    if (conversations < 1 || maxTurns < 1) {
      throw new IllegalArgumentException("conversations and maxTurns must be >= 1, were " + conversations + " and " + maxTurns);
    }
    SimulationStats stats = new SimulationStats(agent, "persona");
    String system = """
        You are role-playing a person talking to an AI advisor, to test the advisor. Stay in character.
        Write only your next message to the advisor: one to three sentences, plain text, no stage directions.
        When the advisor has clearly finished (it has summarised and closed, or you would leave now), reply
        with exactly %s.

        Your persona:
        %s""".formatted(END, persona.strip());
    for (int c = 0; c < conversations; c++) {
      Session session = orchestrator.sessions().create(tenant, agent.name(), Optional.of("persona-" + c), Json.object().put("simulation", "persona"));
      List<ChatMessage> transcript = new ArrayList<>();
      transcript.add(ChatMessage.user("(The advisor is waiting for you to start the conversation.)"));
      for (int t = 0; t < maxTurns; t++) {
        String said = userModel.chat(new ChatRequest(userModelName, system, transcript, List.of(), 300, 0.7, false)).message().text().strip();
        if (said.isEmpty() || said.contains(END)) {
          break;
        }
        transcript.add(ChatMessage.assistant(said));
        long t0 = System.nanoTime();
        String answer;
        try {
          TurnReply reply = orchestrator.turns().send(TurnRequest.message(tenant, session.id(), said), TurnListener.NONE);
          stats.addTurn(session.id().toString(), reply.json(), (System.nanoTime() - t0) / 1e6);
          answer = reply.json().at("/message/text").asText();
        } catch (AgentException e) {
          stats.failedTurns++;
          stats.turns++;
          break;
        }
        transcript.add(ChatMessage.user(answer.isBlank() ? "(the advisor said nothing)" : answer));
        if (orchestrator.sessions().find(tenant, session.id()).orElseThrow().status().isTerminal()) {
          break;
        }
      }
      stats.addConversation(orchestrator.sessions().find(tenant, session.id()).orElseThrow());
      progress.accept(c + 1);
    }
    return stats.report();
  }

  /** The transcript of a session as text (for reports and debugging). */
  public static String transcript(List<StoredMessage> messages) {
    StringBuilder sb = new StringBuilder();
    for (StoredMessage m : messages) {
      sb.append(m.kind().wire()).append(": ").append(m.text()).append('\n');
    }
    return sb.toString();
  }
}
