package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/1cb-kz/compliance/consent"
)

const (
	purposeMarketing = "partner.marketing"
	purposeTax       = "tax.reporting"
	partnerBank      = "partner-bank"
	taxAuthority     = "kgd"
)

// noticeTexts are the privacy notice shown, per language, by version.
var noticeTexts = map[string]consent.Texts{
	"1.0": {
		KK: "Платформаның ақпараттық қауіпсіздік және құпиялылық ережелері, 1.0 нұсқа.",
		RU: "Правила обеспечения информационной безопасности и конфиденциальности платформы, версия 1.0.",
		EN: "Rules for the information security and confidentiality of the Platform, version 1.0.",
	},
	"1.1": {
		KK: "Ережелер, 1.1 нұсқа: деректер жаңа серіктеске берілуі мүмкін.",
		RU: "Правила, версия 1.1: данные могут передаваться новому партнёру.",
		EN: "Rules, version 1.1: data may go to a new partner.",
	},
}

// publish publishes a notice version in the platform's three languages.
func (p *platform) publish(ctx context.Context, version string, at time.Time) error {
	t := noticeTexts[version]
	for lang, text := range map[string]string{"kk": t.KK, "ru": t.RU, "en": t.EN} {
		err := p.ledger.PublishNotice(ctx, consent.Notice{Version: version, Language: lang,
			EffectiveAt: at, Material: true, Text: text})
		if err != nil {
			return err
		}
	}
	return nil
}

