package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/1cb-kz/compliance/audit"
	"github.com/1cb-kz/compliance/consent"
	"github.com/1cb-kz/compliance/pii"
)

// deletion serves clause 7.1: an access request answered with the user's
// consent history, and a deletion request executed by destroying the
// user's data key, which makes every copy of their data unreadable,
// including the copy in last night's backup.
func (p *platform) deletion(ctx context.Context) error {
	l := p.ledger
	users := p.users.all()

	// Access: the whole consent history, as JSON for the user.
	a := users[0]
	req, err := l.OpenRequest(ctx, a.ID, consent.RequestAccess)
	if err != nil {
		return err
	}
	export, err := l.Export(ctx, a.ID)
	if err != nil {
		return err
	}
	data, err := json.MarshalIndent(export, "", "  ")
	if err != nil {
		return err
	}
	accessFile := filepath.Join(p.dir, "access-"+a.ID+".json")
	if err := os.WriteFile(accessFile, data, 0o600); err != nil {
		return err
	}
	if _, err := l.SetRequestStatus(ctx, req.ID, consent.StatusInProgress, ""); err != nil {
		return err
	}
	if _, err := l.SetRequestStatus(ctx, req.ID, consent.StatusCompleted, "history exported"); err != nil {
		return err
	}
	if err := p.expect(len(export.History) >= 2, "%s's export holds %d events", a.ID, len(export.History)); err != nil {
		return err
	}
	p.say("7.1", "access request of %s: %s and %s exported to %s",
		a.ID, plural(len(export.History), "consent event"), plural(len(export.Receipts), "receipt"), filepath.Base(accessFile))

	// Deletion.
	x := users[5] // who consented again under 1.1
	backup := filepath.Join(p.dir, "users-backup.jsonl")
	if err := p.users.dump(backup); err != nil {
		return err
	}
	old, err := rowFromDump(backup, x.ID)
	if err != nil {
		return err
	}
	// Before the erasure, the backup row opens (so what fails below fails
	// because of the erasure).
	if err := p.enc.OpenFor(ctx, &User{ID: old.ID, Name: old.Name, Email: old.Email, IBAN: old.IBAN}, x.ID, x.ID); err != nil {
		return fmt.Errorf("the backup row of %s does not open before erasure: %w", x.ID, err)
	}
	if err := p.enc.OpenFor(ctx, &User{ID: old.ID, Email: old.Email}, x.ID, x.ID); err != nil {
		return fmt.Errorf("the backup e-mail of %s does not decrypt before erasure: %w", x.ID, err)
	}
	req, err = l.OpenRequest(ctx, x.ID, consent.RequestDeletion)
	if err != nil {
		return err
	}
	p.say("7.1", "deletion request of %s opened (%s), due %s", x.ID, req.ID, req.Due.Format("2006-01-02 15:04 MST"))
	if _, err := l.SetRequestStatus(ctx, req.ID, consent.StatusInProgress, ""); err != nil {
		return err
	}
	if err := p.authorize(ctx, audit.Access{Employee: "p.privacy", Action: audit.ActionDelete,
		Subject: p.pseudonyms.Subject(x.ID), Resource: "users", Purpose: "dsr.deletion", Reason: req.ID}); err != nil {
		return err
	}
	withdrawn, err := l.WithdrawAll(ctx, x.ID, consent.MethodSupport, req.ID)
	if err != nil {
		return err
	}
	if err := p.enc.Forget(ctx, x.ID); err != nil {
		return err
	}
	p.users.delete(x.ID) // the row and its blind-index value
	if _, err := l.SetRequestStatus(ctx, req.ID, consent.StatusCompleted, "subject key destroyed"); err != nil {
		return err
	}
	p.say("7.1", "p.privacy (allowed by the gate) withdrew %s, destroyed %s's data key and deleted the row",
		plural(len(withdrawn), "consent"), x.ID)

	// The backup still holds the row, sealed: it no longer opens.
	err = p.enc.OpenFor(ctx, &old, x.ID, x.ID)
	if err := p.expect(errors.Is(err, pii.ErrErased), "the backup row opens after erasure (err %v)", err); err != nil {
		return err
	}
	err = p.enc.OpenFor(ctx, &User{ID: old.ID, Email: old.Email}, x.ID, x.ID)
	if err := p.expect(errors.Is(err, pii.ErrErased), "the backup e-mail decrypts after erasure (err %v)", err); err != nil {
		return err
	}
	p.say("7.1", "%s's row in %s no longer opens: %v", x.ID, filepath.Base(backup), err)
	_, _, err = p.lookupEmail(ctx, "s.support", p.people[x.ID].Email)
	if err := p.expect(errors.Is(err, errNoUser), "the erased user is still found by e-mail (err %v)", err); err != nil {
		return err
	}
	p.say("7.1", "a lookup by %s's e-mail finds nobody", x.ID)
	return nil
}

