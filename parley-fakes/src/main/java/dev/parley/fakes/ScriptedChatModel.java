package dev.parley.fakes;

import static java.util.Objects.requireNonNull;

import dev.parley.core.chat.ChatMessage;
import dev.parley.core.chat.ChatModel;
import dev.parley.core.chat.ChatRequest;
import dev.parley.core.chat.ChatResponse;
import dev.parley.core.chat.ContentBlock;
import dev.parley.core.chat.LlmException;
import dev.parley.core.chat.StopReason;
import dev.parley.core.chat.Usage;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A {@link ChatModel} that answers from a script, in process: for logic tests that need a model's answers
 * but not the wire (the HTTP adapters are tested against {@link FakeAnthropicServer} and
 * {@link FakeOpenAiServer}). Every request is recorded; a reply of {@link Reply.Failure} is thrown as the
 * {@link LlmException} an adapter would throw after its retries.
 */
public final class ScriptedChatModel implements ChatModel {
  /** What the script answers to one request. */
  public sealed interface Reply permits Reply.Answer, Reply.Failure {
    /** An assistant message. */
    record Answer(List<ContentBlock> content, StopReason stopReason, Usage usage) implements Reply {
      public Answer {
        content = List.copyOf(requireNonNull(content, "content is null"));
        requireNonNull(stopReason, "stopReason is null");
        requireNonNull(usage, "usage is null");
      }
    }

    /** A provider failure of the given kind. */
    record Failure(LlmException.Kind kind, String message) implements Reply {
      public Failure {
        requireNonNull(kind, "kind is null");
        requireNonNull(message, "message is null");
      }
    }

    /** A text answer; tokens are estimated at four characters each, as a provider would bill them roughly. */
    static Reply text(String text) {
      requireNonNull(text, "text is null");
      return new Answer(List.of(new ContentBlock.Text(text)), StopReason.END_TURN, new Usage(0, Math.max(1, text.length() / 4), 0, 0));
    }

    static Reply failure(LlmException.Kind kind) {
      return new Failure(kind, "scripted " + kind.name().toLowerCase(java.util.Locale.ROOT));
    }
  }

  private final String provider;
  private final List<ChatRequest> requests = new CopyOnWriteArrayList<>();
  private volatile Function<ChatRequest, Reply> script;

  public ScriptedChatModel(String provider, Function<ChatRequest, Reply> script) {
    this.provider = requireNonNull(provider, "provider is null");
    this.script = requireNonNull(script, "script is null");
  }

  /** Replaces the script for the requests that follow. */
  public void respondWith(Function<ChatRequest, Reply> value) {
    this.script = requireNonNull(value, "value is null");
  }

  @Override
  public String provider() {
    return provider;
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    requireNonNull(request, "request is null");
    requests.add(request);
    return switch (script.apply(request)) {
      case Reply.Answer a -> {
        long input = Math.max(1, (request.system().length() + request.messages().stream().mapToLong(m -> m.text().length()).sum()) / 4);
        Usage usage = a.usage().inputTokens() > 0 ? a.usage() : new Usage(input, a.usage().outputTokens(), 0, 0);
        yield new ChatResponse(new ChatMessage(ChatMessage.Role.ASSISTANT, a.content()), a.stopReason(), usage, request.model());
      }
      case Reply.Failure f -> throw new LlmException(f.kind(), f.message());
    };
  }

  @Override
  public ChatResponse stream(ChatRequest request, StreamListener listener) {
    ChatResponse response = chat(request);
    listener.onText(response.message().text());
    return response;
  }

  /** The requests seen so far, in arrival order. */
  public List<ChatRequest> requests() {
    return List.copyOf(requests);
  }

  public int requestCount() {
    return requests.size();
  }

  /** The text of a request's last message: for tests that answer by what was asked. */
  public static String lastMessageText(ChatRequest request) {
    List<ChatMessage> messages = request.messages();
    return messages.get(messages.size() - 1).text();
  }
}
