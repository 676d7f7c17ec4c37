package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"time"

	"maillage/migration"
)

// migrationFiles are the schema changes (see package migration).
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrate applies the migrations the database lacks, in order, in one
// transaction: either all of them are applied or none.
func migrate(ctx context.Context, conn *sql.Conn) error {
	list, err := migration.Load(migrationFiles)
	if err != nil {
		return err
	}
	tx, err := conn.BeginTx(ctx, nil) // BEGIN IMMEDIATE: one process migrates at a time
	if err != nil {
		return fmt.Errorf("migrations : %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at TEXT NOT NULL
	)`); err != nil {
		return fmt.Errorf("migrations : %w", err)
	}
	var current int
	if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(version), 0) FROM schema_migrations").Scan(&current); err != nil {
		return fmt.Errorf("migrations : %w", err)
	}
	if n := len(list); n > 0 && current > list[n-1].Version {
		return fmt.Errorf("la base est au schéma %d, plus récent que celui de ce programme (%d) : mettez maillage à jour",
			current, list[n-1].Version)
	}
	for _, m := range list {
		if m.Version <= current {
			continue
		}
		if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
			return fmt.Errorf("migration %s : %w", m.Name, err)
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
			m.Version, m.Name, formatTime(time.Now())); err != nil {
			return fmt.Errorf("migration %s : %w", m.Name, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrations : %w", err)
	}
	return nil
}
