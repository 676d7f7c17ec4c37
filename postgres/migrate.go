package postgres

import (
	"context"
	"embed"
	"fmt"

	"github.com/jackc/pgx/v5"

	"maillage/migration"
)

// migrationFiles are the schema changes (see package migration).
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrationLock is the key of the advisory lock taken while migrating.
const migrationLock = 0x6d61696c6c616765 // "maillage"

// migrate applies the migrations the database lacks, in order, in one
// transaction: either all of them are applied or none.
func migrate(ctx context.Context, conn *pgx.Conn) error {
	list, err := migration.Load(migrationFiles)
	if err != nil {
		return err
	}
	tx, err := conn.Begin(ctx)
	if err != nil {
		return fmt.Errorf("migrations : %w", err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", int64(migrationLock)); err != nil {
		return fmt.Errorf("migrations : verrou : %w", err)
	}
	if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    integer PRIMARY KEY,
		name       text NOT NULL,
		applied_at timestamptz NOT NULL DEFAULT now()
	)`); err != nil {
		return fmt.Errorf("migrations : %w", err)
	}
	var current int
	if err := tx.QueryRow(ctx, "SELECT coalesce(max(version), 0) FROM schema_migrations").Scan(&current); err != nil {
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
		// Simple protocol: a migration file holds several statements.
		if _, err := tx.Exec(ctx, m.SQL, pgx.QueryExecModeSimpleProtocol); err != nil {
			return fmt.Errorf("migration %s : %w", m.Name, err)
		}
		if _, err := tx.Exec(ctx, "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", m.Version, m.Name); err != nil {
			return fmt.Errorf("migration %s : %w", m.Name, err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("migrations : %w", err)
	}
	return nil
}
