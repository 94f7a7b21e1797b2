/** The chat port: requests, responses, content blocks and the {@link dev.parley.core.chat.ChatModel} every provider implements. */
@org.jspecify.annotations.NullMarked
package dev.parley.core.chat;
