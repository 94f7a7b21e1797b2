package dev.parley.server.insights;

import static java.util.Objects.requireNonNull;

import dev.parley.core.conversation.ConversationCodec;
import dev.parley.core.json.Json;
import dev.parley.server.ApiError;
import dev.parley.server.ParleyServer;
import dev.parley.store.ConversationRepository;
import dev.parley.store.TenantId;
import dev.parley.store.Tenants;
import io.javalin.http.Context;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code POST /v1/conversations}: upserts conversations (DESIGN §4) for the caller's tenant, all of a batch
 * in one transaction, so a bad item stores nothing. Reply {@code {"imported","updated","unchanged"}}, as
 * {@code ./parley import} counts them.
 */
final class ConversationsController {
  private final Jdbi jdbi;
  private final Tenants tenants;
  private final ConversationBatch batch = new ConversationBatch(new ConversationCodec());

  ConversationsController(Jdbi jdbi) {
    this.jdbi = requireNonNull(jdbi, "jdbi is null");
    this.tenants = new Tenants(jdbi);
  }

  void ingest(Context ctx) {
    TenantId tenant = ParleyServer.tenantOf(ctx);
    List<ConversationBatch.Item> items = batch.parse(ctx.body());
    checkTenantFields(tenant, items);
    long[] counts = new long[ConversationRepository.Outcome.values().length];
    jdbi.useTransaction(handle -> {
      for (ConversationBatch.Item item : items) {
        try {
          counts[ConversationRepository.upsert(handle, tenant, item.conversation()).ordinal()]++;
        } catch (RuntimeException e) {
          throw asItemProblem(e, item);
        }
      }
    });
    ctx.json(Json.object()
        .put("imported", counts[ConversationRepository.Outcome.IMPORTED.ordinal()])
        .put("updated", counts[ConversationRepository.Outcome.UPDATED.ordinal()])
        .put("unchanged", counts[ConversationRepository.Outcome.UNCHANGED.ordinal()]));
  }

  /**
   * A conversation may name its tenant (DESIGN §4); over the API the key decides, so a line naming another
   * tenant is refused rather than silently stored elsewhere or moved.
   */
  private void checkTenantFields(TenantId tenant, List<ConversationBatch.Item> items) {
    Optional<ConversationBatch.Item> named = items.stream().filter(i -> i.conversation().tenant().isPresent()).findFirst();
    if (named.isEmpty()) {
      return;
    }
    String name = tenants.name(tenant).orElseThrow(() -> new IllegalStateException("the authenticated " + tenant + " has no row"));
    for (ConversationBatch.Item item : items) {
      String given = item.conversation().tenant().orElse(name);
      if (!given.equals(name)) {
        throw ApiError.badRequest(item.where() + ": conversation '" + item.conversation().id() + "' names tenant '" + given
            + "' but the API key belongs to tenant '" + name + "'; leave 'tenant' out or use that tenant's key");
      }
    }
  }

  /**
   * A value PostgreSQL cannot hold (a NUL character in a text: SQL state class 22, data exception) is a
   * problem of the item, a 400; other failures pass through (500).
   */
  private static RuntimeException asItemProblem(RuntimeException e, ConversationBatch.Item item) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("22")) {
        String message = sql.getMessage() == null ? sql.getSQLState() : sql.getMessage().lines().findFirst().orElse(sql.getSQLState());
        return ApiError.badRequest(item.where() + ": conversation '" + item.conversation().id() + "' cannot be stored: "
            + message.replaceFirst("^ERROR: ", ""));
      }
    }
    return e;
  }
}
