package main

import (
	"context"
	cryptorand "crypto/rand"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/signal"
	"path/filepath"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx", for -postgres only

	"github.com/1cb-kz/compliance/audit"
	"github.com/1cb-kz/compliance/consent"
	"github.com/1cb-kz/compliance/pii"
	"github.com/1cb-kz/compliance/pii/redact"
	"golang.org/x/mod/sumdb/note"
)

// config is what the flags set.
type config struct {
	Seed     uint64 // seed of the synthetic data (math/rand/v2 PCG)
	Users    int    // users who register today
	Bids     int    // synthetic bids behind the partner report
	Out      string // output directory; "" means a temporary one, removed at the end
	Postgres string // DSN; "" keeps the ledger, the subject keys and the audit log in memory and files

	// LegacyCost is the bcrypt cost of the imported account's hash; zero
	// means bcrypt.DefaultCost (10), what the previous platform used. Tests
	// lower it: bcrypt under the race detector takes seconds.
	LegacyCost int
}

// Minimum sizes: the consent, staff and deletion steps each need users of
// their own.
const (
	minUsers = 6
	minBids  = 1
)

func main() {
	var cfg config
	flag.Uint64Var(&cfg.Seed, "seed", 1, "seed of the synthetic users and bids")
	flag.IntVar(&cfg.Users, "users", 30, "number of users who register")
	flag.IntVar(&cfg.Bids, "bids", 100_000, "number of synthetic bids behind the partner report")
	flag.StringVar(&cfg.Out, "out", "", "output directory (must be empty or absent); default: a temporary directory removed at the end")
	flag.StringVar(&cfg.Postgres, "postgres", "", "PostgreSQL DSN of an empty database for the consent ledger, the pii subject keys and the audit log")
	flag.Parse()
	if flag.NArg() != 0 {
		flag.Usage()
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	start := time.Now()
	if err := run(ctx, cfg, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "auction:", err)
		stop()
		os.Exit(1)
	}
	fmt.Printf("done in %v\n", time.Since(start).Round(time.Millisecond))
}

// platform holds the day's services: what a host wires up at start.
type platform struct {
	out io.Writer
	rng *rand.Rand
	cfg config
	dir string  // output directory
	db  *sql.DB // nil unless -postgres

	keyring *pii.Keyring
	enc     *pii.Encryptor
	users   *userTable
	people  map[string]person // what users typed at registration, to check against what is stored
	secrets map[string]string // users' passwords, which only the users (and this simulation) know

	ledger *consent.Ledger

	log        *audit.Log
	logDir     string // "" when the log is in PostgreSQL
	verifier   note.Verifier
	verifyKey  string
	gate       *audit.Gate
	staff      *audit.MemoryDirectory
	pseudonyms *audit.Pseudonymizer
	decisions  int64 // gate decisions made, each of which must be in the log

	appLog     *slog.Logger // the service's own log, through redact.NewHandler
	appLogFile *os.File

	checks int // outcomes checked
}

