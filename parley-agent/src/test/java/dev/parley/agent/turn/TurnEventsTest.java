package dev.parley.agent.turn;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

final class TurnEventsTest {
  private final List<String> seen = new ArrayList<>();

  private TurnEvents events(boolean failing) {
    return new TurnEvents(new TurnListener() {
      @Override
      public void onText(String delta) {
        seen.add(delta);
        if (failing) {
          throw new IllegalStateException("client went away");
        }
      }

      @Override
      public void onToolCall(ObjectNode call) {
        seen.add("call");
      }
    }, UUID.randomUUID());
  }

  @Test
  void text_surrogatePairSplitAcrossDeltas_deliveredWhole() {
    TurnEvents events = events(false);
    events.text("smile \uD83D");
    events.text("\uDE00!");
    events.endText();
    assertThat(String.join("", seen)).isEqualTo("smile \uD83D\uDE00!");
  }

  @Test
  void text_nulAndUnpairedHalfAtTheEnd_repaired() {
    TurnEvents events = events(false);
    events.text("a\u0000b\uD83D");
    events.endText();
    assertThat(String.join("", seen)).isEqualTo("a\uFFFDb\uFFFD");
  }

  @Test
  void deliver_listenerThrows_toldNothingMore() {
    TurnEvents events = events(true);
    events.text("one");
    events.text("two");
    events.toolCall(Json.object());
    assertThat(seen).containsExactly("one");
  }
}
