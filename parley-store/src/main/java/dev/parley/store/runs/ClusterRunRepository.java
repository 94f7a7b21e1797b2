package dev.parley.store.runs;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.json.Json;
import dev.parley.store.StoreException;
import dev.parley.store.TenantId;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Cluster runs and their clusters (migrations V5, V6), always of one tenant. Saving a run id that exists replaces it whole, in one
 * transaction, so a re-run never duplicates clusters.
 */
public final class ClusterRunRepository {
  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

  private final Jdbi jdbi;

  public ClusterRunRepository(Jdbi jdbi) {
    this.jdbi = requireNonNull(jdbi, "jdbi is null");
  }

  public void save(TenantId tenant, StoredRun run, List<StoredCluster> clusters) {
    requireNonNull(tenant, "tenant is null");
    requireNonNull(run, "run is null");
    requireNonNull(clusters, "clusters is null");
    jdbi.useTransaction(handle -> {
      handle.createUpdate("DELETE FROM cluster_runs WHERE tenant_id = :tenant AND id = :id")
          .bind("tenant", tenant.value()).bind("id", run.id()).execute();
      handle.createUpdate("""
          INSERT INTO cluster_runs (tenant_id, id, kind, created_at, input_hash, seed, embedding_model, dimension,
            parameters, timings, items, noise, clusters, leaves, output_dir, manifest)
          VALUES (:tenant, :id, :kind, :createdAt, :inputHash, :seed, :model, :dimension,
            CAST(:parameters AS jsonb), CAST(:timings AS jsonb), :items, :noise, :clusters, :leaves, :outputDir,
            CAST(:manifest AS jsonb))""")
          .bind("tenant", tenant.value())
          .bind("id", run.id())
          .bind("kind", run.kind())
          .bind("createdAt", Timestamp.from(run.createdAt()))
          .bind("inputHash", run.inputHash())
          .bind("seed", run.seed())
          .bind("model", run.embeddingModel())
          .bind("dimension", run.dimension())
          .bind("parameters", Json.write(run.parameters()))
          .bind("timings", Json.write(run.timings()))
          .bind("items", run.items())
          .bind("noise", run.noise())
          .bind("clusters", run.clusters())
          .bind("leaves", run.leaves())
          .bind("outputDir", run.outputDir().orElse(null))
          .bind("manifest", run.manifest().map(Json::write).orElse(null))
          .execute();
      insertClusters(handle, tenant, run.id(), clusters);
    });
  }

  private static void insertClusters(Handle handle, TenantId tenant, String runId, List<StoredCluster> clusters) {
    PreparedBatch batch = handle.prepareBatch("""
        INSERT INTO cluster_run_clusters (tenant_id, run_id, id, parent_id, depth, size, label, description, keywords,
          examples, label_source, users, conversations, redacted, centroid, admission_threshold)
        VALUES (:tenant, :run, :id, :parent, :depth, :size, :label, :description, CAST(:keywords AS jsonb),
          CAST(:examples AS jsonb), :source, :users, :conversations, :redacted, :centroid, :threshold)""");
    for (StoredCluster c : clusters) {
      Array centroid = null;
      if (c.centroid().isPresent()) {
        float[] v = c.centroid().get();
        Float[] boxed = new Float[v.length];
        for (int i = 0; i < v.length; i++) {
          boxed[i] = v[i];
        }
        try {
          centroid = handle.getConnection().createArrayOf("float4", boxed);
        } catch (SQLException e) {
          throw new StoreException("cannot store the centroid of cluster " + c.id() + " of run " + runId, e);
        }
      }
      batch.bind("tenant", tenant.value())
          .bind("run", runId)
          .bind("id", c.id())
          .bind("parent", c.parentId().orElse(null))
          .bind("depth", c.depth())
          .bind("size", c.size())
          .bind("label", c.label())
          .bind("description", c.description())
          .bind("keywords", Json.write(c.keywords()))
          .bind("examples", Json.write(c.examples()))
          .bind("source", c.labelSource())
          .bind("users", c.users())
          .bind("conversations", c.conversations())
          .bind("redacted", c.redacted())
          .bindBySqlType("centroid", centroid, java.sql.Types.ARRAY)
          .bindBySqlType("threshold", c.admissionThreshold().isPresent() ? c.admissionThreshold().getAsDouble() : null, java.sql.Types.DOUBLE)
          .add();
    }
    if (!clusters.isEmpty()) {
      batch.execute();
    }
  }

