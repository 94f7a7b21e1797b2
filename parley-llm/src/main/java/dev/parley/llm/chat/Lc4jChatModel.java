package dev.parley.llm.chat;

import static java.util.Objects.requireNonNull;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.TokenUsage;
import dev.parley.core.chat.ChatMessage;
import dev.parley.core.chat.ChatModel;
import dev.parley.core.chat.ChatRequest;
import dev.parley.core.chat.ChatResponse;
import dev.parley.core.chat.StopReason;
import dev.parley.core.chat.Usage;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The shared body of our LangChain4j-backed adapters: request and reply mapping, and every call through
 * {@link ResilientCaller}. LangChain4j only maps and transports (its retries are off, its tool execution
 * unused); subclasses supply the provider's request parameters and usage reading.
 */
abstract class Lc4jChatModel implements ChatModel {
  private final String provider;
  private final ProviderConfig config;
  private final dev.langchain4j.model.chat.ChatModel blocking;
  private final StreamingChatModel streaming;
  private final ResilientCaller caller;

  Lc4jChatModel(String provider, ProviderConfig config, dev.langchain4j.model.chat.ChatModel blocking,
      StreamingChatModel streaming) {
    this.provider = requireNonNull(provider, "provider is null");
    this.config = requireNonNull(config, "config is null");
    this.blocking = requireNonNull(blocking, "blocking is null");
    this.streaming = requireNonNull(streaming, "streaming is null");
    this.caller = new ResilientCaller(provider, config.baseUrl(), config.resilience(), config.apiKey());
  }

  /** The provider's request parameters for one call (model, sampling, tools, caching). */
  abstract ChatRequestParameters parameters(ChatRequest request, String model, List<ToolSpecification> tools);

  /** Our usage from the provider's token usage (never null). */
  abstract Usage usage(TokenUsage usage);

  @Override
  public final String provider() {
    return provider;
  }

  @Override
  public final String defaultModel() {
    return config.defaultModel();
  }

  /** Where calls go (without the key). */
  public final String baseUrl() {
    return config.baseUrl();
  }

  /** State of this provider endpoint's circuit breaker: CLOSED, OPEN, HALF_OPEN. */
  public final String circuitState() {
    return caller.circuitState().name();
  }

  @Override
  public final ChatResponse chat(ChatRequest request) {
    requireNonNull(request, "request is null");
    String model = modelFor(request);
    dev.langchain4j.model.chat.request.ChatRequest lc = toLc4j(request, model);
    return caller.call(model, context -> toResponse(blocking.chat(lc), model));
  }

  @Override
  public final ChatResponse stream(ChatRequest request, StreamListener listener) {
    requireNonNull(request, "request is null");
    requireNonNull(listener, "listener is null");
    String model = modelFor(request);
    dev.langchain4j.model.chat.request.ChatRequest lc = toLc4j(request, model);
    return caller.call(model, context -> {
      CompletableFuture<dev.langchain4j.model.chat.response.ChatResponse> done = new CompletableFuture<>();
      AtomicReference<RuntimeException> listenerError = new AtomicReference<>();
      streaming.chat(lc, new StreamingChatResponseHandler() {
        @Override
        public void onPartialResponse(String delta) {
          if (delta == null || delta.isEmpty() || context.abandoned() || listenerError.get() != null) {
            return;
          }
          context.markEmittedText();
          try {
            listener.onText(delta);
          } catch (RuntimeException e) {
            listenerError.set(e);
          }
        }

        @Override
        public void onCompleteResponse(dev.langchain4j.model.chat.response.ChatResponse response) {
          done.complete(response);
        }

        @Override
        public void onError(Throwable error) {
          done.completeExceptionally(error);
        }
      });
      // Our transport runs the stream on this thread, so the stream is over when chat() returns.
      if (!done.isDone()) {
        done.completeExceptionally(AttemptFailure.malformed("the stream ended before its final event"));
      }
      if (listenerError.get() != null) {
        throw new ResilientCaller.ListenerFailure(listenerError.get());
      }
      try {
        return toResponse(done.get(), model);
      } catch (ExecutionException | CompletionException e) {
        throw e.getCause() instanceof Exception cause ? cause : e;
      }
    });
  }

  private String modelFor(ChatRequest request) {
    return request.model().isBlank() ? config.defaultModel() : request.model();
  }

  private dev.langchain4j.model.chat.request.ChatRequest toLc4j(ChatRequest request, String model) {
    List<ToolSpecification> tools = request.tools().stream().map(ToolSchemas::toSpecification).toList();
    return dev.langchain4j.model.chat.request.ChatRequest.builder()
        .messages(Lc4jMessages.toLc4j(request.system(), request.messages()))
        .parameters(parameters(request, model, tools))
        .build();
  }

  private ChatResponse toResponse(dev.langchain4j.model.chat.response.ChatResponse response, String model) {
    if (response == null || response.aiMessage() == null) {
      throw AttemptFailure.malformed("the reply carried no message");
    }
    ChatMessage message = Lc4jMessages.fromAiMessage(response.aiMessage());
    StopReason stop = Lc4jMessages.stopReason(response.finishReason());
    Usage usage = response.tokenUsage() == null ? Usage.ZERO : usage(response.tokenUsage());
    String replyModel = response.modelName() == null || response.modelName().isBlank() ? model : response.modelName();
    return new ChatResponse(message, stop, usage, replyModel);
  }

  static long orZero(Integer value) {
    return value == null ? 0 : Math.max(0, value);
  }
}
