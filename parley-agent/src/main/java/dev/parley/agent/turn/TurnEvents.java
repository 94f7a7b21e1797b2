package dev.parley.agent.turn;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.text.TextChecks;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one writer of a turn's {@link TurnListener}: every call is made on the turn's own thread (model
 * calls hand their text deltas over, see {@link TimedModelCall}), so that a listener sees the turn's
 * progress in causal order (text of a reply, then its tool calls, each tool call before the phase change
 * it caused) and is never called from two threads at once or after the turn returned. A listener that
 * throws is told nothing more: a client that went away must not fail the turn, which is stored anyway.
 *
 * <p>Text deltas are repaired like stored text ({@link TextChecks#sanitize(String)}), so the stream
 * matches the stored answer; a delta that ends in the first half of a surrogate pair is held back until
 * the second half arrives.
 */
final class TurnEvents {
  private static final Logger LOG = LoggerFactory.getLogger(TurnEvents.class);

  private final TurnListener listener;
  private final UUID turnId;
  private final Thread owner;
  private boolean broken;
  /** A high surrogate that ended the last delta, waiting for its pair. */
  private String carry = "";

  TurnEvents(TurnListener listener, UUID turnId) {
    this.listener = requireNonNull(listener, "listener is null");
    this.turnId = requireNonNull(turnId, "turnId is null");
    this.owner = Thread.currentThread();
  }

  boolean streaming() {
    return listener.streaming();
  }

  void text(String delta) {
    String text = carry + delta;
    carry = "";
    if (!text.isEmpty() && Character.isHighSurrogate(text.charAt(text.length() - 1))) {
      carry = text.substring(text.length() - 1);
      text = text.substring(0, text.length() - 1);
    }
    if (!text.isEmpty()) {
      String clean = TextChecks.sanitize(text);
      deliver("text", () -> listener.onText(clean));
    }
  }

  /** The end of a model call's text: a high surrogate still held back had no pair. */
  void endText() {
    if (!carry.isEmpty()) {
      String rest = TextChecks.sanitize(carry);
      carry = "";
      deliver("text", () -> listener.onText(rest));
    }
  }

  void toolCall(ObjectNode call) {
    deliver("tool_call", () -> listener.onToolCall(call.deepCopy()));
  }

  void phaseChange(String from, String to) {
    deliver("phase", () -> listener.onPhaseChange(from, to));
  }

  private void deliver(String what, Runnable call) {
    assert Thread.currentThread() == owner : "turn " + turnId + ": listener called from " + Thread.currentThread() + ", not the turn's thread";
    if (broken) {
      return;
    }
    try {
      call.run();
    } catch (RuntimeException e) {
      broken = true;
      LOG.warn("turn {}: its listener failed on a {} event and is told nothing more (the turn goes on): {}", turnId, what, e.toString());
    }
  }
}
