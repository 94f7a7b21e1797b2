package dev.parley.agent.turn;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.agent.definition.AgentCatalog;
import dev.parley.agent.definition.AgentDefinition;
import dev.parley.agent.fsm.SessionStatus;
import dev.parley.agent.metrics.AgentMetrics;
import dev.parley.agent.persist.SessionRepository;
import dev.parley.agent.session.AgentEvent;
import dev.parley.agent.session.EventType;
import dev.parley.agent.session.MessageKind;
import dev.parley.agent.session.Session;
import dev.parley.agent.session.StoredMessage;
import dev.parley.agent.tool.GuardDecision;
import dev.parley.agent.tool.ToolExecutor;
import dev.parley.agent.tool.ToolGuard;
import dev.parley.agent.tool.ToolInvocation;
import dev.parley.agent.tool.ToolOutcome;
import dev.parley.core.chat.ContentBlock;
import dev.parley.core.json.Json;
import dev.parley.core.text.TextChecks;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The tool calls of one model reply. Each goes through the agent's guard for the phase the model was
 * offered tools in, and runs only when allowed; once a call changes the phase, the calls after it are
 * refused, since the model chose them from stale tools. Nothing here is stored: the results and the
 * session change come back as a {@link Result} for the round's transaction, and events and signals wait
 * in the turn's pending writes.
 */
final class ToolRound {
  private final Map<String, ToolGuard> guards = new HashMap<>();
  private final ToolExecutor executor;
  private final AgentMetrics metrics;
  private final Clock clock;

  /**
   * @param results one tool_result per tool_use, in order
   * @param fields the session's fields after the round
   * @param newPhase the phase a tool moved the session to
   * @param changed whether fields or phase changed
   */
  record Result(List<ContentBlock> results, ObjectNode fields, Optional<String> newPhase, boolean changed) {
    /** The compare-and-set that stores this round's change of {@code session}, if it made one. */
    Optional<SessionRepository.StateChange> stateChange(AgentDefinition agent, Session session) {
      if (!changed) {
        return Optional.empty();
      }
      String after = newPhase.orElse(session.phase());
      return Optional.of(new SessionRepository.StateChange(session.version(), after, SessionStatus.of(agent.phases().phase(after)), fields));
    }
  }

  ToolRound(AgentCatalog catalog, ToolExecutor executor, AgentMetrics metrics, Clock clock) {
    requireNonNull(catalog, "catalog is null");
    this.executor = requireNonNull(executor, "executor is null");
    this.metrics = requireNonNull(metrics, "metrics is null");
    this.clock = requireNonNull(clock, "clock is null");
    catalog.all().forEach(a -> guards.put(a.name(), new ToolGuard(a)));
  }

  /**
   * Decides and runs {@code uses}, telling the turn's listener about each call and phase change as it happens.
   *
   * @param phase the phase whose tools the model was offered
   */
  Result run(TurnRun run, String phase, List<ContentBlock.ToolUse> uses) {
    AgentDefinition agent = run.agent;
    // The turn's agent came from the same catalog, so it has a guard.
    ToolGuard guard = requireNonNull(guards.get(agent.name()), () -> "agent " + agent.name() + " is not in the catalog");
    ObjectNode fields = run.session.fields().deepCopy();
    boolean changed = false;
    Optional<String> newPhase = Optional.empty();
    boolean phaseAnnounced = false;
    List<ContentBlock> results = new ArrayList<>();
    for (ContentBlock.ToolUse use : uses) {
      Instant at = clock.instant();
      GuardDecision decision = newPhase.isPresent() ? guard.phaseChanged(newPhase.get()) : guard.check(phase, use);
      ObjectNode call = Json.object().put("id", use.id()).put("name", use.name());
      call.set("input", use.input());
      call.put("phase", phase);
      String content;
      boolean isError;
      switch (decision) {
        case GuardDecision.Allowed allowed -> {
          long t0 = System.nanoTime();
          ToolOutcome outcome = clean(executor.execute(allowed.tool(), new ToolInvocation(String.valueOf(run.tenant.value()),
              run.sessionId().toString(), agent.name(), phase, use.id(), use.name(), use.input(), fields)));
          Optional<String> target = outcome.transition();
          if (!outcome.isError() && target.isPresent() && !agent.phases().canTransition(phase, target.get())) {
            outcome = ToolOutcome.error("Tool " + use.name() + " failed: it asked for a phase change that is not allowed from " + phase + ".");
            target = Optional.empty();
          }
          long nanos = System.nanoTime() - t0;
          run.toolRan(nanos);
          metrics.toolExecution(agent.name(), use.name(), Duration.ofNanos(nanos), !outcome.isError());
          ObjectNode data = Json.object().put("tool", use.name()).put("tool_use_id", use.id()).put("phase", phase).put("is_error", outcome.isError());
          if (!outcome.isError()) {
            final ObjectNode set = outcome.setFields();
            set.properties().forEach(e -> fields.set(e.getKey(), e.getValue()));
            changed |= !set.isEmpty();
            data.set("set_fields", Json.mapper().valueToTree(list(set.fieldNames())));
            if (target.isPresent()) {
              newPhase = target;
              changed = true;
              data.put("transition", target.get());
            }
          } else {
            data.put("error", outcome.content());
            run.pending.signals.add(run.signal(at, "tool_error", "medium", "tool_error:" + agent.name() + ":" + use.name(), phase, outcome.content()));
          }
          run.pending.events.add(AgentEvent.timed(run.sessionId(), Optional.of(run.turnId), at, EventType.TOOL_EXECUTION, nanos / 1e6, data));
          if (target.isPresent()) {
            run.pending.events.add(AgentEvent.of(run.sessionId(), Optional.of(run.turnId), at, EventType.PHASE_CHANGE,
                Json.object().put("from", phase).put("to", target.get()).put("tool", use.name())));
          }
          content = outcome.content();
          isError = outcome.isError();
          call.put("status", isError ? "failed" : "executed");
        }
        case GuardDecision.Blocked blocked -> {
          String reason = blocked.reason().name().toLowerCase(Locale.ROOT);
          block(run, at, phase, use, reason, List.of());
          content = blocked.message();
          isError = true;
          call.put("status", "blocked").put("reason", reason);
        }
        case GuardDecision.Invalid invalid -> {
          block(run, at, phase, use, "invalid_input", invalid.errors());
          content = invalid.message();
          isError = true;
          call.put("status", "invalid").put("reason", "invalid_input");
        }
      }
      call.put("is_error", isError).put("result", content);
      results.add(new ContentBlock.ToolResult(use.id(), content, isError));
      run.toolCalls.add(call);
      // The call (with its result) first, then the phase change it caused: a listener sees cause before effect.
      run.events.toolCall(call);
      if (newPhase.isPresent() && !phaseAnnounced) {
        run.events.phaseChange(phase, newPhase.get());
        phaseAnnounced = true;
      }
    }
    return new Result(results, fields, newPhase, changed);
  }

