package postgres

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// errClosed is returned once the Store is closed.
var errClosed = errors.New("la base PostgreSQL est fermée")

// pool is a small pool of connections.
//
// pgxpool would be the usual choice, but it needs github.com/jackc/puddle/v2,
// which this module does not require; what the Store needs is little: at
// most size connections, idle ones reused, broken ones or ones left inside
// a transaction thrown away.
type pool struct {
	config *pgx.ConnConfig
	slots  chan struct{} // one token per connection that may be open

	mu     sync.Mutex
	idle   []*pgx.Conn
	closed bool
}

func newPool(config *pgx.ConnConfig, size int) *pool {
	return &pool{config: config, slots: make(chan struct{}, size)}
}

// acquire returns a connection, waiting for one to be free when size are
// in use, until ctx ends.
func (p *pool) acquire(ctx context.Context) (*pgx.Conn, error) {
	select {
	case p.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		<-p.slots
		return nil, errClosed
	}
	if n := len(p.idle); n > 0 {
		conn := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		return conn, nil
	}
	p.mu.Unlock()
	conn, err := pgx.ConnectConfig(ctx, p.config)
	if err != nil {
		<-p.slots
		return nil, err
	}
	return conn, nil
}

// release gives a connection back. One that is closed, busy or inside a
// transaction is closed instead of reused.
func (p *pool) release(conn *pgx.Conn) {
	defer func() { <-p.slots }()
	p.mu.Lock()
	reuse := !p.closed && !conn.IsClosed() && !conn.PgConn().IsBusy() && conn.PgConn().TxStatus() == 'I'
	if reuse {
		p.idle = append(p.idle, conn)
	}
	p.mu.Unlock()
	if !reuse {
		closeConn(conn)
	}
}

// close closes the idle connections and makes acquire fail; connections in
// use are closed when released.
func (p *pool) close() {
	p.mu.Lock()
	idle := p.idle
	p.idle, p.closed = nil, true
	p.mu.Unlock()
	for _, conn := range idle {
		closeConn(conn)
	}
}

func closeConn(conn *pgx.Conn) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn.Close(ctx)
}
