// Package pgtest starts throwaway PostgreSQL servers for tests.
//
// A test binary that uses PostgreSQL calls [Main] from its TestMain, so that
// one server serves the whole binary and is stopped and removed afterwards;
// each call to [DSN] or [Open] then gets a fresh, empty database on it, dropped
// when the test ends. Without [Main], every call starts a server of its own.
//
// The server is initialised with initdb into a temporary directory, started
// with pg_ctl and listens only on a unix socket in that directory, so tests
// never collide on ports and never touch a developer's own server. PostgreSQL
// refuses to run as root, so a root test process runs it as the "postgres" OS
// user, or "nobody" where that user does not exist.
//
// Where the PostgreSQL binaries (initdb, pg_ctl, postgres) cannot be found on
// PATH or under /usr/lib/postgresql, tests are skipped with a message, unless
// the environment sets COMPLIANCE_REQUIRE_POSTGRES=1, when they fail: CI sets
// it so that a database test can never pass by being skipped.
package pgtest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
)

// RequireEnv names the environment variable that turns a missing PostgreSQL
// into a test failure instead of a skip.
const RequireEnv = "COMPLIANCE_REQUIRE_POSTGRES"

var (
	mu         sync.Mutex
	mainActive bool
	shared     *server
	dbCounter  atomic.Int64
)

// Main runs the tests of a package with one shared server, started on first
// use and stopped after the last test. Use it as
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
func Main(m *testing.M) int {
	mu.Lock()
	mainActive = true
	mu.Unlock()
	code := m.Run()
	mu.Lock()
	defer mu.Unlock()
	if shared != nil {
		if err := shared.stop(); err != nil {
			fmt.Fprintf(os.Stderr, "pgtest: %v\n", err)
			if code == 0 {
				code = 1
			}
		}
		shared = nil
	}
	return code
}

// DSN returns the connection string of a fresh, empty database owned by the
// superuser "postgres". The database is dropped when tb ends.
func DSN(tb testing.TB) string {
	tb.Helper()
	s := serverFor(tb)
	name := fmt.Sprintf("test_%d_%d", os.Getpid(), dbCounter.Add(1))
	if err := s.exec(fmt.Sprintf("CREATE DATABASE %s", name)); err != nil {
		tb.Fatalf("pgtest: create database: %v", err)
	}
	tb.Cleanup(func() {
		if err := s.exec(fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", name)); err != nil {
			tb.Errorf("pgtest: drop database: %v", err)
		}
	})
	return s.dsn(name)
}

// Open returns a connection pool, through the pgx database/sql driver, to a
// fresh database as [DSN] describes. The pool is closed when tb ends.
func Open(tb testing.TB) *sql.DB {
	tb.Helper()
	db, err := sql.Open("pgx", DSN(tb))
	if err != nil {
		tb.Fatalf("pgtest: open: %v", err)
	}
	// Registered after DSN's cleanup, so it runs first: close, then drop.
	tb.Cleanup(func() { db.Close() })
	if err := db.PingContext(context.Background()); err != nil {
		tb.Fatalf("pgtest: ping: %v", err)
	}
	return db
}

func serverFor(tb testing.TB) *server {
	tb.Helper()
	bins, err := findBinaries()
	if err != nil {
		if os.Getenv(RequireEnv) == "1" {
			tb.Fatalf("pgtest: %v (and %s=1)", err, RequireEnv)
		}
		tb.Skipf("pgtest: %v; set %s=1 to fail instead of skipping", err, RequireEnv)
	}
	mu.Lock()
	defer mu.Unlock()
	if mainActive && shared != nil {
		return shared
	}
	s, err := start(bins)
	if err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	if mainActive {
		shared = s
		return s
	}
	tb.Cleanup(func() {
		if err := s.stop(); err != nil {
			tb.Errorf("pgtest: %v", err)
		}
	})
	return s
}

type binaries struct{ initdb, pgctl string }

