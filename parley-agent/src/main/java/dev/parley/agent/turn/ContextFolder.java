package dev.parley.agent.turn;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.agent.definition.AgentDefinition;
import dev.parley.agent.prompt.PromptBuilder;
import dev.parley.agent.session.AgentEvent;
import dev.parley.agent.session.EventType;
import dev.parley.agent.session.StoredMessage;
import dev.parley.agent.window.ContextWindow;
import dev.parley.agent.window.Summarizer;
import dev.parley.core.chat.ChatResponse;
import dev.parley.core.json.Json;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Locale;
import java.util.Optional;

/**
 * The rolling-summary context window of a turn (the {@code context_window} flag). When the next prompt
 * would exceed the agent's token budget, the oldest messages are folded into the session's summary by
 * the summary model, which {@link ContextWindow#plan} chooses so that this turn's own messages and tool
 * pairs stay whole. The summary is stored before the prompt is rebuilt around it, so a later turn
 * starts from it instead of the folded messages. With the flag off, nothing is folded and the whole
 * history is sent.
 */
final class ContextFolder {
  private final Summarizer summarizer;
  private final TimedModelCall calls;
  private final TurnLedger ledger;
  private final Clock clock;
  private final EngineConfig config;

  ContextFolder(Summarizer summarizer, TimedModelCall calls, TurnLedger ledger, Clock clock, EngineConfig config) {
    this.summarizer = requireNonNull(summarizer, "summarizer is null");
    this.calls = requireNonNull(calls, "calls is null");
    this.ledger = requireNonNull(ledger, "ledger is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.config = requireNonNull(config, "config is null");
  }

  /** The seq after which the turn's history starts: what the summary covers is not loaded again. */
  static int historyAfter(TurnRun run) {
    return run.flags.contextWindow() ? run.session.summaryThrough() : 0;
  }

  /**
   * The prompt to send with the run's history: {@code prompt} itself, or, after a fold that shortened the
   * run's history and moved the summary on, the prompt rebuilt with the new summary.
   */
  PromptBuilder.Prompt fold(TurnRun run, PromptBuilder.Prompt prompt) {
    if (!run.flags.contextWindow() || run.foldGaveUp) {
      return prompt;
    }
    AgentDefinition agent = run.agent;
    Optional<ContextWindow.Fold> fold = ContextWindow.plan(run.history, prompt.estimatedTokens(), agent.limits().tokenBudget(),
        agent.limits().keepRecentTokens(), run.protectFrom);
    if (fold.isEmpty()) {
      return prompt;
    }
    // With a model override (another provider), the agent's own summary model name would not exist there.
    String summaryModel = config.summaryModel().or(config::modelOverride).or(agent::summaryModel).orElse(agent.model());
    TimedModelCall.Timed timed = calls.inline(run, summarizer.model().provider(), summaryModel, "summary",
        () -> summarizer.summarize(summaryModel, run.session.summary(), fold.get().folded()));
    ChatResponse response = timed.response();
    String summary = response.message().text().strip();
    Instant now = clock.instant();
    if (summary.isEmpty()) {
      return keepHistory(run, fold.get(), response, timed.nanos(), summaryModel, now, prompt);
    }
    ObjectNode data = Json.object()
        .put("messages_folded", fold.get().folded().size())
        .put("through_seq", fold.get().throughSeq())
        .put("tokens_folded", fold.get().folded().stream().mapToInt(StoredMessage::tokens).sum())
        .put("messages_kept", fold.get().kept().size())
        .put("summary_chars", summary.length());
    run.pending.events.add(new AgentEvent(0, run.sessionId(), Optional.of(run.turnId), now, EventType.SUMMARIZATION, Optional.of(timed.nanos() / 1e6),
        Optional.of(response.model()), Optional.of(response.usage()), data));
    ledger.recordSummary(run, summary, fold.get().throughSeq(), now);
    run.session = run.session.withSummary(summary, fold.get().throughSeq(), now);
    run.protectFrom -= fold.get().folded().size();
    run.history = new ArrayList<>(fold.get().kept());
    return PromptBuilder.prompt(agent, run.session, run.flags);
  }

  /**
   * A summary that came back empty would lose the folded messages for good, so nothing is folded: the
   * turn goes on with its whole history (over budget, which the model's own context can usually take)
   * and does not ask again; an error event and a signal say why the budget was not kept.
   */
  private static PromptBuilder.Prompt keepHistory(TurnRun run, ContextWindow.Fold fold, ChatResponse response, long nanos, String summaryModel,
      Instant now, PromptBuilder.Prompt prompt) {
    run.foldGaveUp = true;
    String message = "the summary model " + summaryModel + " returned an empty summary (stop reason "
        + response.stopReason().name().toLowerCase(Locale.ROOT) + "); " + fold.folded().size()
        + " messages were kept instead of folded, and this turn's prompt exceeds the token budget";
    run.pending.events.add(new AgentEvent(0, run.sessionId(), Optional.of(run.turnId), now, EventType.ERROR, Optional.of(nanos / 1e6),
        Optional.of(response.model()), Optional.of(response.usage()), Json.object()
            .put("code", "summary_empty")
            .put("message", message)
            .put("retriable", false)
            .put("messages_not_folded", fold.folded().size())
            .put("through_seq", fold.throughSeq())));
    run.pending.signals.add(run.signal(now, "summary_empty", "medium", "summary_empty:" + run.agent.name() + ":" + summaryModel, run.session.phase(),
        message));
    return prompt;
  }
}
