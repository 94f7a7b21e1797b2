package dev.parley.agent.sim;

import dev.parley.core.chat.ContentBlock;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The provider side of a scripted simulation: whatever the orchestrator's model talks to (a fake provider
 * server over real HTTP, in the simulate command and the tests) answers the next requests with these replies.
 */
public interface ModelScript {
  /**
   * Forgets earlier replies and answers the next requests with {@code replies} in order, one assistant message
   * each; once they run out, with a short text saying the script has nothing more to say.
   */
  void play(List<List<ContentBlock>> replies);

  /** Forgets every reply. */
  void clear();

  /** A script from its two operations, e.g. {@code ModelScript.of(fakeServer::play, fakeServer::reset)}. */
  static ModelScript of(Consumer<List<List<ContentBlock>>> play, Runnable clear) {
    Objects.requireNonNull(play, "play is null");
    Objects.requireNonNull(clear, "clear is null");
    return new ModelScript() {
      @Override
      public void play(List<List<ContentBlock>> replies) {
        play.accept(replies);
      }

      @Override
      public void clear() {
        clear.run();
      }
    };
  }
}
