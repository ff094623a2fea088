package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/1cb-kz/compliance/audit"
	"github.com/1cb-kz/compliance/pii"
	"github.com/1cb-kz/compliance/pii/redact"
)

const (
	// emailIndex is the blind index Seal fills for User.Email.
	emailIndex = "users.EmailIndex"
	// emailIndexBits sizes it for the million users the platform plans
	// for: pii.RecommendIndexBits(1e6) is 10 to 19 bits.
	emailIndexBits = 16
)

// personalData shows that the stored rows hold tokens only, and that
// support finds a user by e-mail through the blind index.
func (p *platform) personalData(ctx context.Context) error {
	dump := filepath.Join(p.dir, "users.jsonl")
	if err := p.users.dump(dump); err != nil {
		return err
	}
	raw, err := os.ReadFile(dump)
	if err != nil {
		return err
	}
	sealed := 0
	for _, u := range p.users.all() {
		who := p.people[u.ID]
		for _, clear := range []string{who.Name, who.Email, who.IBAN} {
			if bytes.Contains(raw, []byte(clear)) {
				return fmt.Errorf("personal data of %s in clear in users.jsonl", u.ID)
			}
		}
		for _, f := range []string{u.Name, u.Email, u.IBAN} {
			if pii.IsToken(f) {
				sealed++
			}
		}
	}
	rows := len(p.users.all())
	if err := p.expect(sealed == 3*rows, "%d of %d fields sealed", sealed, 3*rows); err != nil {
		return err
	}
	first := p.users.all()[0]
	p.say("4.2", "%s holds %d rows × 3 sealed fields, no name, e-mail or IBAN in clear; e.g. %s email = %.24s… (%d chars)",
		filepath.Base(dump), rows, first.ID, first.Email, len(first.Email))

	// The service log went through the redacting handler.
	logData, err := os.ReadFile(filepath.Join(p.dir, "app.log"))
	if err != nil {
		return err
	}
	for _, who := range p.people {
		for _, clear := range []string{who.Name, who.Email, who.IBAN} {
			if bytes.Contains(logData, []byte(clear)) {
				return fmt.Errorf("personal data of %s in clear in app.log", who.ID)
			}
		}
	}
	lines := bytes.Split(bytes.TrimSpace(logData), []byte("\n"))
	if err := p.expect(len(lines) == len(p.people), "%d log lines for %d registrations", len(lines), len(p.people)); err != nil {
		return err
	}
	example := lines[0]
	if i := bytes.Index(example, []byte(`"msg"`)); i > 0 {
		example = append([]byte("{…,"), example[i:]...)
	}
	p.say("5.2", "app.log (redact.NewHandler): %d registrations logged with e-mail, name and IBAN, none in clear; e.g. %s",
		len(lines), example)

	// Support finds a user from the address typed in a ticket.
	target := p.users.all()[1]
	typed := "  " + strings.ToUpper(p.people[target.ID].Email) + " "
	found, candidates, err := p.lookupEmail(ctx, "s.support", typed)
	if err != nil {
		return err
	}
	if err := p.expect(found.ID == target.ID, "lookup found %q, want %s", found.ID, target.ID); err != nil {
		return err
	}
	p.say("5.2", "support looks up %s (typed in capitals, with spaces): blind index → %s → decrypted and compared → %s, %s",
		redact.Mask(redact.KindEmail, strings.TrimSpace(typed)), plural(candidates, "candidate row"), found.ID, redact.Mask(redact.KindName, found.Name))
	return nil
}

// lookupEmail finds the user whose e-mail address is typed, on behalf of
// employee: the gate first, then the blind index, then decryption and
// comparison of the candidates (a truncated index has false positives).
// It returns the opened row and the number of candidates.
func (p *platform) lookupEmail(ctx context.Context, employee, typed string) (User, int, error) {
	idx, err := p.enc.BlindIndex(emailIndex, typed)
	if err != nil {
		return User{}, 0, err
	}
	candidates := p.users.byEmailIndex(idx)
	want := strings.ToLower(strings.TrimSpace(typed))
	for _, c := range candidates {
		if err := p.authorize(ctx, audit.Access{Employee: employee, Action: audit.ActionRead,
			Subject: p.pseudonyms.Subject(c.ID), Resource: "users/profile", Purpose: "support.ticket"}); err != nil {
			return User{}, 0, err
		}
		if err := p.enc.OpenFor(ctx, &c, c.ID, c.ID); err != nil {
			return User{}, 0, err
		}
		if strings.ToLower(c.Email) == want {
			return c, len(candidates), nil
		}
	}
	return User{}, len(candidates), errNoUser
}

var errNoUser = errors.New("no user with that e-mail address")

// rotate replaces keyring key 1 by a new key: every subject's data key is
// re-wrapped, every row re-sealed (the blind index moves to the new key
// too), the old key is disabled, every row checked, and the old key
// destroyed.
func (p *platform) rotate(ctx context.Context) error {
	kr := p.keyring
	old := kr.Status().Primary
	newID, err := kr.Rotate()
	if err != nil {
		return err
	}
	before := p.users.all()[0].EmailIndex
	if err := kr.SetIndexKey(newID); err != nil {
		return err
	}
	for _, u := range p.users.all() {
		if err := p.enc.RewrapSubjectKey(ctx, u.ID); err != nil {
			return err
		}
		if err := p.enc.OpenFor(ctx, &u, u.ID, u.ID); err != nil {
			return err
		}
		u.EmailIndex = "" // recomputed under the new index key
		if err := p.enc.SealFor(ctx, &u, u.ID, u.ID); err != nil {
			return err
		}
		p.users.insert(u)
	}
	after := p.users.all()[0].EmailIndex
	if err := p.expect(before != after, "blind index unchanged by the index key change"); err != nil {
		return err
	}
	p.say("4.2", "key %d rotated to key %d: %d subject keys re-wrapped, %d rows re-encrypted and re-indexed",
		old, newID, len(p.users.all()), len(p.users.all()))

	// Disable first (reversible): a row that was missed would fail here.
	if err := kr.SetState(old, pii.KeyDisabled); err != nil {
		return err
	}
	for _, u := range p.users.all() {
		if err := p.enc.OpenFor(ctx, &u, u.ID, u.ID); err != nil {
			return fmt.Errorf("row %s after key %d was disabled: %w", u.ID, old, err)
		}
	}
	target := p.users.all()[2]
	found, _, err := p.lookupEmail(ctx, "s.support", p.people[target.ID].Email)
	if err != nil {
		return err
	}
	if err := p.expect(found.ID == target.ID, "lookup after rotation found %q, want %s", found.ID, target.ID); err != nil {
		return err
	}
	if err := kr.SetState(old, pii.KeyDestroyed); err != nil {
		return err
	}
	p.say("4.2", "key %d disabled: all %d rows open and the e-mail lookup works; key %d destroyed; keyring %v",
		old, len(p.users.all()), old, kr.Status().Keys)
	return nil
}
