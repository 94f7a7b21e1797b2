-- Triage results and topic segmentations (./parley triage, ./parley segment, ./parley analyze): one row
-- per conversation each, replaced on re-run (upsert on the primary key), never duplicated. No foreign key
-- to conversations: results also come from files and Intercom without importing the conversation.

CREATE TABLE triage_results (
  tenant_id          bigint NOT NULL DEFAULT 1 REFERENCES tenants (id) ON DELETE CASCADE,
  conversation_id    text NOT NULL CHECK (length(conversation_id) BETWEEN 1 AND 500),
  -- offline:<method> or llm:<provider>
  backend            text NOT NULL,
  -- Stage-1 type and confidence, and stage-2 type when support replied (NULL otherwise): the columns
  -- `triage stats` groups by. NULL stage1_type means the conversation could not be triaged (see error).
  stage1_type        text,
  stage1_confidence  text CHECK (stage1_confidence IN ('high', 'medium', 'low')),
  stage2_type        text,
  stage2_confidence  text CHECK (stage2_confidence IN ('high', 'medium', 'low')),
  changed            boolean,
  resolution         text CHECK (resolution IN ('resolved', 'pending', 'unresolved')),
  error              text,
  -- The whole result line as written to the output file (DESIGN §4).
  result             jsonb NOT NULL,
  updated_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, conversation_id)
);
CREATE INDEX triage_results_type ON triage_results (tenant_id, stage1_type);

CREATE TABLE segmentations (
  tenant_id          bigint NOT NULL DEFAULT 1 REFERENCES tenants (id) ON DELETE CASCADE,
  conversation_id    text NOT NULL CHECK (length(conversation_id) BETWEEN 1 AND 500),
  segment_count      integer NOT NULL CHECK (segment_count >= 1),
  -- Conversation summary stitched from the segments' summaries, and how they were made.
  summary            text,
  summary_kind       text CHECK (summary_kind IN ('extractive', 'llm')),
  -- The whole output line: {"conversation_id","segments":[{"start","end","summary"?}], ...}
  result             jsonb NOT NULL,
  updated_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, conversation_id)
);

-- LLM replies by content hash of (prompt version, model, input): a re-run on unchanged data costs nothing.
CREATE TABLE llm_reply_cache (
  key         text PRIMARY KEY CHECK (key ~ '^[0-9a-f]{64}$'),
  value       text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
