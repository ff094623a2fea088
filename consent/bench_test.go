package consent

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Benchmark sizes: 1 million events for 100,000 subjects with
// COMPLIANCE_LONG set, a hundredth of that otherwise.
func benchSize() (subjects int) {
	if os.Getenv("COMPLIANCE_LONG") != "" {
		return 100_000
	}
	return 1_000
}

// Every subject gets ten events: grants for six (purpose, recipient) pairs,
// then withdrawals of the first four; of the pairs benchCheck asks about,
// one in four is granted.
var benchPairs = [6][2]string{
	{"marketing", "ads"}, {"marketing", "courier"}, {"marketing", ""},
	{"delivery", "ads"}, {"delivery", "courier"}, {"delivery", ""},
}

const eventsPerSubject = 10

func benchEvent(subject string, k int) Record {
	p := benchPairs[(k-1)%6]
	kind := KindGranted
	if k > 6 {
		kind = KindWithdrawn
	}
	return Record{
		ID: fmt.Sprintf("cr_%s_%d", subject, k), Seq: int64(k), Kind: kind, Subject: subject, Purpose: p[0], Recipient: p[1],
		NoticeVersion: "v1", Language: "ru", Method: MethodWebForm, At: t0.Add(time.Duration(k) * time.Minute),
	}
}

// benchCheck runs Check on random (subject, pair) queries and reports
// latency percentiles and throughput.
func benchCheck(b *testing.B, l *Ledger, subjects int) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))
	lat := make([]time.Duration, 0, 1<<16)
	allowed := 0
	start := time.Now()
	for b.Loop() {
		p := benchPairs[[4]int{0, 1, 2, 4}[rng.IntN(4)]] // consent-required pairs, one in four granted
		q := Query{Subject: fmt.Sprintf("user-%d", rng.IntN(subjects)), Purpose: p[0], Recipient: p[1]}
		t := time.Now()
		d, err := l.Check(ctx, q)
		lat = append(lat, time.Since(t))
		if err != nil {
			b.Fatal(err)
		}
		if d.Allowed {
			allowed++
		}
	}
	elapsed := time.Since(start)
	b.StopTimer()
	if allowed == 0 && len(lat) > 100 {
		b.Fatal("no check allowed: the data set is wrong")
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
	b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "checks/s")
}

func benchLedger(b *testing.B, s Store) *Ledger {
	f := newFixture(b, s)
	f.clock.Advance(time.Hour)
	return f.l
}

func BenchmarkCheckMemory(b *testing.B) {
	s := NewMemoryStore()
	l := benchLedger(b, s)
	subjects := benchSize()
	ctx := context.Background()
	for i := range subjects {
		subject := fmt.Sprintf("user-%d", i)
		_, err := s.Append(ctx, subject, "", "", func(Snapshot) ([]Record, error) {
			recs := make([]Record, eventsPerSubject)
			for k := range recs {
				recs[k] = benchEvent(subject, k+1)
			}
			return recs, nil
		})
		require.NoError(b, err)
	}
	b.ResetTimer()
	benchCheck(b, l, subjects)
}

// BenchmarkBaselineMap is the toy version the ledger replaces: a map
// lookup of "did the user consent".
func BenchmarkBaselineMap(b *testing.B) {
	subjects := benchSize()
	m := make(map[string]bool, subjects)
	for i := range subjects {
		m[fmt.Sprintf("user-%d", i)] = i%3 == 0
	}
	rng := rand.New(rand.NewPCG(1, 2))
	n := 0
	for b.Loop() {
		if m[fmt.Sprintf("user-%d", rng.IntN(subjects))] {
			n++
		}
	}
	_ = n
}

// loadPostgres fills the ledger with generate_series: one INSERT ... SELECT,
// far faster than row-by-row appends.
func loadPostgres(b *testing.B, subjects int) *Ledger {
	db := openMigrated(b)
	s, err := NewSQLStore(db)
	require.NoError(b, err)
	l := benchLedger(b, s)
	start := time.Now()
	_, err = db.Exec(`INSERT INTO consent_events (subject, seq, id, kind, purpose, recipient, notice_version, language,
		method, evidence, at, legal_basis_id, hash)
	SELECT 'user-' || s, k, 'cr_user-' || s || '_' || k,
		CASE WHEN k > 6 THEN 'withdrawn' ELSE 'granted' END,
		(ARRAY['marketing','marketing','marketing','delivery','delivery','delivery'])[(k - 1) % 6 + 1],
		(ARRAY['ads','courier','','ads','courier',''])[(k - 1) % 6 + 1],
		'v1', 'ru', 'web_form', '', $2::timestamptz + k * interval '1 minute', '',
		decode(repeat('00', 32), 'hex') -- Check does not verify the chain; Verify would report it
	FROM generate_series(0, $1 - 1) AS s, generate_series(1, 10) AS k`, subjects, t0)
	require.NoError(b, err)
	_, err = db.Exec(`ANALYZE consent_events`)
	require.NoError(b, err)
	b.Logf("loaded %d events for %d subjects in %s", subjects*eventsPerSubject, subjects, time.Since(start).Round(time.Millisecond))
	return l
}

func BenchmarkCheckPostgres(b *testing.B) {
	subjects := benchSize()
	l := loadPostgres(b, subjects)
	b.ResetTimer()
	benchCheck(b, l, subjects)
}

// BenchmarkBaselinePostgresRoundTrip is one primary-key lookup on the
// events table: the floor under a Check on PostgreSQL.
func BenchmarkBaselinePostgresRoundTrip(b *testing.B) {
	subjects := benchSize()
	db := openMigrated(b)
	_, err := db.Exec(`INSERT INTO consent_events (subject, seq, id, kind, purpose, recipient, notice_version, language,
		method, evidence, at, legal_basis_id, hash)
	SELECT 'user-' || s, 1, 'cr_' || s, 'granted', 'marketing', 'ads', 'v1', 'ru', 'web_form', '', now(), '',
		decode(repeat('00', 32), 'hex')
	FROM generate_series(0, $1 - 1) AS s`, subjects)
	require.NoError(b, err)
	rng := rand.New(rand.NewPCG(1, 2))
	var kind string
	for b.Loop() {
		err := db.QueryRow(`SELECT kind FROM consent_events WHERE subject = $1 AND seq = 1`, fmt.Sprintf("user-%d", rng.IntN(subjects))).Scan(&kind)
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheckPostgresParallel measures throughput with concurrent
// clients (GOMAXPROCS × 4 goroutines), as a web server would issue them.
func BenchmarkCheckPostgresParallel(b *testing.B) {
	subjects := benchSize()
	l := loadPostgres(b, subjects)
	ctx := context.Background()
	b.SetParallelism(4)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		rng := rand.New(rand.NewPCG(rand.Uint64(), 2))
		for pb.Next() {
			p := benchPairs[[4]int{0, 1, 2, 4}[rng.IntN(4)]]
			if _, err := l.Check(ctx, Query{Subject: fmt.Sprintf("user-%d", rng.IntN(subjects)), Purpose: p[0], Recipient: p[1]}); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "checks/s")
}
