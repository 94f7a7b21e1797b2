package dev.parley.store.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.json.Json;
import dev.parley.store.Database;
import dev.parley.store.TenantId;
import dev.parley.testing.TestDatabase;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

final class ClusterRunRepositoryTest {
  private static StoredRun run(String id, Instant at) {
    return new StoredRun(id, "cluster", at, "a".repeat(64), 42, "local:test", 3,
        Json.parse("{\"hierarchy\":{\"depths\":3}}"), Json.parse("{\"embed\":12,\"cluster\":3}"),
        10, 2, 3, 2, Optional.of("/tmp/run"), Optional.of(Json.parse("{\"id\":\"" + id + "\",\"seed\":42}")));
  }

  private static List<StoredCluster> clusters() {
    return List.of(
        new StoredCluster("c1", Optional.empty(), 0, 8, "Cards", "Card things.", List.of("card"), List.of("my card"), "offline", 6, 8, false, Optional.empty(), OptionalDouble.empty()),
        new StoredCluster("c1.1", Optional.of("c1"), 1, 5, "Card arrival", "Waiting for a card.", List.of("arrive"), List.of("where is it"), "offline", 5, 5, false,
            Optional.of(new float[] {0.6f, 0.8f, 0f}), OptionalDouble.of(0.25)),
        new StoredCluster("c1.2", Optional.of("c1"), 1, 3, "Small clusters (details withheld)", "", List.of(), List.of(), "redacted", 2, 3, true,
            Optional.of(new float[] {0f, 0f, 1f}), OptionalDouble.of(-0.5)));
  }

  @Test
  void save_thenFind_roundTrips() {
    try (Database db = TestDatabase.fresh()) {
      ClusterRunRepository repository = new ClusterRunRepository(db.jdbi());
      Instant at = Instant.parse("2025-01-02T03:04:05Z");
      repository.save(TenantId.DEFAULT, run("run-1", at), clusters());

      StoredRun found = repository.find(TenantId.DEFAULT, "run-1").orElseThrow();
      assertThat(found.parameters().at("/hierarchy/depths").asInt()).isEqualTo(3);
      assertThat(found.createdAt()).isEqualTo(at);
      assertThat(found.outputDir()).contains("/tmp/run");
      List<StoredCluster> stored = repository.clusters(TenantId.DEFAULT, "run-1");
      assertThat(stored).extracting(StoredCluster::id).containsExactly("c1", "c1.1", "c1.2");
      assertThat(stored.get(1).centroid().orElseThrow()).containsExactly(0.6f, 0.8f, 0f);
      assertThat(stored.get(0).centroid()).isEmpty();
      assertThat(stored.get(2).redacted()).isTrue();
      assertThat(stored.get(1).examples()).containsExactly("where is it");
      assertThat(stored.get(1).admissionThreshold()).hasValue(0.25);
      assertThat(stored.get(2).admissionThreshold()).hasValue(-0.5);
      assertThat(stored.get(0).admissionThreshold()).isEmpty();
      assertThat(found.manifest().orElseThrow().path("id").asText()).isEqualTo("run-1");
    }
  }

  @Test
  void find_otherTenant_seesNothing() {
    try (Database db = TestDatabase.fresh()) {
      ClusterRunRepository repository = new ClusterRunRepository(db.jdbi());
      TenantId acme = new dev.parley.store.Tenants(db.jdbi()).ensure("acme");
      repository.save(acme, run("run-1", Instant.parse("2025-01-01T00:00:00Z")), clusters());

      assertThat(repository.find(TenantId.DEFAULT, "run-1")).isEmpty();
      assertThat(repository.clusters(TenantId.DEFAULT, "run-1")).isEmpty();
      assertThat(repository.list(TenantId.DEFAULT, 10)).isEmpty();
      assertThat(repository.clusters(acme, "run-1")).hasSize(3);
    }
  }

  @Test
  void save_sameIdTwice_replacesWithoutDuplicates() {
    try (Database db = TestDatabase.fresh()) {
      ClusterRunRepository repository = new ClusterRunRepository(db.jdbi());
      repository.save(TenantId.DEFAULT, run("run-1", Instant.parse("2025-01-01T00:00:00Z")), clusters());
      repository.save(TenantId.DEFAULT, run("run-1", Instant.parse("2025-01-01T00:00:00Z")), clusters().subList(0, 2));
      repository.save(TenantId.DEFAULT, run("run-2", Instant.parse("2025-02-01T00:00:00Z")), clusters());

      assertThat(repository.clusters(TenantId.DEFAULT, "run-1")).hasSize(2);
      assertThat(repository.list(TenantId.DEFAULT, 10)).extracting(StoredRun::id).containsExactly("run-2", "run-1");
    }
  }
}
