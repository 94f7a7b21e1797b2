package dev.parley.store.insights;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.json.Json;
import dev.parley.store.TenantId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/**
 * Triage results, one row per (tenant, conversation): {@link #upsert} replaces an earlier result. Takes
 * the result line as written to the output file (DESIGN §4) and indexes the fields statistics need.
 */
public final class TriageRepository {
  private final Jdbi jdbi;

  public TriageRepository(Jdbi jdbi) {
    this.jdbi = requireNonNull(jdbi, "jdbi is null");
  }

  /** Stores the results in one transaction; each replaces the conversation's earlier result. */
  public void upsertAll(TenantId tenant, List<ObjectNode> results) {
    requireNonNull(tenant, "tenant is null");
    requireNonNull(results, "results is null");
    jdbi.useTransaction(handle -> {
      for (ObjectNode r : results) {
        upsert(handle, tenant, r);
      }
    });
  }

  static void upsert(Handle handle, TenantId tenant, ObjectNode r) {
    String id = r.path("conversation_id").asText("");
    if (id.isEmpty()) {
      throw new IllegalArgumentException("result has no conversation_id: " + r);
    }
    JsonNode s1 = r.path("stage1");
    JsonNode s2 = r.path("stage2");
    handle.createUpdate("""
        INSERT INTO triage_results (tenant_id, conversation_id, backend, stage1_type, stage1_confidence, stage2_type,
            stage2_confidence, changed, resolution, error, result, updated_at)
        VALUES (:tenant, :id, :backend, :s1type, :s1conf, :s2type, :s2conf, :changed, :resolution, :error, CAST(:result AS jsonb), now())
        ON CONFLICT (tenant_id, conversation_id) DO UPDATE SET
            backend = EXCLUDED.backend, stage1_type = EXCLUDED.stage1_type, stage1_confidence = EXCLUDED.stage1_confidence,
            stage2_type = EXCLUDED.stage2_type, stage2_confidence = EXCLUDED.stage2_confidence, changed = EXCLUDED.changed,
            resolution = EXCLUDED.resolution, error = EXCLUDED.error, result = EXCLUDED.result, updated_at = now()
        """)
        .bind("tenant", tenant.value())
        .bind("id", id)
        .bind("backend", r.path("backend").asText("unknown"))
        .bind("s1type", text(s1, "type"))
        .bind("s1conf", text(s1, "confidence"))
        .bind("s2type", text(s2, "type"))
        .bind("s2conf", text(s2, "confidence"))
        .bind("changed", s2.has("classification_changed") ? s2.get("classification_changed").asBoolean() : null)
        .bind("resolution", text(r.path("resolution"), "status"))
        .bind("error", r.has("error") ? r.get("error").asText() : null)
        .bind("result", Json.write(r))
        .execute();
  }

  public Optional<ObjectNode> find(TenantId tenant, String conversationId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT result::text FROM triage_results WHERE tenant_id = :t AND conversation_id = :id")
        .bind("t", tenant.value()).bind("id", conversationId).mapTo(String.class).findOne()
        .map(s -> (ObjectNode) Json.parse(s)));
  }

  /**
   * Statistics over a tenant's stored results.
   *
   * @param byStage1Type counts of stage-1 types
   * @param byStage2Type counts of stage-2 types (conversations support replied to)
   * @param stage1Confidence counts of stage-1 confidence levels
   * @param changeRate share of stage-2 results whose type differs from stage 1 (NaN without stage 2)
   * @param byResolution counts of resolution statuses
   */
  public record Stats(
      long total, long failed, long withStage2, Map<String, Long> byStage1Type, Map<String, Long> byStage2Type,
      Map<String, Long> stage1Confidence, Map<String, Long> stage2Confidence, double changeRate, Map<String, Long> byResolution) {}

  public Stats stats(TenantId tenant) {
    return jdbi.withHandle(h -> {
      long total = count(h, tenant, "TRUE");
      long failed = count(h, tenant, "stage1_type IS NULL");
      long stage2 = count(h, tenant, "stage2_type IS NOT NULL");
      long changed = count(h, tenant, "changed");
      return new Stats(total, failed, stage2,
          groups(h, tenant, "stage1_type"), groups(h, tenant, "stage2_type"),
          groups(h, tenant, "stage1_confidence"), groups(h, tenant, "stage2_confidence"),
          stage2 == 0 ? Double.NaN : (double) changed / stage2, groups(h, tenant, "resolution"));
    });
  }

  private static long count(Handle h, TenantId tenant, String condition) {
    return h.createQuery("SELECT count(*) FROM triage_results WHERE tenant_id = :t AND " + condition)
        .bind("t", tenant.value()).mapTo(Long.class).one();
  }

  /** Counts by a column, most frequent first (the column name is one of ours, never user input). */
  private static Map<String, Long> groups(Handle h, TenantId tenant, String column) {
    Map<String, Long> out = new LinkedHashMap<>();
    h.createQuery("SELECT " + column + " AS k, count(*) AS n FROM triage_results WHERE tenant_id = :t AND " + column
            + " IS NOT NULL GROUP BY " + column + " ORDER BY n DESC, k")
        .bind("t", tenant.value())
        .map((rs, ctx) -> Map.entry(rs.getString("k"), rs.getLong("n")))
        .forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  /** The field's text, or null (bound as SQL NULL) when the field is absent or JSON null. */
  private static @Nullable String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
