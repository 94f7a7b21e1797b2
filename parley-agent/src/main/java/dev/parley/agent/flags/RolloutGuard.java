package dev.parley.agent.flags;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.agent.metrics.AgentMetrics;
import dev.parley.agent.persist.SignalRepository;
import dev.parley.agent.session.Signal;
import dev.parley.core.json.Json;
import dev.parley.store.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guarded rollouts: steps a flag whose turns fail too often back to 0 % by itself. Run periodically
 * (the server schedules {@link #check} every 30 s, {@code --flag-guard-interval}); each pass judges every
 * enabled flag with a rollout above 0 % and an enabled {@link FlagGuard}:
 *
 * <ol>
 *   <li>the sample is the turn attempts that ran with the flag on (as each turn recorded at its start,
 *       {@code agent_turns.flags}) and finished within the guard's window, counted only since the flag
 *       last changed (so that raising a rolled-back flag again starts from a clean slate);
 *   <li>an attempt that ended {@code failed} or {@code interrupted} is an error, as in the seed's
 *       error-rate alert ({@code parley_errors_total / parley_turns_total}); a retried turn counts each
 *       of its attempts;
 *   <li>with at least {@code min_turns} attempts and an error rate above {@code max_error_rate}, the
 *       flag's rollout is set to 0 % (enabled stays on, as {@code flags set NAME --rollout 0} would), a
 *       {@code flag_rolled_back} event is written to the flag's history ({@code flag_events}) and a
 *       {@code flag_rolled_back} signal (DESIGN §4) to every tenant whose turns were in the sample, in
 *       one transaction, compare-and-set on the flag as read: of two processes judging it, one acts.
 * </ol>
 *
 * <p>Flags without a guard, or with it off (the default), are never touched.
 */
public final class RolloutGuard {
  private static final Logger LOG = LoggerFactory.getLogger(RolloutGuard.class);
  public static final String EVENT = "flag_rolled_back";

  private final Flags flags;
  private final Jdbi jdbi;
  private final AgentMetrics metrics;
  private final Clock clock;

  public RolloutGuard(Flags flags, AgentMetrics metrics, Clock clock) {
    this.flags = requireNonNull(flags, "flags is null");
    this.jdbi = flags.repository().jdbi();
    this.metrics = requireNonNull(metrics, "metrics is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /** What a pass decided about one guarded flag. */
  public enum Outcome {
    /** Over the threshold: the rollout is now 0 %. */
    ROLLED_BACK,
    /** Enough turns, error rate within the threshold. */
    WITHIN_THRESHOLD,
    /** Fewer turns than {@code min_turns}: no judgement yet. */
    TOO_FEW_TURNS,
    /** Over the threshold, but the flag changed (or another process rolled it back) since it was read. */
    CHANGED_MEANWHILE
  }

  /**
   * One flag's figures and outcome.
   *
   * @param from start of the sample: the window's start or the flag's last change, whichever is later
   * @param turns turn attempts with the flag on that finished since {@code from}
   * @param errors those of them that failed or were interrupted
   */
  public record Verdict(String flag, int rollout, FlagGuard guard, Instant from, long turns, long errors, Outcome outcome) {
    public Verdict {
      requireNonNull(flag, "flag is null");
      requireNonNull(guard, "guard is null");
      requireNonNull(from, "from is null");
      requireNonNull(outcome, "outcome is null");
    }

    public double errorRate() {
      return turns == 0 ? 0 : (double) errors / turns;
    }
  }

  /** The sample of one tenant. */
  private record TenantSample(long tenant, long turns, long errors) {}

  /** Judges every guarded flag once; returns a verdict for each flag it judged. */
  public List<Verdict> check() {
    Instant now = clock.instant();
    List<Verdict> verdicts = new ArrayList<>();
    for (Flag flag : flags.repository().list()) {
      if (flag.guard().enabled() && flag.enabled() && flag.rollout() > 0 && KnownFlag.find(flag.name()).isPresent()) {
        verdicts.add(judge(flag, now));
      }
    }
    return verdicts;
  }

  private Verdict judge(Flag flag, Instant now) {
    FlagGuard guard = flag.guard();
    Instant windowStart = now.minus(guard.window());
    Instant from = flag.updatedAt().isAfter(windowStart) ? flag.updatedAt() : windowStart;
    List<TenantSample> samples = sample(flag.name(), from);
    long turns = samples.stream().mapToLong(TenantSample::turns).sum();
    long errors = samples.stream().mapToLong(TenantSample::errors).sum();
    if (turns < guard.minTurns()) {
      return new Verdict(flag.name(), flag.rollout(), guard, from, turns, errors, Outcome.TOO_FEW_TURNS);
    }
    Verdict over = new Verdict(flag.name(), flag.rollout(), guard, from, turns, errors, Outcome.ROLLED_BACK);
    if (over.errorRate() <= guard.maxErrorRate()) {
      return new Verdict(flag.name(), flag.rollout(), guard, from, turns, errors, Outcome.WITHIN_THRESHOLD);
    }
    String message = String.format(Locale.ROOT,
        "flag %s rolled back from %d %% to 0 %%: %d of %d turns with it on failed (%.2f %%) since %s, above the guard's %.2f %% (min %d turns, window %d s)",
        flag.name(), flag.rollout(), errors, turns, 100.0 * over.errorRate(), from, 100.0 * guard.maxErrorRate(), guard.minTurns(),
        guard.window().toSeconds());
    boolean rolledBack = jdbi.inTransaction(h -> {
      Optional<Flag> rolled = FlagRepository.rollBack(h, flag);
      if (rolled.isEmpty()) {
        return false;
      }
      FlagRepository.insertEvent(h, flag.name(), now, EVENT, eventData(over, samples, message));
      for (TenantSample s : samples) {
        Signal signal = new Signal(UUID.randomUUID(), now, EVENT, "high", EVENT + ":" + flag.name(), Optional.empty(), Optional.empty(),
            Optional.of(1.0), Optional.of(message));
        SignalRepository.insertAll(h, new TenantId(s.tenant()), Optional.empty(), List.of(signal));
      }
      return true;
    });
    if (!rolledBack) {
      LOG.info("rollout guard: flag {} changed while it was judged ({} of {} turns failed); judged again on the next pass", flag.name(), errors, turns);
      return new Verdict(flag.name(), flag.rollout(), guard, from, turns, errors, Outcome.CHANGED_MEANWHILE);
    }
    flags.refresh();
    metrics.flagRollback(flag.name());
    LOG.warn("rollout guard: {}", message);
    return over;
  }

  /** Attempts and errors per tenant of the turns that ran with {@code flag} on and finished since {@code from}. */
  private List<TenantSample> sample(String flag, Instant from) {
    return jdbi.withHandle(h -> h.createQuery("""
            SELECT tenant_id, sum(attempts) AS turns, sum(attempts - CASE WHEN status = 'completed' THEN 1 ELSE 0 END) AS errors
            FROM agent_turns
            WHERE flags IS NOT NULL AND finished_at >= :from AND status IN ('completed', 'failed', 'interrupted')
              AND flags ->> :flag = 'true'
            GROUP BY tenant_id ORDER BY tenant_id""")
        .bind("from", OffsetDateTime.ofInstant(from, ZoneOffset.UTC))
        .bind("flag", flag)
        .map((rs, ctx) -> new TenantSample(rs.getLong("tenant_id"), rs.getLong("turns"), rs.getLong("errors")))
        .list());
  }

  private static ObjectNode eventData(Verdict v, List<TenantSample> samples, String message) {
    ObjectNode data = Json.object()
        .put("from_rollout", v.rollout())
        .put("to_rollout", 0)
        .put("turns", v.turns())
        .put("errors", v.errors())
        .put("error_rate", v.errorRate())
        .put("since", v.from().toString())
        .put("message", message);
    data.set("guard", v.guard().toJson());
    ArrayNode tenants = data.putArray("tenants");
    samples.forEach(s -> tenants.add(Json.object().put("tenant", s.tenant()).put("turns", s.turns()).put("errors", s.errors())));
    return data;
  }
}
