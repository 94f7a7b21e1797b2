package dev.parley.agent.persist;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.json.Json;
import dev.parley.store.TenantId;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** SQL of {@code idempotency_keys}: the key of a message post, its turn, and the reply once there is one. */
public final class IdempotencyRepository {
  private IdempotencyRepository() {}

  /** A stored key. {@code reply} is empty while its turn has not completed. */
  public record Entry(String key, String requestHash, UUID turnId, Optional<ObjectNode> reply) {
    public Entry {
      requireNonNull(key, "key is null");
      requireNonNull(requestHash, "requestHash is null");
      requireNonNull(turnId, "turnId is null");
      requireNonNull(reply, "reply is null");
    }
  }

  public static Optional<Entry> find(Handle h, TenantId tenant, UUID session, String key) {
    return h.createQuery("""
            SELECT key, request_hash, turn_id, reply FROM idempotency_keys
            WHERE session_id = :s AND tenant_id = :t AND key = :k""")
        .bind("s", session).bind("t", tenant.value()).bind("k", key)
        .map((rs, ctx) -> new Entry(rs.getString("key"), rs.getString("request_hash"), rs.getObject("turn_id", UUID.class),
            Sql.optString(rs, "reply").map(r -> (ObjectNode) Json.parse(r))))
        .findOne();
  }

  public static void insert(Handle h, TenantId tenant, UUID session, String key, String requestHash, UUID turn) {
    h.createUpdate("""
            INSERT INTO idempotency_keys (session_id, key, tenant_id, request_hash, turn_id) VALUES (:s, :k, :t, :hash, :turn)""")
        .bind("s", session).bind("k", key).bind("t", tenant.value()).bind("hash", requestHash).bind("turn", turn)
        .execute();
  }

  public static void storeReply(Handle h, TenantId tenant, UUID turn, String reply) {
    h.createUpdate("UPDATE idempotency_keys SET reply = :reply WHERE turn_id = :turn AND tenant_id = :t")
        .bind("turn", turn).bind("t", tenant.value()).bind("reply", reply)
        .execute();
  }
}