// consentDay plays clause 6.1 (no transfer without consent, except by law)
// and clause 8.1 (users notified of changes to the Rules).
func (p *platform) consentDay(ctx context.Context) error {
	l := p.ledger
	err := l.DefinePurpose(ctx, consent.Purpose{ID: purposeMarketing, ConsentRequired: true,
		DataCategories: []string{"name", "email"},
		Description: consent.Texts{KK: "Серіктес банктің ұсыныстары", RU: "Предложения банка-партнёра",
			EN: "Offers from the partner bank"}})
	if err != nil {
		return err
	}
	err = l.DefinePurpose(ctx, consent.Purpose{ID: purposeTax, ConsentRequired: false,
		DataCategories: []string{"name", "payment"},
		Description:    consent.Texts{KK: "Салық есептілігі", RU: "Налоговая отчётность", EN: "Tax reporting"}})
	if err != nil {
		return err
	}
	if err := l.DefineRecipient(ctx, consent.Recipient{ID: partnerBank, Name: "Partner Bank JSC", Country: "KZ"}); err != nil {
		return err
	}
	if err := l.DefineRecipient(ctx, consent.Recipient{ID: taxAuthority,
		Name: "State Revenue Committee of the Ministry of Finance of the RK", Country: "KZ"}); err != nil {
		return err
	}
	if err := p.publish(ctx, "1.0", time.Now().Add(-time.Hour)); err != nil {
		return err
	}

	users := p.users.all()
	a, b, c := users[0], users[1], users[2]
	toBank := func(subject string) consent.Query {
		return consent.Query{Subject: subject, Purpose: purposeMarketing, Recipient: partnerBank}
	}
	check := func(q consent.Query, allowed bool, code consent.Code, what string) (consent.Decision, error) {
		d, err := l.Check(ctx, q)
		if err != nil {
			return d, err
		}
		if err := p.expect(d.Allowed == allowed && d.Code == code, "%s: %s %s, want %s",
			what, verdict(d.Allowed), d.Code, code); err != nil {
			return d, err
		}
		p.say("6.1", "%s: %s (%s): %s", what, verdict(d.Allowed), d.Code, d.Reason)
		return d, nil
	}

	if _, err := check(toBank(a.ID), false, consent.CodeNoConsent, a.ID+" → partner bank, nothing asked yet"); err != nil {
		return err
	}
	if _, err := l.Refuse(ctx, consent.Grant{Subject: b.ID, Purpose: purposeMarketing, Recipient: partnerBank,
		Language: b.Lang, Method: consent.MethodWebForm, Evidence: "form-" + b.ID}); err != nil {
		return err
	}
	if _, err := check(toBank(b.ID), false, consent.CodeRefused, b.ID+" → partner bank after refusing"); err != nil {
		return err
	}
	rec, err := l.Grant(ctx, consent.Grant{Subject: a.ID, Purpose: purposeMarketing, Recipient: partnerBank,
		Language: a.Lang, Method: consent.MethodWebForm, Evidence: "form-" + a.ID})
	if err != nil {
		return err
	}
	d, err := check(toBank(a.ID), true, consent.CodeConsent, a.ID+" → partner bank after granting")
	if err != nil {
		return err
	}
	if err := p.expect(d.RecordID == rec.ID, "decision cites %q, not the grant %q", d.RecordID, rec.ID); err != nil {
		return err
	}
	if _, err := l.Withdraw(ctx, consent.Withdrawal{Subject: a.ID, Purpose: purposeMarketing, Recipient: partnerBank,
		Method: consent.MethodMobileApp}); err != nil {
		return err
	}
	if _, err := check(toBank(a.ID), false, consent.CodeWithdrawn, a.ID+" → partner bank after withdrawing"); err != nil {
		return err
	}

	// Except in cases provided by the law.
	err = l.AllowByLaw(ctx, consent.LegalBasis{ID: "94-v-art-9", Law: "Law of the RK No. 94-V", Article: "Art. 9",
		Purpose: purposeTax, Recipient: taxAuthority})
	if err != nil {
		return err
	}
	d, err = check(consent.Query{Subject: c.ID, Purpose: purposeTax, Recipient: taxAuthority}, true,
		consent.CodeLegalBasis, c.ID+" → tax authority, no consent asked")
	if err != nil {
		return err
	}
	export, err := l.Export(ctx, c.ID)
	if err != nil {
		return err
	}
	used := slices.ContainsFunc(export.History, func(r consent.Record) bool {
		return r.ID == d.UseID && r.Kind == consent.KindLegalBasisUsed
	})
	if err := p.expect(used, "the use of the legal basis is not in %s's history", c.ID); err != nil {
		return err
	}
	p.say("6.1", "the use of %s is recorded in %s's history (%s)", d.Law, c.ID, d.UseID)

	// Clause 8.1: users who consented under 1.0 must hear of 1.1, a
	// material change, and consent again before their data go anywhere.
	var granted []string
	for i, u := range users {
		if i >= 5 && i%2 == 1 {
			if _, err := l.Grant(ctx, consent.Grant{Subject: u.ID, Purpose: purposeMarketing, Recipient: partnerBank,
				Language: u.Lang, Method: consent.MethodWebForm, Evidence: "form-" + u.ID}); err != nil {
				return err
			}
			granted = append(granted, u.ID)
		}
	}
	if err := p.publish(ctx, "1.1", time.Now()); err != nil {
		return err
	}
	pending, err := l.PendingNotifications(ctx, "1.1")
	if err != nil {
		return err
	}
	for _, id := range append([]string{a.ID, b.ID, c.ID}, granted...) {
		if !slices.Contains(pending, id) {
			return fmt.Errorf("unexpected: %s not among the users to notify of 1.1", id)
		}
	}
	p.checks++
	p.say("8.1", "Rules 1.1 published (material change): %d users known to the ledger to notify: %s; the other %d, who never met a consent form, from the user list",
		len(pending), list(pending, 12), len(users)-len(pending))
	g := granted[0]
	if _, err := check(toBank(g), false, consent.CodeStaleNotice, g+" → partner bank, consent given under 1.0"); err != nil {
		return err
	}
	gLang := p.people[g].Lang
	if _, err := l.RecordNotification(ctx, consent.Notification{Subject: g, Version: "1.1", Language: gLang,
		Method: consent.MethodEmail, Evidence: "mail-" + g}); err != nil {
		return err
	}
	if _, err := l.Grant(ctx, consent.Grant{Subject: g, Purpose: purposeMarketing, Recipient: partnerBank,
		Language: gLang, Method: consent.MethodWebForm, Evidence: "form-1.1-" + g}); err != nil {
		return err
	}
	if _, err := check(toBank(g), true, consent.CodeConsent, g+" → partner bank, notified and consented under 1.1"); err != nil {
		return err
	}
	pending, err = l.PendingNotifications(ctx, "1.1")
	if err != nil {
		return err
	}
	if err := p.expect(!slices.Contains(pending, g), "%s still pending after notification and consent", g); err != nil {
		return err
	}
	p.say("8.1", "%s notified by e-mail and consented again: %d users still to notify", g, len(pending))
	return nil
}

func verdict(allowed bool) string {
	if allowed {
		return "allowed"
	}
	return "denied"
}

// list prints at most n ids.
func list(ids []string, n int) string {
	if len(ids) <= n {
		return strings.Join(ids, " ")
	}
	return strings.Join(ids[:n], " ") + fmt.Sprintf(" … (+%d)", len(ids)-n)
}
