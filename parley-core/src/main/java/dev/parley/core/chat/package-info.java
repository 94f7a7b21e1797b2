/** The chat port: requests, responses, content blocks and the {@link dev.parley.core.chat.ChatModel} every provider implements. */
@NullMarked
package dev.parley.core.chat;

import org.jspecify.annotations.NullMarked;
