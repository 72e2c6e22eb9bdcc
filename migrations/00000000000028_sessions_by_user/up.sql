-- A person's live sessions are found by the user id in the session data (Settings → "Where
-- you're signed in"); without this index that list reads the whole sessions table.
CREATE INDEX sessions_user_idx ON sessions ((data -> 'auth' ->> 'user_id'));
