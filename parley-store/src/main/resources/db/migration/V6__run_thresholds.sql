-- Everything a run produces is stored under its tenant, so that a server assigns from the store alone and
-- never reads a run folder: each leaf's admission threshold (the cosine to its centroid that 95 % of its
-- members reach; below it a new text is noise), and the run's whole run.json.
-- Runs stored before this migration keep NULLs: they assign every text to its nearest leaf, as before.

ALTER TABLE cluster_run_clusters ADD COLUMN admission_threshold double precision
  CHECK (admission_threshold IS NULL OR (admission_threshold >= -1 AND admission_threshold <= 1));

ALTER TABLE cluster_runs ADD COLUMN manifest jsonb;
