-- Guarded rollouts (orchestrator reliability): a flag may carry a guard that steps its rollout back to 0 %
-- when the turns it was on for fail more often than the guard allows (RolloutGuard in parley-agent).

-- The guard of a flag, versioned: {"v": 1, "enabled": bool, "max_error_rate": 0-1, "min_turns": n, "window_seconds": s}.
-- NULL: no guard (the default; the flag is never rolled back by itself).
ALTER TABLE flags ADD COLUMN guard jsonb;

-- The flag values the turn's latest attempt ran with, as evaluated at its start:
-- {"modular_prompts": true, "context_window": false, "prompt_caching": true}. NULL for turns stored before V8.
-- The guard's error rates and the decision gate's A/B split (on vs off sessions) read it.
ALTER TABLE agent_turns ADD COLUMN flags jsonb;
-- The guard reads the turns that finished in its window (15 min by default) every 30 s.
CREATE INDEX agent_turns_finished ON agent_turns (finished_at) WHERE flags IS NOT NULL;

-- What happened to a flag other than by hand: the guard's rollbacks, with the figures it decided on.
-- Flags are global (not per tenant), and so is their history; each affected tenant also gets a signal.
CREATE TABLE flag_events (
  id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  flag  text NOT NULL,
  at    timestamptz NOT NULL,
  type  text NOT NULL CHECK (type IN ('flag_rolled_back')),
  data  jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX flag_events_flag ON flag_events (flag, id);
