package dev.parley.agent.definition;

import static java.util.Objects.requireNonNull;

import com.github.jknack.handlebars.Context;
import com.github.jknack.handlebars.EscapingStrategy;
import com.github.jknack.handlebars.Handlebars;
import com.github.jknack.handlebars.Template;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The compiled prompt modules of one agent: {@code prompts/00-core.md}, always included, and one overlay
 * per phase. Templates are compiled once at load time, so a syntax error stops start-up, not a turn.
 */
public final class AgentPrompts {
  /** Prompts are plain text for a model, not HTML: never escape field values. */
  static final Handlebars HANDLEBARS = new Handlebars().with(EscapingStrategy.NOOP).prettyPrint(false);

  private final Template core;
  private final Map<String, Template> overlays;
  private final List<String> phaseOrder;

  AgentPrompts(Template core, Map<String, Template> overlays, List<String> phaseOrder) {
    this.core = requireNonNull(core, "core is null");
    this.overlays = Map.copyOf(requireNonNull(overlays, "overlays is null"));
    this.phaseOrder = List.copyOf(requireNonNull(phaseOrder, "phaseOrder is null"));
  }

  /** Compiles one template; the exception names the file, line and column. */
  static Template compile(String source, String text) throws IOException {
    return HANDLEBARS.compile(new com.github.jknack.handlebars.io.StringTemplateSource(source, text));
  }

  /** The modular prompt: core plus the overlay of {@code phase}. */
  public String render(String phase, Map<String, Object> values) {
    Template overlay = overlay(phase);
    Context context = Context.newContext(values);
    try {
      return join(core.apply(context), overlay.apply(context));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot render prompt for phase " + phase, e);
    } finally {
      context.destroy();
    }
  }

  /**
   * The monolithic prompt of the seed (flag {@code modular_prompts} off): core plus every phase's
   * overlay, in phase order, each under a heading naming its phase.
   */
  public String renderMonolithic(Map<String, Object> values) {
    Context context = Context.newContext(values);
    try {
      StringBuilder sb = new StringBuilder(core.apply(context).strip());
      for (String phase : phaseOrder) {
        sb.append("\n\n## Phase: ").append(phase).append("\n\n").append(overlay(phase).apply(context).strip());
      }
      return sb.toString();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot render the monolithic prompt", e);
    } finally {
      context.destroy();
    }
  }

  private Template overlay(String phase) {
    Template overlay = overlays.get(phase);
    if (overlay == null) {
      throw new IllegalArgumentException("no prompt overlay for phase '" + phase + "'");
    }
    return overlay;
  }

  private static String join(String core, String overlay) {
    return core.strip() + "\n\n" + overlay.strip();
  }

  /** A mutable copy of {@code values} with the reserved template variables set. */
  public static Map<String, Object> templateValues(Map<String, Object> fields, String currentPhase, String agentName) {
    Map<String, Object> values = new LinkedHashMap<>(fields);
    values.put("current_phase", currentPhase);
    values.put("agent_name", agentName);
    return values;
  }
}
