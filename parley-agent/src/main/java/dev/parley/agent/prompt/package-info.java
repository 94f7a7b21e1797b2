/** Building one model request from a session: system prompt, history and tools, with a token estimate. */
@org.jspecify.annotations.NullMarked
package dev.parley.agent.prompt;
