-- Crash recovery in seconds, not at lease expiry: every orchestrator process holds a session-level
-- advisory lock pg_advisory_lock(1885434476 /* 'parl' */, <owner id>) on one connection for its
-- lifetime, and writes its owner id into the leases it takes. A lease whose owner's lock is no longer
-- held (the process died, so its connection closed) is dead and may be taken over at once; a live
-- owner's lease is taken over only after lease_until, as before. NULL: a lease without an owner (taken
-- before V7), which only expiry frees.
ALTER TABLE sessions ADD COLUMN lease_owner integer CHECK (lease_owner > 0);

-- Owner ids come from a sequence, so that a new process never takes the id of a dead one whose leases
-- are still in the table (a random id could, and would make the dead leases look alive).
CREATE SEQUENCE lease_owners AS integer MINVALUE 1 CYCLE;
