package dev.parley.agent.definition;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** What an allowed tool call does: a declarative effect, or a handler (Java extension point or HTTP webhook). */
public sealed interface ToolAction {

  /** Phases this action may move the session to (checked against the phase machine at load time). */
  Set<String> transitions();

  /**
   * Copies input properties into session fields, then optionally moves to another phase.
   *
   * @param setFields session field name -> input property name (usually the same)
   * @param transition the phase to move to after the fields are stored
   */
  record Effect(Map<String, String> setFields, Optional<String> transition) implements ToolAction {
    public Effect {
      setFields = Map.copyOf(requireNonNull(setFields, "setFields is null"));
      requireNonNull(transition, "transition is null");
    }

    @Override
    public Set<String> transitions() {
      return transition.map(Set::of).orElse(Set.of());
    }
  }

  /**
   * Runs a {@link dev.parley.agent.tool.ToolHandler} registered under {@code name}; the handler's result may
   * set fields and request one of {@code transitions}.
   */
  record JavaHandler(String name, Set<String> transitions) implements ToolAction {
    public JavaHandler {
      requireNonNull(name, "name is null");
      transitions = Set.copyOf(requireNonNull(transitions, "transitions is null"));
    }
  }

  /**
   * POSTs the call to {@code url}; the JSON reply {@code {"content","is_error"?,"set_fields"?,"transition"?}}
   * is the tool result.
   */
  record Webhook(URI url, Duration timeout, Set<String> transitions) implements ToolAction {
    public Webhook {
      requireNonNull(url, "url is null");
      requireNonNull(timeout, "timeout is null");
      transitions = Set.copyOf(requireNonNull(transitions, "transitions is null"));
      if (!List.of("http", "https").contains(String.valueOf(url.getScheme()))) {
        throw new IllegalArgumentException("webhook url must be http or https, was " + url);
      }
    }
  }
}
