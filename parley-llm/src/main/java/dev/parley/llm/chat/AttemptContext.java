package dev.parley.llm.chat;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * What one provider call attempt learned on its way, shared between the attempt thread, the HTTP transport
 * and the streaming handler. The transport runs synchronously on the attempt thread, so it finds the
 * context in a thread local; classification then does not depend on how LangChain4j wraps exceptions.
 */
final class AttemptContext {
  private static final ThreadLocal<AttemptContext> CURRENT = new ThreadLocal<>();

  private volatile int successStatus;
  private volatile @Nullable ProviderHttpException httpError;
  private final AtomicBoolean emittedText = new AtomicBoolean();
  private final AtomicBoolean abandoned = new AtomicBoolean();

  static Optional<AttemptContext> current() {
    return Optional.ofNullable(CURRENT.get());
  }

  void bindToCurrentThread() {
    CURRENT.set(this);
  }

  static void unbind() {
    CURRENT.remove();
  }

  /** A 2xx status arrived: any later failure is the body's fault (malformed), not the transport's. */
  void successStatus(int status) {
    this.successStatus = status;
  }

  boolean gotSuccessStatus() {
    return successStatus != 0;
  }

  void httpError(ProviderHttpException error) {
    this.httpError = error;
  }

  Optional<ProviderHttpException> httpError() {
    return Optional.ofNullable(httpError);
  }

  /** Text went to the caller's listener: a retry would repeat it, so this attempt must not be retried. */
  void markEmittedText() {
    emittedText.set(true);
  }

  boolean emittedText() {
    return emittedText.get();
  }

  /** The caller gave up on this attempt (deadline); late events must not reach the listener. */
  void abandon() {
    abandoned.set(true);
  }

  boolean abandoned() {
    return abandoned.get();
  }
}
