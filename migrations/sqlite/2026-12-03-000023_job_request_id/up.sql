-- The id of the HTTP request that enqueued a job (X-Request-Id, a plain token of at most 64
-- characters), so the worker's log lines for the job name the request; NULL for jobs the CLI,
-- the worker or a seed enqueued.
ALTER TABLE jobs ADD COLUMN request_id TEXT;