  /**
   * The tool calls earlier attempts of a turn decided, in the reply's form, rebuilt from what those
   * attempts stored: the assistant messages' tool_use blocks (name, input, offered phase), their
   * tool_results (result, is_error) and the round's events (blocked or invalid, and why). A resumed
   * turn's reply lists them before its own, so it shows every call the turn made.
   *
   * @param messages the turn's stored messages, oldest first
   * @param events the turn's stored events
   */
  static List<ObjectNode> earlierCalls(List<StoredMessage> messages, List<AgentEvent> events) {
    Map<String, ContentBlock.ToolResult> results = new HashMap<>();
    for (StoredMessage m : messages) {
      for (ContentBlock b : m.blocks()) {
        if (b instanceof ContentBlock.ToolResult r) {
          results.put(r.toolUseId(), r);
        }
      }
    }
    Map<String, String> blockedReasons = new HashMap<>();
    for (AgentEvent e : events) {
      if (e.type() == EventType.GUARD_BLOCK) {
        blockedReasons.put(e.data().path("tool_use_id").asText(), e.data().path("reason").asText());
      }
    }
    List<ObjectNode> calls = new ArrayList<>();
    for (StoredMessage m : messages) {
      if (m.kind() != MessageKind.ASSISTANT) {
        continue;
      }
      for (ContentBlock.ToolUse use : m.toChatMessage().toolUses()) {
        ContentBlock.ToolResult result = results.get(use.id());
        if (result == null) {
          continue; // a round is stored whole, so this cannot happen; a call without a result was never decided
        }
        // The same fields in the same order as run() writes them.
        ObjectNode call = Json.object().put("id", use.id()).put("name", use.name());
        call.set("input", use.input());
        call.put("phase", m.phase());
        String reason = blockedReasons.get(use.id());
        if (reason == null) {
          call.put("status", result.isError() ? "failed" : "executed");
        } else if (reason.equals("invalid_input")) {
          call.put("status", "invalid").put("reason", reason);
        } else {
          call.put("status", "blocked").put("reason", reason);
        }
        call.put("is_error", result.isError()).put("result", result.content());
        calls.add(call);
      }
    }
    return calls;
  }

  /**
   * A tool's outcome as the store can hold it: a webhook or handler may answer with NUL or lone
   * surrogates, like a model (see {@link ModelOutput}).
   */
  private static ToolOutcome clean(ToolOutcome outcome) {
    return new ToolOutcome(TextChecks.sanitize(outcome.content()), outcome.isError(), TextChecks.sanitize(outcome.setFields()), outcome.transition());
  }

  private void block(TurnRun run, Instant at, String phase, ContentBlock.ToolUse use, String reason, List<String> errors) {
    String agent = run.agent.name();
    metrics.guardBlock(agent, phase, reason);
    ObjectNode data = Json.object().put("tool", use.name()).put("tool_use_id", use.id()).put("phase", phase).put("reason", reason);
    if (!errors.isEmpty()) {
      data.set("errors", Json.mapper().valueToTree(errors));
    }
    run.pending.events.add(AgentEvent.of(run.sessionId(), Optional.of(run.turnId), at, EventType.GUARD_BLOCK, data));
    String severity = switch (reason) {
      case "phase_changed" -> "info";
      case "case_mismatch", "invalid_input" -> "low";
      default -> "medium";
    };
    run.pending.signals.add(run.signal(at, "guard_block", severity, "guard_block:" + agent + ":" + phase + ":" + reason, phase,
        use.name() + (errors.isEmpty() ? "" : ": " + String.join("; ", errors))));
  }

  private static <T> List<T> list(Iterator<T> it) {
    List<T> list = new ArrayList<>();
    it.forEachRemaining(list::add);
    return list;
  }
}
