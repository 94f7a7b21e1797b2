package dev.parley.agent.flags;

/** The flag values one turn runs with, evaluated once at its start. */
public record FlagSet(boolean modularPrompts, boolean contextWindow, boolean promptCaching) {
  public static final FlagSet DEFAULTS = new FlagSet(
      KnownFlag.MODULAR_PROMPTS.defaultValue(), KnownFlag.CONTEXT_WINDOW.defaultValue(), KnownFlag.PROMPT_CACHING.defaultValue());
}