  public Optional<StoredRun> find(TenantId tenant, String id) {
    return jdbi.withHandle(handle -> handle.createQuery("SELECT * FROM cluster_runs WHERE tenant_id = :tenant AND id = :id")
        .bind("tenant", tenant.value()).bind("id", id)
        .map((rs, ctx) -> run(rs)).findOne());
  }

  /** Most recent first. */
  public List<StoredRun> list(TenantId tenant, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1, was " + limit);
    }
    return jdbi.withHandle(handle -> handle.createQuery(
            "SELECT * FROM cluster_runs WHERE tenant_id = :tenant ORDER BY created_at DESC, id LIMIT :limit")
        .bind("tenant", tenant.value()).bind("limit", limit)
        .map((rs, ctx) -> run(rs)).list());
  }

  /** Parents before children (by depth), then by size, largest first. */
  public List<StoredCluster> clusters(TenantId tenant, String runId) {
    return jdbi.withHandle(handle -> handle.createQuery("""
            SELECT * FROM cluster_run_clusters WHERE tenant_id = :tenant AND run_id = :run
            ORDER BY depth, size DESC, id""")
        .bind("tenant", tenant.value()).bind("run", runId)
        .map((rs, ctx) -> cluster(rs)).list());
  }

  private static StoredRun run(ResultSet rs) throws SQLException {
    return new StoredRun(
        rs.getString("id"),
        rs.getString("kind"),
        rs.getTimestamp("created_at").toInstant(),
        rs.getString("input_hash"),
        rs.getLong("seed"),
        rs.getString("embedding_model"),
        rs.getInt("dimension"),
        Json.parse(rs.getString("parameters")),
        Json.parse(rs.getString("timings")),
        rs.getInt("items"),
        rs.getInt("noise"),
        rs.getInt("clusters"),
        rs.getInt("leaves"),
        Optional.ofNullable(rs.getString("output_dir")),
        Optional.ofNullable(rs.getString("manifest")).map(Json::parse));
  }

  private static StoredCluster cluster(ResultSet rs) throws SQLException {
    Array array = rs.getArray("centroid");
    Optional<float[]> centroid = Optional.empty();
    if (array != null) {
      Object[] values = (Object[]) array.getArray();
      float[] v = new float[values.length];
      for (int i = 0; i < values.length; i++) {
        v[i] = ((Number) values[i]).floatValue();
      }
      centroid = Optional.of(v);
    }
    return new StoredCluster(
        rs.getString("id"),
        Optional.ofNullable(rs.getString("parent_id")),
        rs.getInt("depth"),
        rs.getInt("size"),
        rs.getString("label"),
        rs.getString("description"),
        strings(rs.getString("keywords")),
        strings(rs.getString("examples")),
        rs.getString("label_source"),
        rs.getInt("users"),
        rs.getInt("conversations"),
        rs.getBoolean("redacted"),
        centroid,
        threshold(rs));
  }

  private static OptionalDouble threshold(ResultSet rs) throws SQLException {
    double value = rs.getDouble("admission_threshold");
    return rs.wasNull() ? OptionalDouble.empty() : OptionalDouble.of(value);
  }

  private static List<String> strings(String json) {
    JsonNode node = Json.parse(json);
    return Json.mapper().convertValue(node, STRINGS);
  }
}