// rowFromDump reads the row of id from a JSON-lines dump.
func rowFromDump(path, id string) (User, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return User{}, err
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var u User
		if err := json.Unmarshal(sc.Bytes(), &u); err != nil {
			return User{}, err
		}
		if u.ID == id {
			return u, nil
		}
	}
	if err := sc.Err(); err != nil {
		return User{}, err
	}
	return User{}, fmt.Errorf("no row %s in %s", id, filepath.Base(path))
}

// verifyLog checkpoints the audit log, verifies it as an auditor would, and
// shows that an edited copy fails verification.
func (p *platform) verifyLog(ctx context.Context) error {
	cp, err := p.log.Checkpoint(ctx)
	if err != nil {
		return err
	}
	head, err := audit.OpenCheckpoint(cp, p.verifier)
	if err != nil {
		return err
	}
	if err := p.expect(head.Size == p.decisions, "checkpoint covers %d entries, %d decisions made", head.Size, p.decisions); err != nil {
		return err
	}
	if p.logDir != "" {
		err = audit.Verify(ctx, audit.Dir(p.logDir), audit.Options{Verifier: p.verifier})
	} else {
		err = audit.Verify(ctx, audit.DB(p.db), audit.Options{Verifier: p.verifier})
	}
	if err != nil {
		return err
	}
	p.checks++
	p.say("5.1", "audit.Verify: %d entries, every hash, the Merkle tree and the signed checkpoints check out", head.Size)
	fmt.Fprintf(p.out, "  checkpoint:\n")
	for _, line := range strings.Split(strings.TrimRight(string(cp), "\n"), "\n") {
		fmt.Fprintln(p.out, strings.TrimRight("    "+line, " "))
	}
	if err := os.WriteFile(filepath.Join(p.dir, "checkpoint"), cp, 0o600); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(p.dir, "audit.vkey"), []byte(p.verifyKey+"\n"), 0o600); err != nil {
		return err
	}
	if p.logDir == "" {
		return nil
	}
	tampered, err := tamperedCopy(p.logDir, filepath.Join(p.dir, "audit-tampered"))
	if err != nil {
		return err
	}
	err = audit.Verify(ctx, audit.Dir(tampered), audit.Options{Verifier: p.verifier})
	var te *audit.TamperError
	if err := p.expect(errors.As(err, &te), "an edited copy of the log verifies (err %v)", err); err != nil {
		return err
	}
	p.say("5.1", "a copy with one byte of one entry changed fails: %v", err)
	if p.cfg.Out != "" {
		fmt.Fprintf(p.out, "  verify it yourself: go run ./examples/auditverify -key @%s -checkpoint %s %s\n",
			filepath.Join(p.dir, "audit.vkey"), filepath.Join(p.dir, "checkpoint"), p.logDir)
	}
	return nil
}

// tamperedCopy copies the log directory to dst and flips one byte inside
// the first entry of the first segment file, as an insider editing a record
// would.
func tamperedCopy(src, dst string) (string, error) {
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		return "", err
	}
	segs, err := filepath.Glob(filepath.Join(dst, "*.seg"))
	if err != nil || len(segs) == 0 {
		return "", errors.New("no segment file in the log directory")
	}
	slices.Sort(segs)
	data, err := os.ReadFile(segs[0])
	if err != nil {
		return "", err
	}
	// A 16-byte segment header, a 4-byte frame length, then the first
	// event: byte 30 is inside its timestamp.
	const at = 16 + 4 + 10
	if len(data) <= at {
		return "", errors.New("segment too short to tamper with")
	}
	data[at] ^= 1
	return dst, os.WriteFile(segs[0], data, 0o600)
}

// plural writes n and noun, with an s when n is not 1.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