// run plays one day of the platform and prints each step with the clause of
// the Rules it serves. Every step checks its own outcome; the first that does
// not behave as the Rules require stops the day with an error.
func run(ctx context.Context, cfg config, out io.Writer) (err error) {
	if cfg.Users < minUsers {
		return fmt.Errorf("-users must be at least %d", minUsers)
	}
	if cfg.Bids < minBids {
		return fmt.Errorf("-bids must be at least %d", minBids)
	}
	p := &platform{
		out: out,
		cfg: cfg,
		rng: rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15)),
	}
	dir, cleanup, err := outputDir(cfg.Out)
	if err != nil {
		return err
	}
	defer cleanup()
	p.dir = dir
	if err := p.open(ctx); err != nil {
		return err
	}
	defer func() {
		if cerr := p.close(); cerr != nil && err == nil {
			err = cerr
		}
	}()

	where := "memory stores, audit log in " + p.logDir
	if p.db != nil {
		where = "PostgreSQL (consent ledger, subject keys, audit log)"
	}
	fmt.Fprintf(out, "dmas.kz: one day of the platform (seed %d, %d users, %d bids; %s)\n",
		cfg.Seed, cfg.Users, cfg.Bids, where)

	steps := []struct {
		title string
		do    func(context.Context) error
	}{
		{"registration (clauses 2.1, 2.2)", p.register},
		{"login, legacy hash and password change (clause 2.2)", p.legacyLogin},
		{"personal data (clauses 3.1, 4.2, 5.2)", p.personalData},
		{"key rotation (clause 4.2)", p.rotate},
		{"consent to transfers (clauses 6.1, 8.1)", p.consentDay},
		{"staff access (clauses 5.1, 5.2)", p.staffAccess},
		{"partner report (clause 6.2)", p.partnerReport},
		{"deletion request (clause 7.1)", p.deletion},
		{"audit log (clauses 5.1, 5.2)", p.verifyLog},
	}
	for _, s := range steps {
		fmt.Fprintf(out, "\n%s\n", s.title)
		if err := s.do(ctx); err != nil {
			return fmt.Errorf("%s: %w", s.title, err)
		}
	}
	saved := "files in " + p.dir
	if cfg.Out == "" {
		saved += " (temporary, removed at exit; keep them with -out DIR)"
	}
	fmt.Fprintf(out, "\nall %d checks passed; %s\n", p.checks, saved)
	return nil
}

// say prints one line of a step with its clause.
func (p *platform) say(clause, format string, args ...any) {
	fmt.Fprintf(p.out, "  [%s] %s\n", clause, fmt.Sprintf(format, args...))
}

// expect counts a checked outcome and turns a failed one into an error.
func (p *platform) expect(ok bool, format string, args ...any) error {
	if !ok {
		return fmt.Errorf("unexpected: "+format, args...)
	}
	p.checks++
	return nil
}

// outputDir returns the directory for the day's files: name, created if
// absent and required to be empty (an audit log left by another run has
// checkpoints signed by another key), or a temporary directory removed by
// cleanup.
func outputDir(name string) (dir string, cleanup func(), err error) {
	if name == "" {
		dir, err := os.MkdirTemp("", "dmas-day-")
		if err != nil {
			return "", nil, err
		}
		return dir, func() { os.RemoveAll(dir) }, nil
	}
	if err := os.MkdirAll(name, 0o700); err != nil {
		return "", nil, err
	}
	entries, err := os.ReadDir(name)
	if err != nil {
		return "", nil, err
	}
	if len(entries) != 0 {
		return "", nil, fmt.Errorf("-out %s is not empty", name)
	}
	return name, func() {}, nil
}