// findBinaries looks on PATH first, then in Debian's versioned directories,
// newest version first.
func findBinaries() (binaries, error) {
	initdb, err1 := exec.LookPath("initdb")
	pgctl, err2 := exec.LookPath("pg_ctl")
	if err1 == nil && err2 == nil {
		return binaries{initdb, pgctl}, nil
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return versionOf(dirs[i]) > versionOf(dirs[j]) })
	for _, d := range dirs {
		b := binaries{filepath.Join(d, "initdb"), filepath.Join(d, "pg_ctl")}
		if isExecutable(b.initdb) && isExecutable(b.pgctl) {
			return b, nil
		}
	}
	return binaries{}, errors.New("PostgreSQL binaries initdb and pg_ctl not found on PATH or in /usr/lib/postgresql/*/bin")
}

func versionOf(binDir string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return v
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0
}

type server struct {
	bins  binaries
	dir   string // owns data/, the socket and the server log
	cred  *syscall.Credential
	admin *sql.DB
}

const port = 5432 // only names the socket file; nothing listens on TCP

func start(bins binaries) (s *server, err error) {
	dir, err := os.MkdirTemp("", "pgtest-")
	if err != nil {
		return nil, err
	}
	s = &server{bins: bins, dir: dir}
	defer func() {
		if err != nil {
			os.RemoveAll(dir)
		}
	}()
	if os.Geteuid() == 0 {
		if s.cred, err = unprivilegedUser(); err != nil {
			return nil, err
		}
		if err := os.Chown(dir, int(s.cred.Uid), int(s.cred.Gid)); err != nil {
			return nil, err
		}
	}
	data := filepath.Join(dir, "data")
	if out, err := s.run(bins.initdb, "-D", data, "-U", "postgres", "-A", "trust",
		"-E", "UTF8", "--locale=C", "--no-sync"); err != nil {
		return nil, fmt.Errorf("initdb: %v: %s", err, out)
	}
	opts := fmt.Sprintf("-k %s -p %d -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200", dir, port)
	if out, err := s.run(bins.pgctl, "-D", data, "-l", filepath.Join(dir, "server.log"),
		"-w", "-t", "60", "-o", opts, "start"); err != nil {
		return nil, fmt.Errorf("pg_ctl start: %v: %s%s", err, out, s.serverLog())
	}
	if s.admin, err = sql.Open("pgx", s.dsn("postgres")); err != nil {
		s.stop()
		return nil, err
	}
	if err := s.admin.Ping(); err != nil {
		s.stop()
		return nil, fmt.Errorf("connect: %v%s", err, s.serverLog())
	}
	return s, nil
}

// unprivilegedUser picks the account the server runs as when tests run as root.
func unprivilegedUser() (*syscall.Credential, error) {
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			continue
		}
		uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
		gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
		if err1 == nil && err2 == nil && uid != 0 {
			return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), NoSetGroups: true}, nil
		}
	}
	return nil, errors.New("running as root and no unprivileged user (postgres or nobody) to run PostgreSQL as")
}

func (s *server) run(bin string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = s.dir
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "LC_ALL=C", "LANG=C", "TZ=UTC"}
	if s.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.cred}
	}
	return cmd.CombinedOutput()
}

func (s *server) dsn(dbname string) string {
	return fmt.Sprintf("host=%s port=%d user=postgres dbname=%s sslmode=disable", s.dir, port, dbname)
}

func (s *server) exec(query string) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err := s.admin.ExecContext(ctx, query)
	return err
}

func (s *server) serverLog() string {
	b, err := os.ReadFile(filepath.Join(s.dir, "server.log"))
	if err != nil || len(b) == 0 {
		return ""
	}
	return "\nserver log:\n" + strings.TrimSpace(string(b))
}

func (s *server) stop() error {
	if s.admin != nil {
		s.admin.Close()
	}
	out, err := s.run(s.bins.pgctl, "-D", filepath.Join(s.dir, "data"), "-m", "immediate", "-w", "stop")
	rmErr := os.RemoveAll(s.dir)
	if err != nil {
		return fmt.Errorf("pg_ctl stop: %v: %s", err, out)
	}
	return rmErr
}
