package password

import (
	"context"
	"crypto/rand"
	"crypto/sha1"
	"os"
	"testing"
	"time"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/bcrypt"
)

// Run: go test -run '^$' -bench 'Hash|Verify|Argon2|Bcrypt|Pwned|PHC' -benchmem ./password/

const benchPassword = "Correct-Horse-7-Battery"

// reportCPU adds a cpu-ms/op metric (process CPU time, GC included) measured
// from start; call it right after the b.Loop loop.
func reportCPU(b *testing.B, start time.Duration) {
	if cpu := processCPU() - start; cpu > 0 {
		b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
	}
}

// BenchmarkHashDefault is Hash at DefaultParams (m=19 MiB, t=2, p=1).
func BenchmarkHashDefault(b *testing.B) {
	start := processCPU()
	for b.Loop() {
		if _, err := Hash(context.Background(), benchPassword); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, start)
}

// BenchmarkVerifyDefault is Verify of a DefaultParams hash.
func BenchmarkVerifyDefault(b *testing.B) {
	encoded, err := Hash(context.Background(), benchPassword)
	if err != nil {
		b.Fatal(err)
	}
	start := processCPU()
	for b.Loop() {
		if ok, err := Verify(context.Background(), benchPassword, encoded); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
	reportCPU(b, start)
}

// BenchmarkVerifyAbsent is VerifyAbsent at DefaultParams: it should cost
// what BenchmarkVerifyDefault costs.
func BenchmarkVerifyAbsent(b *testing.B) {
	if err := VerifyAbsent(context.Background(), benchPassword); err != nil { // makes the dummy hash
		b.Fatal(err)
	}
	start := processCPU()
	for b.Loop() {
		if err := VerifyAbsent(context.Background(), benchPassword); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, start)
}

// BenchmarkVerifyDefaultPeppered adds the HMAC-SHA256 pepper.
func BenchmarkVerifyDefaultPeppered(b *testing.B) {
	h, err := NewHasher(HasherOptions{Peppers: []Pepper{testPepper("k1")}})
	if err != nil {
		b.Fatal(err)
	}
	encoded, err := h.Hash(context.Background(), benchPassword)
	if err != nil {
		b.Fatal(err)
	}
	start := processCPU()
	for b.Loop() {
		if ok, err := h.Verify(context.Background(), benchPassword, encoded); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
	reportCPU(b, start)
}

// BenchmarkArgon2IDKeyBaseline is the raw primitive at the same parameters:
// the difference to Hash/Verify is this package's overhead.
func BenchmarkArgon2IDKeyBaseline(b *testing.B) {
	salt := make([]byte, 16)
	rand.Read(salt)
	p := defaultParams()
	start := processCPU()
	for b.Loop() {
		argon2.IDKey([]byte(benchPassword), salt, p.Time, p.Memory, p.Threads, p.KeyLength)
	}
	reportCPU(b, start)
}

// BenchmarkVerifyBcryptLegacy verifies a cost-10 bcrypt hash (legacy path).
func BenchmarkVerifyBcryptLegacy(b *testing.B) {
	encoded, err := bcrypt.GenerateFromPassword([]byte(benchPassword), 10)
	if err != nil {
		b.Fatal(err)
	}
	start := processCPU()
	for b.Loop() {
		if ok, err := Verify(context.Background(), benchPassword, string(encoded)); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
	reportCPU(b, start)
}

// BenchmarkBcryptCompareBaseline is x/crypto/bcrypt directly, cost 10.
func BenchmarkBcryptCompareBaseline(b *testing.B) {
	encoded, err := bcrypt.GenerateFromPassword([]byte(benchPassword), 10)
	if err != nil {
		b.Fatal(err)
	}
	start := processCPU()
	for b.Loop() {
		if err := bcrypt.CompareHashAndPassword(encoded, []byte(benchPassword)); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, start)
}

func BenchmarkParsePHC(b *testing.B) {
	for b.Loop() {
		if _, err := parsePHC(phcGood); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPwnedFileLookup searches a 1,000,000-line file on disk (44 MB).
func BenchmarkPwnedFileLookup(b *testing.B) {
	_, entries := pwnedCorpus(1_000_000)
	path := b.TempDir() + "/pwned.txt"
	if err := os.WriteFile(path, writePwned(entries, "\r\n", true), 0o600); err != nil {
		b.Fatal(err)
	}
	pf, err := OpenPwnedFile(path, PwnedFileOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer pf.Close()
	ctx := context.Background()
	for b.Loop() {
		if ok, err := pf.Breached(ctx, "leaked-4242"); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}

// BenchmarkPwnedVirtual4GB searches a generated 4.8 GB, 1e8-line file.
func BenchmarkPwnedVirtual4GB(b *testing.B) {
	v := &virtualPwned{n: 100_000_000}
	pf, err := newPwnedReader(v, v.size(), PwnedFileOptions{})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	target := v.hash(31_415_926)
	for b.Loop() {
		if n, err := pf.lookup(ctx, target); n == 0 || err != nil {
			b.Fatal(n, err)
		}
	}
}

// BenchmarkSHA1Baseline is the hash every pwned lookup starts with.
func BenchmarkSHA1Baseline(b *testing.B) {
	for b.Loop() {
		sha1.Sum([]byte(benchPassword))
	}
}
