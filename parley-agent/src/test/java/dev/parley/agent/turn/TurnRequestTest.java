package dev.parley.agent.turn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.core.error.BadInputException;
import dev.parley.store.TenantId;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

final class TurnRequestTest {
  @Test
  void new_textWithNul_refusedNamingCharacterAndIndex() {
    BadInputException e = assertThrows(BadInputException.class, () -> TurnRequest.message(TenantId.DEFAULT, UUID.randomUUID(), "ab\u0000"));
    assertThat(e.getMessage()).isEqualTo("text contains a NUL character (U+0000) at index 2");
  }

  @Test
  void new_keyWithLoneSurrogate_refused() {
    BadInputException e = assertThrows(BadInputException.class,
        () -> new TurnRequest(TenantId.DEFAULT, UUID.randomUUID(), Optional.of("hi"), Optional.of("k\uD800"), false));
    assertThat(e.getMessage()).startsWith("Idempotency-Key contains a lone high surrogate");
  }
}
