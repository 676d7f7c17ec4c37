-- What an import reads of a source's records before it starts (rowid, id,
-- fingerprint, digest), in an index of about 100 bytes a record, so that
-- it does not read the records themselves (2 to 3 KB each).
CREATE INDEX records_digest ON records (source, id, fingerprint, digest);
