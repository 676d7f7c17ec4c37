-- The digest of each record (maillage.EncodedRecord.Digest): a hash of
-- every stored column, so that a re-import skips, without reading or
-- writing them, the records that did not change at all. NULL for records
-- written before it existed: they are rewritten once.
ALTER TABLE records ADD COLUMN digest INTEGER;
