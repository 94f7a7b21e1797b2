package dev.parley.core.chat;

/** Why the model stopped generating. */
public enum StopReason { END_TURN, TOOL_USE, MAX_TOKENS, STOP_SEQUENCE, OTHER }
