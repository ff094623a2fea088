package consent

import (
	"fmt"
	"time"
)

// This file holds the pure logic: deriving state from a history and
// deciding. It does no I/O and is shared by every store.

// lastDecision returns the latest consent decision (granted, refused,
// withdrawn, expired) for the pair recorded at or before at.
func lastDecision(history []Record, purpose, recipient string, at time.Time) (Record, bool) {
	var last Record
	found := false
	for _, r := range history {
		if r.At.After(at) {
			break // histories are ordered by At too (see outOfOrder)
		}
		if r.Kind.decision() && r.Purpose == purpose && r.Recipient == recipient {
			last, found = r, true
		}
	}
	return last, found
}

// grantedAfter returns the first grant of (purpose, recipient) dated after
// at, if any.
func grantedAfter(history []Record, purpose, recipient string, at time.Time) (Record, bool) {
	for _, r := range history {
		if r.At.After(at) && r.Kind == KindGranted && r.Purpose == purpose && r.Recipient == recipient {
			return r, true
		}
	}
	return Record{}, false
}

// lastAt returns the time of the subject's latest event.
func lastAt(history []Record) time.Time {
	if len(history) == 0 {
		return time.Time{}
	}
	return history[len(history)-1].At
}

// noticeVersion returns the notice of version in lang or, when lang is
// "", the language of version published last: the one newestNotice picks
// among the languages of its version, so that a grant naming its version
// and one taking the default record the same language.
func noticeVersion(notices []Notice, version, lang string) (Notice, bool) {
	for i := len(notices) - 1; i >= 0; i-- {
		if n := notices[i]; n.Version == version && (lang == "" || n.Language == lang) {
			return n, true
		}
	}
	return Notice{}, false
}

// newer reports whether notice a's version comes after b's. Versions are
// ordered by effective time, then by when they were first published: every
// function uses this one order, so that the version Check holds newest is
// also the one that supersedes the others.
func newer(notices []Notice, a, b Notice) bool {
	if !a.EffectiveAt.Equal(b.EffectiveAt) {
		return a.EffectiveAt.After(b.EffectiveAt)
	}
	return firstPublished(notices, a.Version) > firstPublished(notices, b.Version)
}

// firstPublished returns the index of the first notice of version, so that
// a translation published later does not move its version.
func firstPublished(notices []Notice, version string) int {
	for i, n := range notices {
		if n.Version == version {
			return i
		}
	}
	return -1
}

// newestNotice returns the notice in effect at t: the newest version (see
// newer) whose EffectiveAt is not after t; among its languages, the one
// published last. With materialOnly it considers material notices only;
// with lang != "" only notices in that language.
func newestNotice(notices []Notice, t time.Time, materialOnly bool, lang string) (Notice, bool) {
	var best Notice
	found := false
	for _, n := range notices {
		if n.EffectiveAt.After(t) || (materialOnly && !n.Material) || (lang != "" && n.Language != lang) {
			continue
		}
		if !found || !newer(notices, best, n) {
			best, found = n, true
		}
	}
	return best, found
}

// superseded reports whether a consent given under version is no longer
// valid at t because a newer material notice is in effect.
func superseded(notices []Notice, version string, t time.Time) (Notice, bool) {
	m, ok := newestNotice(notices, t, true, "")
	if !ok || m.Version == version {
		return Notice{}, false
	}
	given, ok := noticeVersion(notices, version, "")
	if !ok {
		return m, true // unknown notice: treat as superseded, never as valid
	}
	return m, newer(notices, m, given)
}