// open wires the services: the keyring and encryptor, the consent ledger,
// the audit log and its gate, on memory and files or on PostgreSQL.
func (p *platform) open(ctx context.Context) error {
	var subjectKeys pii.SubjectKeyStore = pii.NewMemorySubjectKeyStore()
	store := consent.NewMemoryStore()
	if p.cfg.Postgres != "" {
		db, err := sql.Open("pgx", p.cfg.Postgres)
		if err != nil {
			return err
		}
		p.db = db
		if err := db.PingContext(ctx); err != nil {
			return fmt.Errorf("postgres: %w", err)
		}
		if err := requireEmptyDatabase(ctx, db); err != nil {
			return err
		}
		if err := consent.Migrate(ctx, db); err != nil {
			return err
		}
		if store, err = consent.NewSQLStore(db); err != nil {
			return err
		}
		sks, err := pii.NewSQLSubjectKeyStore(db, "")
		if err != nil {
			return err
		}
		if err := sks.CreateTable(ctx); err != nil {
			return err
		}
		subjectKeys = sks
	}

	// Clause 4.2: the keyring lives outside the database (here: in memory;
	// in production pii.KeyringFromEnv or a secret manager).
	kr, err := pii.NewKeyring()
	if err != nil {
		return err
	}
	p.keyring = kr
	p.enc, err = pii.NewEncryptor(kr, pii.Options{
		SubjectKeys: subjectKeys,
		Indexes:     map[string]pii.IndexConfig{emailIndex: {Category: pii.CategoryEmail, Bits: emailIndexBits}},
	})
	if err != nil {
		return err
	}
	p.users = newUserTable()

	// Clause 5.2: the service's own log never shows personal data in clear,
	// even when a developer logs a whole e-mail address.
	f, err := os.OpenFile(filepath.Join(p.dir, "app.log"), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	p.appLogFile = f
	p.appLog = slog.New(redact.NewHandler(slog.NewJSONHandler(f, nil)))

	// Clause 6.1: consent records are sealed under a key kept outside the
	// database, so a row written behind the ledger's back makes Check deny.
	consentKey := make([]byte, consent.KeySize) // in production: from the host's key store
	if _, err := cryptorand.Read(consentKey); err != nil {
		return err
	}
	consentKeys, err := consent.NewKeyring("2026-12", consentKey)
	if err != nil {
		return err
	}
	p.ledger, err = consent.NewLedger(store, consent.Options{
		Keys: consentKeys,
		Controller: consent.Controller{
			Name: `"First Credit Bureau" LLP`, Contact: "info@1cb.kz", Jurisdiction: "KZ", StorageLocation: "KZ",
			WithdrawalMethod: "account settings, or a request to info@1cb.kz",
		},
		// Configuration, not law: set these from the deadlines in force.
		Deadlines: consent.Deadlines{Calendar: map[consent.RequestKind]time.Duration{
			consent.RequestAccess:     3 * 24 * time.Hour,
			consent.RequestCorrection: 3 * 24 * time.Hour,
			consent.RequestDeletion:   3 * 24 * time.Hour,
		}},
	})
	if err != nil {
		return err
	}

	// Clauses 5.1, 5.2: the audit log, signed with a key kept away from it.
	skey, vkey, err := note.GenerateKey(cryptorand.Reader, "dmas.kz/access")
	if err != nil {
		return err
	}
	signer, err := note.NewSigner(skey)
	if err != nil {
		return err
	}
	if p.verifier, err = note.NewVerifier(vkey); err != nil {
		return err
	}
	p.verifyKey = vkey
	opts := audit.Options{Signer: signer, Logger: p.appLog} // a failed log is reported to the operators
	if p.db != nil {
		p.log, err = audit.Open(ctx, audit.DB(p.db), opts)
	} else {
		p.logDir = filepath.Join(p.dir, "audit")
		p.log, err = audit.Open(ctx, audit.Dir(p.logDir), opts)
	}
	if err != nil {
		return err
	}
	pkey := make([]byte, 32) // in production: a key from the host's key store
	if _, err := cryptorand.Read(pkey); err != nil {
		return err
	}
	if p.pseudonyms, err = audit.NewPseudonymizer(pkey); err != nil {
		return err
	}
	p.staff = audit.NewMemoryDirectory()
	p.hireStaff(time.Now())
	p.gate = audit.NewGate(p.staff, accessPolicy, p.log, audit.GateOptions{Logger: p.appLog})
	return nil
}

// close releases the log and the database.
func (p *platform) close() error {
	var errs []error
	if p.log != nil {
		errs = append(errs, p.log.Close())
	}
	if p.db != nil {
		errs = append(errs, p.db.Close())
	}
	if p.appLogFile != nil {
		errs = append(errs, p.appLogFile.Close())
	}
	return errors.Join(errs...)
}

// requireEmptyDatabase refuses a database that already holds a day: its
// notices, keys and signed log would contradict this run's.
func requireEmptyDatabase(ctx context.Context, db *sql.DB) error {
	var n int
	err := db.QueryRowContext(ctx,
		`SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()`).Scan(&n)
	if err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	if n != 0 {
		return errors.New("postgres: the database is not empty; give -postgres a fresh database")
	}
	return nil
}
