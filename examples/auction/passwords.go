package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/1cb-kz/compliance/password"
	"github.com/1cb-kz/compliance/pii"
)

// weakPasswords all satisfy the composition rule of clause 2.1 (or nearly),
// and all fall early to a rule-based guessing attack.
var weakPasswords = []string{
	"qwerty1",        // short, no special character, common
	"Qwerty123!",     // keyboard walk
	"Almaty2024!",    // city and year
	"йцукен123!",     // qwerty on the Russian layout
	"Қазақстан2026!", // country and year, in Kazakh
	"P@ssw0rd1",      // l33t common password
	"пароль123",      // "password" in Russian
}

// register has every user try a weak password, then a compliant one, and
// stores the account: an argon2id hash and the personal data sealed under
// the user's own data key.
func (p *platform) register(ctx context.Context) error {
	// Clause 3.1 is a property of the data model: check it before collecting.
	if err := pii.CheckMinimal(User{}); err != nil {
		return err
	}
	undeclared, err := pii.Undeclared(User{})
	if err != nil {
		return err
	}
	if err := p.expect(len(undeclared) == 0, "undeclared personal data in User: %v", undeclared); err != nil {
		return err
	}
	fields, err := pii.Inventory(User{})
	if err != nil {
		return err
	}
	var cats []string
	for _, f := range fields {
		cats = append(cats, f.Name+"="+string(f.Category))
	}
	p.say("3.1", "User collects %s only: pii.CheckMinimal passes", strings.Join(cats, ", "))

	p.people = map[string]person{}
	p.secrets = map[string]string{}
	policy := password.DefaultPolicy()
	type registration struct {
		who      person
		pw, hash string
		err      error
	}
	regs := make([]registration, p.cfg.Users)
	refused := 0
	for i := range regs {
		who := p.newPerson(i)
		local, _, _ := strings.Cut(who.Email, "@")
		weak := local + "!1" // built from the user's own e-mail address
		if k := i % (len(weakPasswords) + 1); k < len(weakPasswords) {
			weak = weakPasswords[k]
		}
		err := password.Check(weak, local, who.Email, who.Name)
		var pe *password.PolicyError
		if !errors.As(err, &pe) {
			return fmt.Errorf("weak password of %s accepted (err %v)", who.ID, err)
		}
		refused++
		p.checks++
		if i < len(langs) {
			codes := make([]string, len(pe.Violations))
			for j, v := range pe.Violations {
				codes[j] = string(v.Code)
			}
			p.say("2.1", "%s (%s) weak password refused [%s]: %s",
				who.ID, who.Lang, strings.Join(codes, ","), strings.Join(pe.Messages(who.Lang), "; "))
		}
		pw, err := compliantPassword(ctx, policy, local, who.Email, who.Name)
		if err != nil {
			return err
		}
		regs[i] = registration{who: who, pw: pw}
	}
	// Hashing is the slow part (argon2id, tens of milliseconds each by
	// design); Hash itself bounds how many run at once.
	var wg sync.WaitGroup
	for i := range regs {
		wg.Go(func() { regs[i].hash, regs[i].err = password.Hash(ctx, regs[i].pw) })
	}
	wg.Wait()
	for _, r := range regs {
		if r.err != nil {
			return r.err
		}
		if err := p.store(ctx, r.who, r.hash); err != nil {
			return err
		}
		p.people[r.who.ID] = r.who
		p.secrets[r.who.ID] = r.pw
	}
	p.say("2.1", "%d registrations: %d weak passwords refused, %d compliant passwords accepted",
		p.cfg.Users, refused, p.cfg.Users)

	// Clause 2.2: what the database holds is hashes, never passwords.
	hashes := 0
	for _, u := range p.users.all() {
		if strings.HasPrefix(u.Password, "$argon2id$v=19$") {
			hashes++
		}
		for _, field := range []string{u.ID, u.Lang, u.Name, u.Email, u.EmailIndex, u.IBAN, u.Password} {
			if strings.Contains(field, p.secrets[u.ID]) {
				return fmt.Errorf("the password of %s is in the users table", u.ID)
			}
		}
	}
	if err := p.expect(hashes == p.cfg.Users, "%d argon2id hashes for %d users", hashes, p.cfg.Users); err != nil {
		return err
	}
	p.say("2.2", "%d argon2id hashes stored (%s); no password in the users table",
		hashes, hashScheme(p.users.all()[0].Password))
	return nil
}

// compliantPassword draws a random password that the policy accepts for
// this user; Generate ignores the user's inputs, so Check has the last word.
func compliantPassword(ctx context.Context, policy password.Policy, inputs ...string) (string, error) {
	for range 5 {
		pw, err := password.Generate(policy, 16)
		if err != nil {
			return "", err
		}
		if policy.Check(ctx, pw, inputs...) == nil {
			return pw, nil
		}
	}
	return "", errors.New("no compliant password generated in 5 draws")
}

// store seals the personal data of who under their own data key and
// inserts the row.
func (p *platform) store(ctx context.Context, who person, hash string) error {
	u := User{ID: who.ID, Lang: who.Lang, Name: who.Name, Email: who.Email, IBAN: who.IBAN,
		Password: hash, Created: time.Now().UTC()}
	if err := p.enc.SealFor(ctx, &u, u.ID, u.ID); err != nil {
		return err
	}
	p.users.insert(u)
	p.appLog.Info("user registered", "user_id", who.ID, "lang", who.Lang,
		"email", who.Email, "full_name", who.Name, "msg_detail", "refunds to "+who.IBAN)
	return nil
}

