-- Embeddings by (model, content hash), so a re-run embeds nothing twice.
-- Keyed by content, not by tenant: a vector reveals nothing a tenant did not already send.
CREATE TABLE embedding_cache (
  model_id      text NOT NULL,
  content_hash  text NOT NULL,
  dim           integer NOT NULL CHECK (dim > 0),
  -- dim float32 values, little-endian.
  vector        bytea NOT NULL CHECK (length(vector) = 4 * dim),
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (model_id, content_hash)
);
