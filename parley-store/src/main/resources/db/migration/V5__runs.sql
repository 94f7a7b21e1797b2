-- Cluster runs (./parley cluster and ./parley analyze): one row per run with its parameters, input
-- fingerprint and timings, and one row per cluster of its tree. The run folder (DESIGN §4) holds the
-- same run as files, plus the per-input assignments; these tables let the server list runs and clusters.

CREATE TABLE cluster_runs (
  tenant_id        bigint NOT NULL DEFAULT 1 REFERENCES tenants (id) ON DELETE CASCADE,
  id               text NOT NULL CHECK (length(id) BETWEEN 1 AND 200),
  kind             text NOT NULL CHECK (kind IN ('cluster', 'analyze')),
  created_at       timestamptz NOT NULL DEFAULT now(),
  -- SHA-256 of the input (files' bytes, in order) so a re-run on the same data can be recognised.
  input_hash       text NOT NULL CHECK (input_hash ~ '^[0-9a-f]{64}$'),
  seed             bigint NOT NULL,
  embedding_model  text NOT NULL,
  dimension        integer NOT NULL CHECK (dimension > 0),
  -- Every clustering, labelling and privacy parameter, as written to run.json.
  parameters       jsonb NOT NULL,
  -- Stage name -> milliseconds, in pipeline order.
  timings          jsonb NOT NULL,
  items            integer NOT NULL CHECK (items >= 0),
  noise            integer NOT NULL CHECK (noise >= 0 AND noise <= items),
  clusters         integer NOT NULL CHECK (clusters >= 0),
  leaves           integer NOT NULL CHECK (leaves >= 0),
  -- Where the run folder was written, when it was (absolute path).
  output_dir       text,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX cluster_runs_created ON cluster_runs (tenant_id, created_at DESC);

CREATE TABLE cluster_run_clusters (
  tenant_id      bigint NOT NULL,
  run_id         text NOT NULL,
  id             text NOT NULL,
  parent_id      text,
  depth          integer NOT NULL CHECK (depth >= 0),
  size           integer NOT NULL CHECK (size >= 0),
  label          text NOT NULL,
  description    text NOT NULL,
  keywords       jsonb NOT NULL DEFAULT '[]'::jsonb,
  examples       jsonb NOT NULL DEFAULT '[]'::jsonb,
  label_source   text NOT NULL,
  users          integer NOT NULL CHECK (users >= 0),
  conversations  integer NOT NULL CHECK (conversations >= 0),
  redacted       boolean NOT NULL DEFAULT false,
  -- L2-normalised centroid in the run's embedding space; leaves only (null for parents).
  centroid       real[],
  PRIMARY KEY (tenant_id, run_id, id),
  FOREIGN KEY (tenant_id, run_id) REFERENCES cluster_runs (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX cluster_run_clusters_parent ON cluster_run_clusters (tenant_id, run_id, parent_id);