// legacyLogin logs in a user imported from the previous platform, whose
// bcrypt hash is upgraded to argon2id at the first successful login, and a
// user registered today.
func (p *platform) legacyLogin(ctx context.Context) error {
	who := p.newPerson(p.cfg.Users)
	local, _, _ := strings.Cut(who.Email, "@")
	pw, err := compliantPassword(ctx, password.DefaultPolicy(), local, who.Email, who.Name)
	if err != nil {
		return err
	}
	// The previous platform stored bcrypt at cost 10.
	cost := p.cfg.LegacyCost
	if cost == 0 {
		cost = bcrypt.DefaultCost
	}
	legacy, err := bcrypt.GenerateFromPassword([]byte(pw), cost)
	if err != nil {
		return err
	}
	if err := p.store(ctx, who, string(legacy)); err != nil {
		return err
	}
	p.people[who.ID] = who
	p.secrets[who.ID] = pw

	// Login: verify, then upgrade while the password is at hand.
	row, _ := p.users.get(who.ID)
	ok, err := password.Verify(ctx, "wrong"+pw, row.Password)
	if err != nil {
		return err
	}
	if err := p.expect(!ok, "a wrong password verified against the bcrypt hash"); err != nil {
		return err
	}
	ok, err = password.Verify(ctx, pw, row.Password)
	if err != nil {
		return err
	}
	if err := p.expect(ok, "the right password did not verify against the bcrypt hash"); err != nil {
		return err
	}
	if err := p.expect(password.NeedsRehash(row.Password), "NeedsRehash false for a bcrypt hash"); err != nil {
		return err
	}
	upgraded, err := password.Hash(ctx, pw)
	if err != nil {
		return err
	}
	old := row.Password
	row.Password = upgraded
	p.users.insert(row)
	ok, err = password.Verify(ctx, pw, upgraded)
	if err != nil {
		return err
	}
	if err := p.expect(ok && !password.NeedsRehash(upgraded), "the upgraded hash does not verify or needs a rehash"); err != nil {
		return err
	}
	p.say("2.2", "%s (imported) logged in: legacy bcrypt hash %s verified, NeedsRehash = true, replaced by %s",
		who.ID, hashScheme(old), hashScheme(upgraded))
	if err := p.changePassword(ctx, who, pw, []string{upgraded, old}); err != nil {
		return err
	}

	// A user registered today: the stored hash is current.
	first := p.users.all()[0]
	ok, err = password.Verify(ctx, p.secrets[first.ID], first.Password)
	if err != nil {
		return err
	}
	if err := p.expect(ok && !password.NeedsRehash(first.Password), "login of %s failed or asks a rehash", first.ID); err != nil {
		return err
	}
	p.say("2.2", "%s logged in: argon2id hash verified, NeedsRehash = false", first.ID)

	// A login name with no account: the same argon2id work, the same
	// refusal, so the answer does not say which names are registered.
	idx, err := p.enc.BlindIndex(emailIndex, "nobody@example.kz")
	if err != nil {
		return err
	}
	if err := p.expect(len(p.users.byEmailIndex(idx)) == 0, "an unregistered e-mail has a candidate row"); err != nil {
		return err
	}
	if err := password.VerifyAbsent(ctx, p.secrets[first.ID]); err != nil {
		return err
	}
	p.say("2.2", "login as an unregistered e-mail: no row, password.VerifyAbsent spends a Verify's argon2id work, then refused as a wrong password")
	return nil
}

// hashScheme returns the non-secret head of an encoded hash: scheme and
// parameters, without salt and digest.
func hashScheme(encoded string) string {
	n := 4 // $argon2id$v=19$m=…,t=…,p=…$
	if strings.HasPrefix(encoded, "$2") {
		n = 3 // $2a$10$
	}
	parts := strings.SplitAfterN(encoded, "$", n+1)
	if len(parts) <= n {
		return "(malformed)"
	}
	return strings.Join(parts[:n], "") + "…"
}

// changePassword plays clause 2.2's "change the password regularly" for
// the imported account, whose password is 13 months old: the login prompts a
// change (the Rules recommend it, so the account is not locked), the same
// password is refused as reused, and a new one replaces it.
func (p *platform) changePassword(ctx context.Context, who person, current string, history []string) error {
	policy := password.DefaultPolicy()
	now := time.Now()
	changed := now.AddDate(-1, -1, 0)
	if err := p.expect(policy.Expired(changed, now), "a 13-month-old password is not expired under a %v MaxAge", policy.MaxAge); err != nil {
		return err
	}
	local, _, _ := strings.Cut(who.Email, "@")
	inputs := []string{local, who.Email, who.Name}
	err := policy.CheckChange(ctx, current, history, inputs...)
	var pe *password.PolicyError
	if err := p.expect(errors.As(err, &pe) && pe.Has(password.Reused), "re-using the current password was not refused (err %v)", err); err != nil {
		return err
	}
	next, err := compliantPassword(ctx, policy, inputs...)
	if err != nil {
		return err
	}
	if err := policy.CheckChange(ctx, next, history, inputs...); err != nil {
		return err
	}
	hash, err := password.Hash(ctx, next)
	if err != nil {
		return err
	}
	row, _ := p.users.get(who.ID)
	row.Password = hash
	p.users.insert(row)
	p.secrets[who.ID] = next
	var reused string
	for _, v := range pe.Violations {
		if v.Code == password.Reused {
			reused = v.Message(who.Lang)
		}
	}
	p.say("2.2", "%s's password is 13 months old: Policy.Expired prompts a change at login (no lock-out); the same password is refused [%s: %s]; a new one is accepted and hashed",
		who.ID, password.Reused, reused)
	return nil
}
