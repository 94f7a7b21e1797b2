/** Chat model adapters (Anthropic, OpenAI-compatible) and the resilience around them. */
@NullMarked
package dev.parley.llm.chat;

import org.jspecify.annotations.NullMarked;
