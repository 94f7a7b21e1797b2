/** Chat model adapters (Anthropic, OpenAI-compatible) and the resilience around them. */
@org.jspecify.annotations.NullMarked
package dev.parley.llm.chat;
