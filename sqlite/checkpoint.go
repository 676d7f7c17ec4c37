package sqlite

import (
	"context"
	"database/sql"
)

// The writer connection does not checkpoint by itself
// (wal_autocheckpoint(0)): SQLite would otherwise copy the WAL into the
// database file inside the Commit of an import — for a million records,
// about 2.5 GB written a second time, a sixth of the import's time. After
// each write the Store starts instead a PASSIVE checkpoint on a connection
// of its own, in the background: it copies what no reader still needs,
// never blocks the writer nor the readers, and the next write transaction
// starts the WAL again from its beginning (journal_size_limit caps the
// file). A checkpoint is crash-safe: a process killed during one leaves
// the database as it was, the WAL still holding the frames.

// startCheckpoint starts a background checkpoint unless one is running.
func (s *Store) startCheckpoint() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || s.checkpointing {
		s.checkpointAgain = s.checkpointing
		return
	}
	s.checkpointing = true
	s.checkpoints.Add(1)
	go s.checkpointLoop()
}

// checkpointLoop checkpoints until no write came meanwhile.
func (s *Store) checkpointLoop() {
	defer s.checkpoints.Done()
	for {
		// An error is not worth reporting: the frames stay in the WAL,
		// where readers find them, and the next checkpoint copies them.
		s.ckpt.ExecContext(context.Background(), "PRAGMA wal_checkpoint(PASSIVE)")
		s.mu.Lock()
		if !s.checkpointAgain || s.closed {
			s.checkpointing = false
			s.mu.Unlock()
			return
		}
		s.checkpointAgain = false
		s.mu.Unlock()
	}
}

// openCheckpointer opens the connection the checkpoints run on.
func (s *Store) openCheckpointer() error {
	ckpt, err := sql.Open("sqlite", s.path+"?"+busyTimeout)
	if err != nil {
		return err
	}
	ckpt.SetMaxOpenConns(1)
	ckpt.SetMaxIdleConns(1)
	s.ckpt = ckpt
	return nil
}
