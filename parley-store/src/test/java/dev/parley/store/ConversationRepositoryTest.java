package dev.parley.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.conversation.Conversation;
import dev.parley.core.conversation.ConversationCodec;
import dev.parley.core.conversation.Message;
import dev.parley.core.conversation.Speaker;
import dev.parley.store.ConversationRepository.Counts;
import dev.parley.store.ConversationRepository.Outcome;
import dev.parley.testing.TestDatabase;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

final class ConversationRepositoryTest {
  private final ConversationCodec codec = new ConversationCodec();
  private Database db;
  private ConversationRepository conversations;

  @BeforeEach
  void open() {
    db = TestDatabase.fresh();
    conversations = new ConversationRepository(db.jdbi());
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void upsert_sameConversationTwice_importsThenLeavesUnchanged() {
    Conversation c = codec.parse(Lines.conversation("a", 4, "x"));

    assertThat(conversations.upsert(TenantId.DEFAULT, c)).isEqualTo(Outcome.IMPORTED);
    assertThat(conversations.upsert(TenantId.DEFAULT, c)).isEqualTo(Outcome.UNCHANGED);

    assertThat(conversations.counts(TenantId.DEFAULT)).isEqualTo(new Counts(1, 4));
  }

  @Test
  void upsert_changedContent_updatesAndReplacesMessages() {
    conversations.upsert(TenantId.DEFAULT, codec.parse(Lines.conversation("a", 4, "x")));

    Outcome outcome = conversations.upsert(TenantId.DEFAULT, codec.parse(Lines.conversation("a", 2, "y")));

    assertThat(outcome).isEqualTo(Outcome.UPDATED);
    assertThat(conversations.counts(TenantId.DEFAULT)).isEqualTo(new Counts(1, 2));
    Conversation stored = conversations.find(TenantId.DEFAULT, "a").orElseThrow();
    assertThat(stored.messages()).extracting(Message::text).containsExactly("y message 0 of a", "y message 1 of a");
  }

  @Test
  void upsert_tenantFieldOnly_countsAsUnchanged() {
    conversations.upsert(TenantId.DEFAULT, codec.parse(Lines.conversation("a", 2, "x")));
    String withTenant = Lines.conversation("a", 2, "x").replaceFirst("\\{", "{\"tenant\":\"default\",");

    assertThat(conversations.upsert(TenantId.DEFAULT, codec.parse(withTenant))).isEqualTo(Outcome.UNCHANGED);
  }

  @Test
  void find_storedConversation_roundTripsEveryField() {
    Conversation original = codec.parse(Lines.conversation("a", 3, "x"));
    conversations.upsert(TenantId.DEFAULT, original);

    Conversation found = conversations.find(TenantId.DEFAULT, "a").orElseThrow();

    assertThat(found.tenant()).contains("default");
    assertThat(found.id()).isEqualTo("a");
    assertThat(found.user()).isEqualTo(original.user());
    assertThat(found.startedAt()).isEqualTo(original.startedAt());
    assertThat(found.messages()).isEqualTo(original.messages());
    assertThat(found.metadata()).isEqualTo(original.metadata());
    assertThat(found.extra()).isEqualTo(original.extra());
    assertThat(ConversationRepository.contentHash(found)).isEqualTo(ConversationRepository.contentHash(original));
  }

  @Test
  void find_minimalConversation_hasNoOptionalFields() {
    conversations.upsert(TenantId.DEFAULT, Conversation.of("m", List.of(Message.of(Speaker.SUPPORT, "hello"))));

    Conversation found = conversations.find(TenantId.DEFAULT, "m").orElseThrow();

    assertThat(found.user()).isEmpty();
    assertThat(found.startedAt()).isEmpty();
    assertThat(found.messages()).containsExactly(Message.of(Speaker.SUPPORT, "hello"));
    assertThat(found.metadata().isEmpty()).isTrue();
  }

  @Test
  void find_unknownId_isEmpty() {
    assertThat(conversations.find(TenantId.DEFAULT, "nope")).isEmpty();
  }

  @Test
  void queries_otherTenant_seeNothingOfThisTenant() {
    TenantId other = new Tenants(db.jdbi()).ensure("acme");
    conversations.upsert(TenantId.DEFAULT, codec.parse(Lines.conversation("shared-id", 2, "default")));
    conversations.upsert(other, codec.parse(Lines.conversation("shared-id", 3, "acme")));
    conversations.upsert(other, codec.parse(Lines.conversation("only-acme", 1, "acme")));

    assertThat(conversations.counts(TenantId.DEFAULT)).isEqualTo(new Counts(1, 2));
    assertThat(conversations.counts(other)).isEqualTo(new Counts(2, 4));
    assertThat(conversations.find(TenantId.DEFAULT, "only-acme")).isEmpty();
    assertThat(conversations.exists(TenantId.DEFAULT, "only-acme")).isFalse();
    assertThat(conversations.find(TenantId.DEFAULT, "shared-id").orElseThrow().messages()).hasSize(2);
    assertThat(conversations.find(other, "shared-id").orElseThrow().tenant()).contains("acme");
    assertThat(conversations.all(TenantId.DEFAULT)).extracting(Conversation::id).containsExactly("shared-id");
    assertThat(conversations.delete(TenantId.DEFAULT, "only-acme")).isFalse();
    assertThat(conversations.exists(other, "only-acme")).isTrue();
  }

  @Test
  void stream_manyConversations_comeGroupedInCodePointOrder() {
    List<String> ids = List.of("b", "a", "B", "é", "a2", "10", "9");
    for (String id : ids) {
      conversations.upsert(TenantId.DEFAULT, codec.parse(Lines.conversation(id, 3, "x")));
    }

    try (Stream<Conversation> stream = conversations.stream(TenantId.DEFAULT)) {
      List<Conversation> all = stream.toList();
      assertThat(all).extracting(Conversation::id).containsExactly("10", "9", "B", "a", "a2", "b", "é");
      assertThat(all).allSatisfy(c -> assertThat(c.messages()).hasSize(3));
    }
  }

  @Test
  void stream_unknownTenant_isEmpty() {
    assertThat(conversations.all(new TenantId(999))).isEmpty();
  }

  @Test
  void delete_storedConversation_removesItsMessages() {
    conversations.upsert(TenantId.DEFAULT, codec.parse(Lines.conversation("a", 3, "x")));

    assertThat(conversations.delete(TenantId.DEFAULT, "a")).isTrue();

    assertThat(conversations.counts(TenantId.DEFAULT)).isEqualTo(new Counts(0, 0));
  }

  @Test
  void find_afterUpsertWithoutTimestamps_keepsThemAbsent() {
    Conversation c = codec.parse("{\"id\":\"t\",\"messages\":[{\"speaker\":\"user\",\"text\":\"hi\"}]}");
    conversations.upsert(TenantId.DEFAULT, c);

    assertThat(conversations.find(TenantId.DEFAULT, "t").orElseThrow().messages().getFirst().at()).isEqualTo(Optional.empty());
  }
}
