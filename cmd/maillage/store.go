package main

import (
	"context"
	"fmt"
	"strings"

	"maillage"
	"maillage/postgres"
	"maillage/sqlite"
)

// openStore opens the store a --db value names: "sqlite:PATH" (the default,
// a file next to the command) or a PostgreSQL URL "postgres://…".
func openStore(ctx context.Context, dsn string) (maillage.Store, error) {
	switch {
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		s, err := postgres.Open(ctx, dsn)
		if err != nil {
			return nil, fmt.Errorf("base PostgreSQL : %w", err)
		}
		return s, nil
	case strings.HasPrefix(dsn, "sqlite:"):
		path := strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite:"), "//")
		if path == "" {
			return nil, fmt.Errorf("--db « %s » : chemin du fichier SQLite manquant", dsn)
		}
		s, err := sqlite.Open(path)
		if err != nil {
			return nil, fmt.Errorf("base SQLite %s : %w", path, err)
		}
		return s, nil
	}
	return nil, fmt.Errorf("--db « %s » : sqlite:CHEMIN ou postgres://… attendu", dsn)
}