// decide derives the consent answer for q at at from s, without legal
// bases. It never returns Allowed on missing or inconsistent data, nor on
// an unkeyed grant.
func decide(s snapshot, q Query, at time.Time) Decision {
	noConsentNeeded := s.Purpose != nil && !s.Purpose.ConsentRequired && q.Recipient == ""
	if noConsentNeeded && s.Purpose.keyID != "" { // sealed; Check verified the seal
		return Decision{Allowed: true, Code: CodeNoConsentRequired,
			Reason: fmt.Sprintf("purpose %q does not require consent for the operator's own processing", q.Purpose)}
	}
	target := describeTarget(q)
	last, ok := lastDecision(s.History, q.Purpose, q.Recipient, at)
	if !ok && noConsentNeeded {
		return Decision{Code: CodeNoConsent, Reason: fmt.Sprintf("denied: purpose %q is marked as needing no consent, but it was defined before definitions were sealed under a key, so nothing proves it; define it under a new id, or obtain consent", q.Purpose)}
	}
	if !ok {
		return Decision{Code: CodeNoConsent, Reason: fmt.Sprintf("denied: the user never gave consent to %s", target)}
	}
	day := func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 MST") }
	switch last.Kind {
	case KindGranted:
		if !last.ExpiresAt.IsZero() && !at.Before(last.ExpiresAt) {
			return Decision{Code: CodeExpired, RecordID: last.ID,
				Reason: fmt.Sprintf("denied: the consent to %s given on %s expired on %s (record %s)", target, day(last.At), day(last.ExpiresAt), last.ID)}
		}
		if m, stale := superseded(s.Notices, last.NoticeVersion, at); stale {
			return Decision{Code: CodeStaleNotice, RecordID: last.ID,
				Reason: fmt.Sprintf("denied: the consent to %s was given under notice %q, but notice %q changed the terms materially on %s; the user must consent again (record %s)", target, last.NoticeVersion, m.Version, day(m.EffectiveAt), last.ID)}
		}
		if last.KeyID == "" {
			// A version 1 record: its chain needs no secret, so the
			// application role, which may INSERT, could have written it.
			return Decision{Code: CodeNoConsent, RecordID: last.ID,
				Reason: fmt.Sprintf("denied: the consent to %s of %s was recorded before records were sealed under a key, so nothing proves it is genuine; the user must consent again (record %s)", target, day(last.At), last.ID)}
		}
		return Decision{Allowed: true, Code: CodeConsent, RecordID: last.ID,
			Reason: fmt.Sprintf("allowed: the user consented to %s on %s via %s under notice %q (record %s)", target, day(last.At), last.Method, last.NoticeVersion, last.ID)}
	case KindRefused:
		return Decision{Code: CodeRefused, RecordID: last.ID,
			Reason: fmt.Sprintf("denied: the user refused consent to %s on %s (record %s)", target, day(last.At), last.ID)}
	case KindWithdrawn:
		return Decision{Code: CodeWithdrawn, RecordID: last.ID,
			Reason: fmt.Sprintf("denied: the user withdrew consent to %s on %s (record %s)", target, day(last.At), last.ID)}
	default: // KindExpired
		return Decision{Code: CodeExpired, RecordID: last.ID,
			Reason: fmt.Sprintf("denied: the consent to %s expired on %s (record %s)", target, day(last.At), last.ID)}
	}
}

func describeTarget(q Query) string {
	if q.Recipient == "" {
		return fmt.Sprintf("purpose %q by the operator", q.Purpose)
	}
	return fmt.Sprintf("purpose %q with recipient %q", q.Purpose, q.Recipient)
}

// legalBasisAt returns a legal basis for the pair valid at t.
func legalBasisAt(bases []LegalBasis, purpose, recipient string, t time.Time) (LegalBasis, bool) {
	for _, b := range bases {
		if b.Purpose == purpose && b.Recipient == recipient && b.validAt(t) {
			return b, true
		}
	}
	return LegalBasis{}, false
}

// lastDecisions returns the latest decision of every pair, in the order the
// pairs were first decided.
func lastDecisions(history []Record) []Record {
	type pair struct{ p, r string }
	idx := map[pair]int{}
	var out []Record
	for _, r := range history {
		if !r.Kind.decision() {
			continue
		}
		k := pair{r.Purpose, r.Recipient}
		if i, ok := idx[k]; ok {
			out[i] = r
			continue
		}
		idx[k] = len(out)
		out = append(out, r)
	}
	return out
}

// inForce returns the grants in force at t (not withdrawn, not expired).
func inForce(history []Record, t time.Time) []Record {
	var out []Record
	for _, r := range lastDecisions(history) {
		if r.Kind == KindGranted && (r.ExpiresAt.IsZero() || t.Before(r.ExpiresAt)) {
			out = append(out, r)
		}
	}
	return out
}
