package dev.parley.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.conversation.ConversationCodec;
import dev.parley.store.ApiKeys;
import dev.parley.store.ConversationRepository;
import dev.parley.store.Database;
import dev.parley.store.PgEmbeddingCache;
import dev.parley.store.StoreStats;
import dev.parley.store.Tenant;
import dev.parley.store.TenantId;
import dev.parley.store.Tenants;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class TestDatabaseTest {
  private static final String CONVERSATION =
      "{\"id\":\"c\",\"messages\":[{\"speaker\":\"user\",\"text\":\"x\"},{\"speaker\":\"assistant\",\"text\":\"y\"}]}";

  @Test
  void fresh_afterAUsedDatabaseIsClosed_holdsOnlyTheTemplatesRows() {
    try (Database used = TestDatabase.fresh()) {
      TenantId acme = new Tenants(used.jdbi()).ensure("acme");
      new ApiKeys(used.jdbi()).create("acme");
      new ConversationRepository(used.jdbi()).upsert(acme, new ConversationCodec().parse(CONVERSATION));
      new PgEmbeddingCache(used.jdbi()).putAll("m", Map.of("h", new float[] {1f}));
    }

    try (Database db = TestDatabase.fresh()) {
      assertThat(StoreStats.read(db.jdbi())).isEqualTo(new StoreStats(0, 0, 1, 0, 0));
      assertThat(new Tenants(db.jdbi()).list()).extracting(Tenant::name).containsExactly("default");
      // Sequences start where the template's do.
      assertThat(new Tenants(db.jdbi()).ensure("next")).isEqualTo(new TenantId(2));
      assertThat(new ApiKeys(db.jdbi()).create("next").stored().id()).isEqualTo(1);
    }
  }

  @Test
  void fresh_afterATestChangedTheSchema_doesNotSeeTheChange() {
    try (Database used = TestDatabase.fresh()) {
      used.jdbi().useHandle(h -> h.execute("CREATE TABLE scratch (x int)"));
    }

    for (int i = 0; i < 3; i++) {
      try (Database db = TestDatabase.fresh()) {
        Boolean gone = db.jdbi().withHandle(h -> h.createQuery("SELECT to_regclass('scratch') IS NULL").mapTo(Boolean.class).one());
        assertThat(gone).isTrue();
      }
    }
  }

  @Test
  void fresh_twoOpenAtOnce_areIsolated() {
    try (Database a = TestDatabase.fresh(); Database b = TestDatabase.fresh()) {
      new Tenants(a.jdbi()).ensure("only-a");

      assertThat(new Tenants(b.jdbi()).find("only-a")).isEmpty();
    }
  }
}
