package consent

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
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

// checkUnverified is Check as it was before chain verification: the
// baseline of the "verified" figures. Test code only.
func checkUnverified(l *Ledger, ctx context.Context, q Query) (Decision, error) {
	if err := validSubject(q.Subject); err != nil {
		return deny(err)
	}
	if err := validPair(q.Purpose, q.Recipient); err != nil {
		return deny(err)
	}
	now := l.now()
	s, err := l.store.read(ctx, q.Subject, q.Purpose, q.Recipient)
	if err != nil {
		return deny(err)
	}
	if err := known(s, q.Purpose, q.Recipient); err != nil {
		return deny(err)
	}
	return decide(s, q, later(now, lastAt(s.History))), nil
}

// benchCheck runs Check and the unverified baseline on the same random
// (subject, pair) queries, alternating which goes first, and reports the
// latency percentiles of both and the ratio of their total times.
func benchCheck(b *testing.B, l *Ledger, subjects int) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))
	var lat [2][]time.Duration
	allowed := 0
	i := 0
	for b.Loop() {
		p := benchPairs[[4]int{0, 1, 2, 4}[rng.IntN(4)]] // consent-required pairs, one in four granted
		q := Query{Subject: fmt.Sprintf("user-%d", rng.IntN(subjects)), Purpose: p[0], Recipient: p[1]}
		for k := range 2 {
			which := (i + k) % 2 // 0: Check, 1: unverified baseline
			t := time.Now()
			var d Decision
			var err error
			if which == 0 {
				d, err = l.Check(ctx, q)
			} else {
				d, err = checkUnverified(l, ctx, q)
			}
			lat[which] = append(lat[which], time.Since(t))
			if err != nil {
				b.Fatal(err)
			}
			if d.Allowed && which == 0 {
				allowed++
			}
		}
		i++
	}
	b.StopTimer()
	if allowed == 0 && len(lat[0]) > 100 {
		b.Fatal("no check allowed: the data set is wrong")
	}
	var total [2]time.Duration
	for w := range lat {
		for _, d := range lat[w] {
			total[w] += d
		}
		slices.Sort(lat[w])
	}
	b.ReportMetric(float64(lat[0][len(lat[0])/2].Nanoseconds())/1e3, "p50-µs")
	b.ReportMetric(float64(lat[0][len(lat[0])*99/100].Nanoseconds())/1e3, "p99-µs")
	b.ReportMetric(float64(lat[1][len(lat[1])/2].Nanoseconds())/1e3, "unverified-p50-µs")
	b.ReportMetric(float64(lat[1][len(lat[1])*99/100].Nanoseconds())/1e3, "unverified-p99-µs")
	b.ReportMetric(float64(total[0])/float64(total[1]), "verified/unverified")
}

func benchLedger(b *testing.B, s *Store) *Ledger {
	f := newFixture(b, s)
	f.clock.Advance(time.Hour)
	return f.l
}

// benchHistory is one subject's sealed history.
func benchHistory(keys *Keyring, subject string) []Record {
	recs := make([]Record, eventsPerSubject)
	for k := range recs {
		recs[k] = benchEvent(subject, k+1)
	}
	return seal(keys, nil, recs)
}

func BenchmarkCheckMemory(b *testing.B) { benchCheckMemory(b, true) }

// BenchmarkCheckMemoryCold is BenchmarkCheckMemory with a Ledger that
// remembers no MAC (as after a restart, or for a subject not checked
// since verifiedCap records were verified): every record Check rests on
// is verified by its HMAC.
func BenchmarkCheckMemoryCold(b *testing.B) { benchCheckMemory(b, false) }

func benchCheckMemory(b *testing.B, remember bool) {
	s := NewMemoryStore()
	l := benchLedger(b, s)
	subjects := benchSize()
	ctx := context.Background()
	for i := range subjects {
		subject := fmt.Sprintf("user-%d", i)
		_, err := s.appendTo(ctx, subject, "", "", func(snapshot) ([]Record, error) {
			return benchHistory(l.keys, subject), nil
		})
		require.NoError(b, err)
	}
	if !remember {
		l.verified = nil
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

// loadPostgres fills the ledger with one INSERT ... SELECT FROM unnest per
// thousand subjects, far faster than row-by-row appends.
func loadPostgres(b *testing.B, subjects int) *Ledger {
	db := openMigrated(b)
	s, err := NewSQLStore(db)
	require.NoError(b, err)
	l := benchLedger(b, s)
	start := time.Now()
	for lo := 0; lo < subjects; lo += 1000 {
		var subj, id, kind, purpose, recipient, key []string
		var seq []int64
		var at []time.Time
		var hash [][]byte
		for i := lo; i < min(lo+1000, subjects); i++ {
			for _, r := range benchHistory(l.keys, fmt.Sprintf("user-%d", i)) {
				subj, id, kind = append(subj, r.Subject), append(id, r.ID), append(kind, string(r.Kind))
				purpose, recipient, key = append(purpose, r.Purpose), append(recipient, r.Recipient), append(key, r.KeyID)
				seq, at, hash = append(seq, r.Seq), append(at, r.At), append(hash, r.Hash[:])
			}
		}
		_, err = db.Exec(`INSERT INTO consent_events (subject, seq, id, kind, purpose, recipient, notice_version, language,
			method, evidence, at, legal_basis_id, hash, key_id)
		SELECT s, q, i, k, p, r, 'v1', 'ru', 'web_form', '', a, '', h, kid
		FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::bytea[], $9::text[])
			AS t(s, q, i, k, p, r, a, h, kid)`, subj, seq, id, kind, purpose, recipient, at, hash, key)
		require.NoError(b, err)
	}
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

// BenchmarkRecordMAC is the cost of sealing or verifying one record;
// BenchmarkBaselineHMAC is crypto/hmac keyed afresh over the same bytes,
// what a MAC would cost without the keyring's pooled keyed states.
func BenchmarkRecordMAC(b *testing.B) {
	k := testKeys(b)
	r := benchEvent("user-1", 3)
	r.KeyID = "k1"
	for b.Loop() {
		recordMAC(k, Digest{}, Head{}, r)
	}
}

func BenchmarkBaselineHMAC(b *testing.B) {
	msg := make([]byte, 230) // about the encoded size of benchEvent
	for b.Loop() {
		m := hmac.New(sha256.New, testSecret)
		m.Write(msg)
		m.Sum(nil)
	}
}
