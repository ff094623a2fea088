package consent

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestAdversaryNeverChangesAnAnswer is an attacker with write access to the
// rows but not the key: on random histories it applies one random
// tampering of each class and checks the promise of Check and Verify.
// Check either fails with ErrTampered or gives the answer it gave before
// (a change before the decision an answer rests on cannot alter it);
// Verify against the head kept before the tampering always fails. Deleting
// the newest records is the documented exception for Check.
func TestAdversaryNeverChangesAnAnswer(t *testing.T) {
	pairs := [][2]string{{"marketing", "ads"}, {"marketing", "courier"}, {"marketing", ""}, {"delivery", "ads"}}
	classes := []string{"delete", "delete and renumber", "alter", "swap", "append forged", "insert forged", "replay", "retag"}
	rng := rand.New(rand.NewPCG(15, 2026))
	detected, unchanged := map[string]int{}, map[string]int{}
	for round := range 60 {
		f := newFixture(t, NewMemoryStore())
		// a random history of 3 to 14 events
		for range 3 + rng.IntN(12) {
			p := pairs[rng.IntN(len(pairs))]
			f.clock.Advance(time.Duration(1+rng.IntN(60)) * time.Minute)
			var err error
			switch rng.IntN(4) {
			case 0, 1:
				_, err = f.l.Grant(f.ctx, Grant{Subject: "u1", Purpose: p[0], Recipient: p[1], Method: MethodWebForm})
			case 2:
				_, err = f.l.Withdraw(f.ctx, Withdrawal{Subject: "u1", Purpose: p[0], Recipient: p[1]})
				if errors.Is(err, ErrNotGranted) {
					err = nil
				}
			case 3:
				_, err = f.l.RecordNotification(f.ctx, Notification{Subject: "u1", Version: "v1", Method: MethodEmail})
			}
			require.NoError(t, err)
		}
		h := f.history(t, "u1")
		if len(h) < 3 {
			continue
		}
		known, err := f.l.Verify(f.ctx, "u1", Head{})
		require.NoError(t, err)
		before := map[[2]string]Decision{}
		for _, p := range pairs {
			before[p] = f.check(t, "u1", p[0], p[1])
		}
		for _, class := range classes {
			tampered := tamper(rng, class, slices.Clone(h))
			setHistory(t, f.store, "u1", tampered)
			name := fmt.Sprintf("round %d, %s", round, class)
			require.ErrorIs(t, verify(f.l, f.ctx, "u1", known), ErrTampered, name)
			for _, p := range pairs {
				d, err := f.l.Check(f.ctx, Query{Subject: "u1", Purpose: p[0], Recipient: p[1]})
				if err != nil {
					require.ErrorIs(t, err, ErrTampered, name)
					require.False(t, d.Allowed, name)
					detected[class]++
					continue
				}
				b := before[p]
				require.Equal(t, [3]any{b.Allowed, b.Code, b.RecordID}, [3]any{d.Allowed, d.Code, d.RecordID}, "%s, pair %v", name, p)
				unchanged[class]++
			}
		}
		setHistory(t, f.store, "u1", h)
	}
	for _, class := range classes {
		require.NotZero(t, detected[class], "class %q never reached Check's records: the test is too weak", class)
	}
	t.Logf("checks that detected the tampering: %v; that answered as before: %v", detected, unchanged)
}

// tamper applies one tampering of class to a history of at least 3
// records, as an attacker without the key can.
func tamper(rng *rand.Rand, class string, h []Record) []Record {
	n := len(h)
	switch class {
	case "delete": // any record but the newest (that is the Head's case)
		i := rng.IntN(n - 1)
		return append(h[:i:i], h[i+1:]...)
	case "delete and renumber":
		i := rng.IntN(n - 1)
		h = append(h[:i:i], h[i+1:]...)
		for j := range h {
			h[j].Seq = int64(j + 1)
		}
		return h
	case "alter":
		i := rng.IntN(n)
		switch rng.IntN(5) {
		case 0:
			h[i].Kind = map[bool]Kind{true: KindWithdrawn, false: KindGranted}[h[i].Kind == KindGranted]
		case 1:
			h[i].Recipient += "x"
		case 2:
			h[i].At = h[i].At.Add(-time.Second)
		case 3:
			h[i].ExpiresAt = h[i].At.Add(time.Hour)
		case 4:
			h[i].Evidence += "x"
		}
		return h
	case "swap":
		i := rng.IntN(n - 1)
		h[i], h[i+1] = h[i+1], h[i]
		h[i].Seq, h[i+1].Seq = int64(i+1), int64(i+2)
		return h
	case "append forged", "insert forged":
		g := Record{ID: "cr_forged", Kind: KindGranted, Subject: "u1", Purpose: "marketing", Recipient: "ads",
			NoticeVersion: "v1", Language: "ru", Method: MethodWebForm, At: h[n-1].At, KeyID: h[n-1].KeyID}
		i := n
		if class == "insert forged" {
			i = rng.IntN(n)
			g.At = h[i].At
		}
		g.Seq = int64(i + 1)
		if rng.IntN(2) == 0 {
			g.KeyID = ""
			var prev Digest
			if i > 0 {
				prev = h[i-1].Hash
			}
			g.Hash = recordHash(prev, g)
		} else {
			g.Hash = randomDigest()
		}
		h = slices.Insert(h, i, g)
		for j := i + 1; j < len(h); j++ {
			h[j].Seq = int64(j + 1)
		}
		return h
	case "replay": // a genuine record again at the end
		r := h[rng.IntN(n)]
		r.ID, r.Seq, r.At = "cr_replayed", int64(n+1), h[n-1].At
		return append(h, r)
	case "retag": // a record moved under another key id
		i := rng.IntN(n)
		h[i].KeyID = "k0"
		return h
	}
	panic("unknown class " + class)
}
