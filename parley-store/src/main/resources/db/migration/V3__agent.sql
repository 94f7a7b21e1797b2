-- Orchestrator tables (issue 3): agent sessions and their phase machine, every message block,
-- turns, events, idempotency keys, feature flags and signals. Every row of tenant data carries
-- tenant_id and every query filters on it.

-- One conversation with an agent. phase/status change only by compare-and-set on version:
--   UPDATE sessions SET phase = ?, version = version + 1 WHERE id = ? AND version = ?
-- (0 rows updated = a lost race). active_turn/lease_token/lease_until make one turn at a time per session,
-- across processes; a lease past lease_until belongs to a dead process and may be taken over.
CREATE TABLE sessions (
  id                  uuid PRIMARY KEY,
  tenant_id           bigint NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  agent               text NOT NULL,
  user_ref            text,
  metadata            jsonb NOT NULL DEFAULT '{}'::jsonb,
  status              text NOT NULL CHECK (status IN ('active', 'complete')),
  phase               text NOT NULL,
  -- Session fields set by tool effects, as {"v": 1, "fields": {...}} (versioned agent state).
  state               jsonb NOT NULL,
  -- Rolling summary of the history up to and including message seq summary_through (0 = none).
  summary             text,
  summary_through     integer NOT NULL DEFAULT 0,
  version             bigint NOT NULL DEFAULT 0,
  active_turn         uuid,
  -- A new token per attempt of a turn: a retried turn keeps its id, so writes are fenced on the token.
  lease_token         uuid,
  lease_until         timestamptz,
  -- Counters for the decision gate (turns per session) and cost per conversation.
  turn_count          integer NOT NULL DEFAULT 0,
  message_count       integer NOT NULL DEFAULT 0,
  input_tokens        bigint NOT NULL DEFAULT 0,
  output_tokens       bigint NOT NULL DEFAULT 0,
  cache_read_tokens   bigint NOT NULL DEFAULT 0,
  cache_write_tokens  bigint NOT NULL DEFAULT 0,
  cost_usd            numeric(16, 8) NOT NULL DEFAULT 0,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sessions_tenant ON sessions (tenant_id, created_at);

-- Turns: one user message and everything the agent did about it.
CREATE TABLE agent_turns (
  id                  uuid PRIMARY KEY,
  session_id          uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  tenant_id           bigint NOT NULL,
  seq                 integer NOT NULL CHECK (seq >= 1),
  status              text NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'interrupted')),
  attempts            integer NOT NULL DEFAULT 1,
  user_message_seq    integer NOT NULL,
  started_at          timestamptz NOT NULL,
  finished_at         timestamptz,
  rounds              integer NOT NULL DEFAULT 0,
  model_calls         integer NOT NULL DEFAULT 0,
  input_tokens        bigint NOT NULL DEFAULT 0,
  output_tokens       bigint NOT NULL DEFAULT 0,
  cache_read_tokens   bigint NOT NULL DEFAULT 0,
  cache_write_tokens  bigint NOT NULL DEFAULT 0,
  cost_usd            numeric(16, 8) NOT NULL DEFAULT 0,
  duration_ms         double precision,
  model_ms            double precision NOT NULL DEFAULT 0,
  tool_ms             double precision NOT NULL DEFAULT 0,
  error_code          text,
  error_message       text,
  UNIQUE (session_id, seq)
);

-- Every message with all its content blocks, as {"v": 1, "blocks": [...]} so history replays to the
-- provider exactly (text, tool_use with id and input, tool_result with is_error).
CREATE TABLE agent_messages (
  session_id   uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  seq          integer NOT NULL CHECK (seq >= 1),
  tenant_id    bigint NOT NULL,
  id           uuid NOT NULL UNIQUE,
  turn_id      uuid REFERENCES agent_turns (id) ON DELETE SET NULL,
  role         text NOT NULL CHECK (role IN ('user', 'assistant')),
  -- 'user' for a person's words, 'tool_result' for tool results, 'assistant' for the model.
  kind         text NOT NULL CHECK (kind IN ('user', 'tool_result', 'assistant')),
  content      jsonb NOT NULL,
  text         text NOT NULL,
  tokens       integer NOT NULL CHECK (tokens >= 0),
  phase        text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (session_id, seq)
);

CREATE TABLE agent_events (
  id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id           bigint NOT NULL,
  session_id          uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  turn_id             uuid,
  at                  timestamptz NOT NULL,
  type                text NOT NULL CHECK (type IN ('conversation_start', 'llm_request', 'tool_execution', 'guard_block',
                                                   'phase_change', 'summarization', 'turn_complete', 'error')),
  duration_ms         double precision,
  model               text,
  input_tokens        bigint,
  output_tokens       bigint,
  cache_read_tokens   bigint,
  cache_write_tokens  bigint,
  data                jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX agent_events_session ON agent_events (session_id, id);
CREATE INDEX agent_events_type ON agent_events (tenant_id, type, at);

-- Idempotency-Key of POST /v1/sessions/{id}/messages: the stored reply is returned on a retry.
CREATE TABLE idempotency_keys (
  session_id    uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  key           text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
  tenant_id     bigint NOT NULL,
  request_hash  text NOT NULL,
  turn_id       uuid NOT NULL REFERENCES agent_turns (id) ON DELETE CASCADE,
  -- The reply as sent (text, not jsonb, so that a replay is byte-identical).
  reply         text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (session_id, key)
);

-- Feature flags read by the OpenFeature provider; rollout is the Unleash percentage (0-100).
CREATE TABLE flags (
  name         text PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9_]{0,63}$'),
  enabled      boolean NOT NULL,
  rollout      integer NOT NULL CHECK (rollout BETWEEN 0 AND 100),
  description  text NOT NULL DEFAULT '',
  updated_at   timestamptz NOT NULL DEFAULT now()
);

-- Signals (DESIGN §4) for the issue-priority pipeline: guard blocks, tool errors, provider errors.
CREATE TABLE signals (
  id          uuid PRIMARY KEY,
  tenant_id   bigint NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  session_id  uuid REFERENCES sessions (id) ON DELETE CASCADE,
  at          timestamptz NOT NULL,
  signal      text NOT NULL,
  severity    text NOT NULL CHECK (severity IN ('info', 'low', 'medium', 'high', 'critical')),
  signature   text NOT NULL,
  phase       text,
  user_ref    text,
  confidence  double precision CHECK (confidence BETWEEN 0 AND 1),
  snippet     text
);
CREATE INDEX signals_tenant ON signals (tenant_id, at);
CREATE INDEX signals_signature ON signals (tenant_id, signature);
