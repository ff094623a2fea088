package consent

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// Notification asks to record that a notice version reached a subject
// (clause 8.1).
type Notification struct {
	Subject  string
	Version  string
	Language string    // optional: the language delivered
	Method   Method    // e.g. MethodEmail, MethodInApp
	Evidence string    // e.g. the mail provider's message id
	At       time.Time // zero means now
}

// RecordNotification records that the subject was notified of a notice
// version (a grant or refusal records the notice shown by itself). The
// subject then leaves PendingNotifications for that version, unless the
// version is material and a consent still awaits renewal.
func (l *Ledger) RecordNotification(ctx context.Context, n Notification) (Record, error) {
	if err := validEvent(n.Subject, n.Method, n.Evidence); err != nil {
		return Record{}, err
	}
	if err := validID("Version", n.Version, false); err != nil {
		return Record{}, err
	}
	var err error
	if n.Language, err = optionalLanguage(n.Language); err != nil {
		return Record{}, err
	}
	explicit := !n.At.IsZero()
	at, err := l.eventTime("Notification.At", n.At, l.now())
	if err != nil {
		return Record{}, err
	}
	recs, err := l.append(ctx, n.Subject, "", "", func(s snapshot) ([]Record, error) {
		if _, ok := noticeVersion(s.Notices, n.Version, n.Language); !ok {
			return nil, fmt.Errorf("%w: notice %q", ErrNotFound, n.Version)
		}
		at, err := orderedAt(s, "Notification.At", at, explicit)
		if err != nil {
			return nil, err
		}
		return []Record{{
			ID: newID("cr_"), Kind: KindNoticeNotified, Subject: n.Subject, NoticeVersion: n.Version, Language: n.Language,
			Method: n.Method, Evidence: n.Evidence, At: at,
		}}, nil
	})
	if err != nil {
		return Record{}, err
	}
	return recs[0], nil
}

// PendingNotifications lists, sorted, the subjects known to the ledger who
// must still be told about notice version: those with no notification,
// display, grant or refusal under it (or a later notice). For a material
// version it also lists those holding a consent, still within its term,
// given under an older notice that they have neither renewed, refused nor
// withdrawn: they must consent again, and once the version is in effect
// that consent permits nothing until they do.
//
// Only subjects with at least one recorded event are known to the ledger;
// users who never met a consent form must be notified from the user list.
func (l *Ledger) PendingNotifications(ctx context.Context, version string) ([]string, error) {
	if err := validID("version", version, false); err != nil {
		return nil, err
	}
	notices, err := l.store.listNotices(ctx)
	if err != nil {
		return nil, err
	}
	target, ok := noticeVersion(notices, version, "")
	if !ok {
		return nil, fmt.Errorf("%w: notice %q", ErrNotFound, version)
	}
	// covers reports whether a record under notice v shows target to the
	// subject: v is target or a newer version.
	covers := func(v string) bool {
		n, ok := noticeVersion(notices, v, "")
		return ok && (n.Version == target.Version || newer(notices, n, target))
	}
	now := l.now()
	var out []string
	err = l.store.scan(ctx, func(subject string, history []Record) error {
		if pendingFor(history, target, now, covers) {
			out = append(out, subject)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.Sort(out)
	return out, nil
}

// pendingFor reports whether the subject must still be told about target,
// or, for a material target, still holds a consent in force at now that was
// given under an older notice.
func pendingFor(history []Record, target Notice, now time.Time, covers func(string) bool) bool {
	told := false
	for _, r := range history {
		switch r.Kind {
		case KindNoticeNotified, kindNoticeShown, KindGranted, KindRefused:
			told = told || covers(r.NoticeVersion)
		}
	}
	if !told {
		return true
	}
	if !target.Material {
		return false
	}
	for _, r := range inForce(history, now) {
		if !covers(r.NoticeVersion) {
			return true
		}
	}
	return false
}
