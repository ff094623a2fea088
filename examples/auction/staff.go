package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/1cb-kz/compliance/audit"
	"github.com/1cb-kz/compliance/pii/redact"
)

// accessPolicy is who may touch personal data, for what: everything else
// is denied.
var accessPolicy = audit.AccessPolicy{Grants: []audit.Grant{
	{Role: "analyst", Actions: []audit.Action{audit.ActionRead}, Purposes: []string{"fraud.review"}},
	{Role: "support", Actions: []audit.Action{audit.ActionRead}, Purposes: []string{"support.ticket"}},
	{Role: "privacy", Actions: []audit.Action{audit.ActionDelete}, Purposes: []string{"dsr.deletion"}},
}}

const year = 365 * 24 * time.Hour

// hireStaff fills the staff directory (in production, the HR system behind
// an audit.Directory such as audit.SQLDirectory).
func (p *platform) hireStaff(now time.Time) {
	for _, s := range []audit.Staff{
		{ID: "a.analyst", Roles: []string{"analyst"}, Active: true, TrainedAt: now.AddDate(0, -1, 0), TrainingValidFor: year},
		{ID: "b.analyst", Roles: []string{"analyst"}, Active: true}, // never trained
		{ID: "c.analyst", Roles: []string{"analyst"}, Active: true, TrainedAt: now.AddDate(0, -14, 0), TrainingValidFor: year},
		{ID: "s.support", Roles: []string{"support"}, Active: true, TrainedAt: now.AddDate(0, -2, 0), TrainingValidFor: year},
		{ID: "p.privacy", Roles: []string{"privacy"}, Active: true, TrainedAt: now.AddDate(0, -3, 0), TrainingValidFor: year},
	} {
		p.staff.Put(s)
	}
}

// authorize asks the gate, which logs the decision before it answers.
func (p *platform) authorize(ctx context.Context, a audit.Access) error {
	p.decisions++
	return p.gate.Authorize(ctx, a)
}

// staffAccess has three analysts open a profile for a fraud review: the
// trained one is let in, the untrained one and the one whose training has
// expired are not; and a trained analyst is refused a purpose no grant
// covers. Every decision is in the log.
func (p *platform) staffAccess(ctx context.Context) error {
	u := p.users.all()[3]
	subject := p.pseudonyms.Subject(u.ID)
	cases := []struct {
		employee string
		action   audit.Action
		purpose  string
		want     audit.DenialCode // "" means allowed
		about    string
	}{
		{"a.analyst", audit.ActionRead, "fraud.review", "", "trained a month ago"},
		{"b.analyst", audit.ActionRead, "fraud.review", audit.DenyUntrained, "never trained"},
		{"c.analyst", audit.ActionRead, "fraud.review", audit.DenyTrainingExpired, "trained 14 months ago, valid 12"},
		{"a.analyst", audit.Action("export"), "marketing", audit.DenyNotAuthorized, "no grant for this purpose"},
	}
	for _, c := range cases {
		err := p.authorize(ctx, audit.Access{Employee: c.employee, Action: c.action, Subject: subject,
			Resource: "users/profile", Purpose: c.purpose, CorrelationID: "fraud-case-4711"}) // a ticket, never the account id
		var denied *audit.DeniedError
		switch {
		case err == nil && c.want == "":
			row := u
			if err := p.enc.OpenFor(ctx, &row, row.ID, row.ID); err != nil {
				return err
			}
			p.say("5.1", "%s (%s) %s %s for %s: allowed, reads %s", c.employee, c.about, c.action, u.ID, c.purpose, redact.Mask(redact.KindName, row.Name))
		case errors.As(err, &denied) && denied.Code == c.want:
			p.say("5.1", "%s (%s) %s %s for %s: denied, %s", c.employee, c.about, c.action, u.ID, c.purpose, denied.Code)
		default:
			return fmt.Errorf("%s %s for %s: got %v, want %q", c.employee, c.action, c.purpose, err, c.want)
		}
		p.checks++
	}
	size := p.log.Size()
	if err := p.expect(size == p.decisions, "log holds %d entries after %d gate decisions", size, p.decisions); err != nil {
		return err
	}
	p.say("5.2", "every decision is logged, allowed or denied: %d entries so far, subjects as pseudonyms (%s…)",
		size, string(subject)[:12])
	return nil
}
