package consent

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

// FuzzLedgerModel runs random operation sequences against the ledger and a
// trivial model of the expected state, and fails on any disagreement.
func FuzzLedgerModel(f *testing.F) {
	f.Add([]byte{0, 0, 0, 4, 0, 0, 2, 0, 0, 4, 0, 0})
	f.Add([]byte{0, 1, 1, 5, 0, 0, 4, 1, 1, 0, 1, 1, 4, 1, 1, 2, 1, 1, 2, 1, 1})
	f.Add([]byte{1, 2, 0, 3, 0, 0, 0, 2, 0, 6, 0, 0, 4, 2, 0})
	pairs := [][2]string{{"marketing", "ads"}, {"marketing", "courier"}, {"delivery", "ads"}, {"marketing", ""}}
	f.Fuzz(func(t *testing.T, ops []byte) {
		if len(ops) > 300 {
			return
		}
		fx := newFixture(t, NewMemoryStore())
		type key struct{ s, p, r string }
		model := map[key]Kind{} // "" = nothing, KindGranted, ...; "stale" after a material notice
		const stale Kind = "stale"
		notices := 1
		for i := 0; i+2 < len(ops); i += 3 {
			op, p, s := ops[i]%7, pairs[int(ops[i+1])%len(pairs)], fmt.Sprintf("s%d", ops[i+2]%3)
			k := key{s, p[0], p[1]}
			switch op {
			case 0, 1: // grant, refuse
				g := Grant{Subject: s, Purpose: p[0], Recipient: p[1], Method: MethodWebForm}
				var err error
				if op == 0 {
					_, err = fx.l.Grant(fx.ctx, g)
					model[k] = KindGranted
				} else {
					_, err = fx.l.Refuse(fx.ctx, g)
					model[k] = KindRefused
				}
				if err != nil {
					t.Fatalf("op %d: %v", i, err)
				}
			case 2: // withdraw
				_, err := fx.l.Withdraw(fx.ctx, Withdrawal{Subject: s, Purpose: p[0], Recipient: p[1], Method: MethodWebForm})
				if model[k] == KindGranted || model[k] == stale {
					if err != nil {
						t.Fatalf("op %d: withdraw in force: %v", i, err)
					}
					model[k] = KindWithdrawn
				} else if !errors.Is(err, ErrNotGranted) {
					t.Fatalf("op %d: withdraw not in force: %v", i, err)
				}
			case 3: // withdraw all
				if _, err := fx.l.WithdrawAll(fx.ctx, s, MethodWebForm, ""); err != nil {
					t.Fatal(err)
				}
				for kk, v := range model {
					if kk.s == s && (v == KindGranted || v == stale) {
						model[kk] = KindWithdrawn
					}
				}
			case 4: // check
				d, err := fx.l.Check(fx.ctx, Query{Subject: s, Purpose: p[0], Recipient: p[1]})
				if err != nil {
					t.Fatal(err)
				}
				if want := model[k] == KindGranted; d.Allowed != want {
					t.Fatalf("op %d: check %v: allowed=%v (%s), model %q", i, k, d.Allowed, d.Reason, model[k])
				}
			case 5: // time passes
				fx.clock.Advance(time.Duration(ops[i+1]) * time.Second)
			case 6: // a material notice
				fx.clock.Advance(time.Second)
				notices++
				if err := fx.l.PublishNotice(fx.ctx, Notice{Version: fmt.Sprintf("v%d", notices), Language: "ru",
					EffectiveAt: fx.clock.Now(), Material: true, Text: fmt.Sprint(notices)}); err != nil {
					t.Fatal(err)
				}
				for kk, v := range model {
					if v == KindGranted {
						model[kk] = stale
					}
				}
			}
		}
	})
}

// FuzzLedgerInputs feeds arbitrary strings to every entry point: errors are
// fine, panics and allowing after a failed grant are not.
func FuzzLedgerInputs(f *testing.F) {
	f.Add("u1", "marketing", "ads", "form-1", "ru", int64(0))
	f.Add("", "", "", "", "", int64(-1))
	f.Add("u\x00", "mark eting", "ads\n", "\xff", "zz-ZZ-x", int64(1<<62))
	f.Fuzz(func(t *testing.T, subject, purpose, recipient, evidence, lang string, offset int64) {
		fx := newFixture(t, NewMemoryStore())
		at := t0.Add(time.Duration(offset))
		_, gerr := fx.l.Grant(fx.ctx, Grant{Subject: subject, Purpose: purpose, Recipient: recipient, Evidence: evidence,
			Language: lang, Method: MethodWebForm, At: at, Term: time.Duration(offset)})
		d, cerr := fx.l.Check(fx.ctx, Query{Subject: subject, Purpose: purpose, Recipient: recipient})
		if cerr != nil && d.Allowed {
			t.Fatal("allowed with an error")
		}
		if gerr != nil && d.Allowed && d.Code != CodeNoConsentRequired {
			t.Fatalf("allowed after a failed grant: %v / %s", gerr, d.Reason)
		}
		_, _ = fx.l.Withdraw(fx.ctx, Withdrawal{Subject: subject, Purpose: purpose, Recipient: recipient, Evidence: evidence, Method: MethodWebForm, At: at})
		_, _ = fx.l.OpenRequest(fx.ctx, subject, RequestKind(purpose))
		_, _ = fx.l.Export(fx.ctx, subject)
		_ = fx.l.PublishNotice(fx.ctx, Notice{Version: purpose, Language: lang, EffectiveAt: at, Text: evidence})
		_ = fx.l.AllowByLaw(fx.ctx, LegalBasis{Law: evidence, Article: lang, Purpose: purpose, Recipient: recipient, ValidUntil: at})
	})
}
