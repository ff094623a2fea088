package audit

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/mod/sumdb/note"
)

var gateNow = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

const trainingYear = 365 * 24 * time.Hour

// actionExport is a host's own action: any lower-case token is one.
const actionExport Action = "export"

func testStaff() []Staff {
	trained := gateNow.Add(-30 * 24 * time.Hour)
	return []Staff{
		{ID: "emp-1", Roles: []string{"support"}, Active: true, TrainedAt: trained, TrainingValidFor: trainingYear},
		{ID: "emp-2", Roles: []string{"support", "dpo"}, Active: true, TrainedAt: trained, TrainingValidFor: trainingYear},
		{ID: "emp-oncall", Roles: []string{"engineer", "oncall"}, Active: true, TrainedAt: trained, TrainingValidFor: trainingYear},
		{ID: "emp-left", Roles: []string{"support"}, Active: false, TrainedAt: trained, TrainingValidFor: trainingYear},
		{ID: "emp-new", Roles: []string{"support"}, Active: true},
		{ID: "emp-future", Roles: []string{"support"}, Active: true, TrainedAt: gateNow.Add(time.Hour), TrainingValidFor: trainingYear},
		{ID: "emp-old", Roles: []string{"support"}, Active: true, TrainedAt: gateNow.Add(-2 * trainingYear), TrainingValidFor: trainingYear},
		{ID: "emp-edge", Roles: []string{"support"}, Active: true, TrainedAt: gateNow.Add(-trainingYear), TrainingValidFor: trainingYear},
		{ID: "emp-noperiod", Roles: []string{"support"}, Active: true, TrainedAt: gateNow.Add(-time.Hour)},
	}
}

var testPolicy = AccessPolicy{
	Grants: []Grant{
		{Role: "support", Actions: []Action{ActionRead}, Purposes: []string{"support.ticket"}},
		{Role: "dpo", Actions: []Action{ActionRead, actionExport, ActionDelete}, Purposes: []string{"data.subject.request"}},
		{Role: "empty"},
	},
	BreakGlassRoles: []string{"oncall"},
}

// decisionRecorder is an in-memory stand-in for the Log that can be made to fail.
type decisionRecorder struct {
	mu     sync.Mutex
	events []Event
	err    error
}

func (r *decisionRecorder) record(_ context.Context, e Event) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err != nil {
		return r.err
	}
	if _, err := e.MarshalBinary(); err != nil {
		return err // the real Log refuses what it cannot encode
	}
	r.events = append(r.events, e)
	return nil
}

func newTestGate(t *testing.T, dir Directory) (*Gate, *decisionRecorder) {
	t.Helper()
	r := &decisionRecorder{}
	if dir == nil {
		dir = NewMemoryDirectory(testStaff()...)
	}
	return newGate(dir, testPolicy, r.record, GateOptions{Now: func() time.Time { return gateNow }, Logger: slog.New(slog.DiscardHandler)}), r
}

type failingDirectory struct{ err error }

func (d failingDirectory) Lookup(context.Context, string) (Staff, error) { return Staff{}, d.err }

// wrongStaffDirectory answers every lookup with a trained, active employee
// who is not the one asked for, as a buggy directory query might.
type wrongStaffDirectory struct{}

func (wrongStaffDirectory) Lookup(context.Context, string) (Staff, error) {
	return testStaff()[1], nil
}

func TestGateAuthorize(t *testing.T) {
	subject := testPseudonym(t, "user-1001")
	read := func(emp string) Access {
		return Access{Employee: emp, Action: ActionRead, Subject: subject, Resource: "users/profile",
			Purpose: "support.ticket", CorrelationID: "req-1"}
	}
	with := func(a Access, f func(*Access)) Access { f(&a); return a }

	tests := []struct {
		name       string
		access     Access
		code       DenialCode // "" means allowed
		role       string     // role recorded for an allowed access
		breakGlass bool
	}{
		{name: "trained support reads for a ticket", access: read("emp-1"), role: "support"},
		{name: "second role also works", access: with(read("emp-2"), func(a *Access) {
			a.Action, a.Purpose = actionExport, "data.subject.request"
		}), role: "dpo"},
		{name: "explicit role held and granted", access: with(read("emp-2"), func(a *Access) { a.Role = "support" }), role: "support"},
		{name: "unknown staff", access: read("emp-404"), code: DenyUnknownStaff},
		{name: "inactive", access: read("emp-left"), code: DenyInactive},
		{name: "never trained", access: read("emp-new"), code: DenyUntrained},
		{name: "training dated in the future", access: read("emp-future"), code: DenyUntrained},
		{name: "training expired", access: read("emp-old"), code: DenyTrainingExpired},
		{name: "training expires exactly now", access: read("emp-edge"), code: DenyTrainingExpired},
		{name: "training without validity period", access: read("emp-noperiod"), code: DenyTrainingExpired},
		{name: "wrong purpose", access: with(read("emp-1"), func(a *Access) { a.Purpose = "marketing" }), code: DenyNotAuthorized},
		{name: "no purpose", access: with(read("emp-1"), func(a *Access) { a.Purpose = "" }), code: DenyNotAuthorized},
		{name: "wrong action", access: with(read("emp-1"), func(a *Access) { a.Action = actionExport }), code: DenyNotAuthorized},
		{name: "role not held", access: with(read("emp-1"), func(a *Access) { a.Role = "dpo" }), code: DenyNotAuthorized},
		{name: "role held but not granted", access: with(read("emp-2"), func(a *Access) {
			a.Role = "support"
			a.Action, a.Purpose = actionExport, "data.subject.request"
		}), code: DenyNotAuthorized},
		{name: "engineer has no grant", access: read("emp-oncall"), code: DenyNotAuthorized},
		{name: "break glass with reason", access: with(read("emp-oncall"), func(a *Access) {
			a.BreakGlass, a.Reason, a.Action = true, "incident INC-42", ActionUpdate
		}), role: "oncall", breakGlass: true},
		{name: "break glass without reason", access: with(read("emp-oncall"), func(a *Access) { a.BreakGlass = true }), code: DenyBreakGlassNoReason, breakGlass: true},
		{name: "break glass with blank reason", access: with(read("emp-oncall"), func(a *Access) {
			a.BreakGlass, a.Reason = true, " \t\n"
		}), code: DenyBreakGlassNoReason, breakGlass: true},
		{name: "break glass with an invisible reason", access: with(read("emp-oncall"), func(a *Access) {
			a.BreakGlass, a.Reason = true, "\u200b \u2060\ufeff\u00ad\u200e\t"
		}), code: DenyBreakGlassNoReason, breakGlass: true},
		{name: "break glass with a control-character reason", access: with(read("emp-oncall"), func(a *Access) {
			a.BreakGlass, a.Reason = true, "\x00\x7f\u0085"
		}), code: DenyBreakGlassNoReason, breakGlass: true},
		{name: "break glass with a reason among invisible characters", access: with(read("emp-oncall"), func(a *Access) {
			a.BreakGlass, a.Reason, a.Action = true, "\u200bINC-42\u200b", ActionUpdate
		}), role: "oncall", breakGlass: true},
		{name: "break glass by a role not allowed", access: with(read("emp-1"), func(a *Access) {
			a.BreakGlass, a.Reason = true, "incident INC-42"
		}), code: DenyBreakGlassNotAllowed, breakGlass: true},
		{name: "break glass still needs training", access: with(read("emp-old"), func(a *Access) {
			a.BreakGlass, a.Reason = true, "incident INC-42"
		}), code: DenyTrainingExpired, breakGlass: true},
		{name: "break glass under an explicit role not allowed", access: with(read("emp-oncall"), func(a *Access) {
			a.BreakGlass, a.Reason, a.Role = true, "incident INC-42", "engineer"
		}), code: DenyBreakGlassNotAllowed, breakGlass: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, rec := newTestGate(t, nil)
			err := g.Authorize(context.Background(), tt.access)
			require.Len(t, rec.events, 1, "every decision is logged exactly once")
			e := rec.events[0]
			assert.Equal(t, gateNow, e.Time)
			assert.Equal(t, tt.access.Employee, e.Actor.ID)
			assert.Equal(t, tt.access.Action, e.Action)
			assert.Equal(t, subject, e.Subject)
			assert.Equal(t, tt.access.Purpose, e.Purpose)
			assert.Equal(t, tt.access.Resource, e.Resource)
			assert.Equal(t, "req-1", e.CorrelationID)
			assert.Equal(t, tt.breakGlass, e.BreakGlass)
			if tt.code == "" {
				require.NoError(t, err)
				assert.Equal(t, OutcomeAllowed, e.Outcome)
				assert.Equal(t, tt.role, e.Actor.Role)
				assert.Equal(t, tt.access.Reason, e.Reason)
				return
			}
			require.ErrorIs(t, err, ErrDenied)
			var de *DeniedError
			require.ErrorAs(t, err, &de)
			assert.Equal(t, tt.code, de.Code)
			assert.Equal(t, "audit: access denied: "+string(tt.code), err.Error())
			assert.Equal(t, OutcomeDenied, e.Outcome)
			assert.Equal(t, string(tt.code), e.Reason)
		})
	}
}

func TestGateInvalidRequest(t *testing.T) {
	tests := map[string]Access{
		"raw subject":     {Employee: "emp-1", Action: ActionRead, Subject: "alice@example.com", Purpose: "support.ticket"},
		"no employee":     {Action: ActionRead, Purpose: "support.ticket"},
		"no action":       {Employee: "emp-1", Purpose: "support.ticket"},
		"bad action":      {Employee: "emp-1", Action: "READ\nALL", Purpose: "support.ticket"},
		"invalid UTF-8":   {Employee: "emp-1\xff", Action: ActionRead, Purpose: "support.ticket"},
		"oversize reason": {Employee: "emp-1", Action: ActionRead, Purpose: "support.ticket", Reason: string(make([]byte, MaxFieldLen+1))},
	}
	for name, a := range tests {
		t.Run(name, func(t *testing.T) {
			g, rec := newTestGate(t, nil)
			err := g.Authorize(context.Background(), a)
			var de *DeniedError
			require.ErrorAs(t, err, &de)
			assert.Equal(t, DenyInvalidRequest, de.Code)
			require.Len(t, rec.events, 1, "a malformed request is still logged")
			e := rec.events[0]
			assert.Equal(t, OutcomeDenied, e.Outcome)
			assert.Equal(t, string(DenyInvalidRequest), e.Reason)
			assert.NotContains(t, e.String(), "alice", "a raw subject is never recorded")
		})
	}
}

func TestGateFailsClosed(t *testing.T) {
	ctx := context.Background()
	ok := Access{Employee: "emp-1", Action: ActionRead, Purpose: "support.ticket"}

	t.Run("directory failure", func(t *testing.T) {
		cause := errors.New("ldap: connection refused")
		g, rec := newTestGate(t, failingDirectory{cause})
		err := g.Authorize(ctx, ok)
		var de *DeniedError
		require.ErrorAs(t, err, &de)
		assert.Equal(t, DenyDirectoryError, de.Code)
		assert.ErrorIs(t, err, cause)
		assert.ErrorIs(t, err, ErrDenied)
		require.Len(t, rec.events, 1)
		assert.Equal(t, OutcomeError, rec.events[0].Outcome)
	})
	t.Run("directory answers for another employee", func(t *testing.T) {
		g, rec := newTestGate(t, wrongStaffDirectory{})
		var de *DeniedError
		require.ErrorAs(t, g.Authorize(ctx, ok), &de)
		assert.Equal(t, DenyDirectoryError, de.Code)
		assert.Equal(t, OutcomeError, rec.events[0].Outcome)
	})
	t.Run("wrapped unknown staff", func(t *testing.T) {
		g, _ := newTestGate(t, failingDirectory{fmt.Errorf("hr: %w", ErrUnknownStaff)})
		var de *DeniedError
		require.ErrorAs(t, g.Authorize(ctx, ok), &de)
		assert.Equal(t, DenyUnknownStaff, de.Code)
	})
	t.Run("log failure denies an allowed access", func(t *testing.T) {
		g, rec := newTestGate(t, nil)
		cause := errors.New("disk full")
		rec.err = cause
		err := g.Authorize(ctx, ok)
		var de *DeniedError
		require.ErrorAs(t, err, &de)
		assert.Equal(t, DenyLogError, de.Code)
		assert.ErrorIs(t, err, cause)
	})
	t.Run("cancelled context", func(t *testing.T) {
		g, _ := newTestGate(t, nil)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		require.ErrorIs(t, g.Authorize(cctx, ok), ErrDenied)
	})
	t.Run("no log", func(t *testing.T) {
		g := NewGate(NewMemoryDirectory(testStaff()...), testPolicy, nil, GateOptions{})
		var de *DeniedError
		require.ErrorAs(t, g.Authorize(ctx, ok), &de)
		assert.Equal(t, DenyLogError, de.Code)
	})
	for _, tt := range []struct {
		name string
		dir  Directory
	}{
		{"no directory", nil},
		{"nil *MemoryDirectory", (*MemoryDirectory)(nil)},
		{"nil *SQLDirectory", (*SQLDirectory)(nil)},
		{"SQLDirectory without a database", NewSQLDirectory(nil, "SELECT 1")},
		{"SQLDirectory without a query", NewSQLDirectory(&sql.DB{}, "")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := &decisionRecorder{}
			g := newGate(tt.dir, testPolicy, rec.record, GateOptions{Logger: slog.New(slog.DiscardHandler)})
			err := g.Authorize(ctx, ok)
			var de *DeniedError
			require.ErrorAs(t, err, &de)
			assert.Equal(t, DenyDirectoryError, de.Code)
			assert.Len(t, rec.events, 1)
			if _, isSQL := tt.dir.(*SQLDirectory); isSQL && tt.dir.(*SQLDirectory) != nil {
				assert.ErrorIs(t, err, ErrInvalidOptions)
			}
		})
	}
	t.Run("empty policy denies everything", func(t *testing.T) {
		rec := &decisionRecorder{}
		g := newGate(NewMemoryDirectory(testStaff()...), AccessPolicy{}, rec.record, GateOptions{Now: func() time.Time { return gateNow }})
		for _, a := range []Access{ok, {Employee: "emp-oncall", Action: ActionRead, BreakGlass: true, Reason: "x"}} {
			require.ErrorIs(t, g.Authorize(ctx, a), ErrDenied)
		}
	})
}

// TestGateLogsBeforeReturning blocks the log and checks that Authorize
// does not return (and so the caller cannot touch the data) until the
// decision is recorded.
func TestGateLogsBeforeReturning(t *testing.T) {
	release := make(chan struct{})
	entered := make(chan struct{})
	g := newGate(NewMemoryDirectory(testStaff()...), testPolicy, func(context.Context, Event) error {
		close(entered)
		<-release
		return nil
	}, GateOptions{Now: func() time.Time { return gateNow }})
	done := make(chan error)
	go func() {
		done <- g.Authorize(context.Background(), Access{Employee: "emp-1", Action: ActionRead, Purpose: "support.ticket"})
	}()
	<-entered
	select {
	case <-done:
		t.Fatal("Authorize returned before its decision was recorded")
	case <-time.After(20 * time.Millisecond):
	}
	close(release)
	require.NoError(t, <-done)
}

func TestGateConcurrent(t *testing.T) {
	dir := NewMemoryDirectory(testStaff()...)
	g, rec := newTestGate(t, dir)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 50 {
				_ = g.Authorize(context.Background(), Access{Employee: "emp-1", Action: ActionRead, Purpose: "support.ticket"})
				if i == 0 {
					s := testStaff()[0]
					s.Active = j%2 == 0
					dir.Put(s)
				}
			}
		})
	}
	wg.Wait()
	assert.Len(t, rec.events, 400)
}

func TestMemoryDirectory(t *testing.T) {
	ctx := context.Background()
	s := testStaff()[1]
	d := NewMemoryDirectory(s)
	got, err := d.Lookup(ctx, s.ID)
	require.NoError(t, err)
	assert.Equal(t, s, got)
	got.Roles[0] = "admin"
	again, _ := d.Lookup(ctx, s.ID)
	assert.Equal(t, "support", again.Roles[0], "callers cannot change the directory through a returned value")
	_, err = d.Lookup(ctx, "emp-nobody")
	require.ErrorIs(t, err, ErrUnknownStaff)
	s.Active = false // leaves: put again, inactive
	d.Put(s)
	got, err = d.Lookup(ctx, s.ID)
	require.NoError(t, err)
	assert.False(t, got.Active)
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	_, err = d.Lookup(cctx, s.ID)
	require.ErrorIs(t, err, context.Canceled)
}

func gateLog(t *testing.T) *Log {
	t.Helper()
	skey, _, err := note.GenerateKey(rand.Reader, "audit.test/gate")
	require.NoError(t, err)
	signer, err := note.NewSigner(skey)
	require.NoError(t, err)
	l, err := Open(context.Background(), Dir(t.TempDir()), Options{Signer: signer})
	require.NoError(t, err)
	t.Cleanup(func() {
		if err := l.Close(); !errors.Is(err, ErrClosed) {
			assert.NoError(t, err)
		}
	})
	return l
}

// TestGateWithLog runs the gate on a real Log: allowed and denied
// decisions both land in the log, and a closed log denies.
func TestGateWithLog(t *testing.T) {
	ctx := context.Background()
	l := gateLog(t)
	g := NewGate(NewMemoryDirectory(testStaff()...), testPolicy, l, GateOptions{Now: func() time.Time { return gateNow }})
	require.NoError(t, g.Authorize(ctx, Access{Employee: "emp-1", Action: ActionRead, Purpose: "support.ticket"}))
	require.ErrorIs(t, g.Authorize(ctx, Access{Employee: "emp-old", Action: ActionRead, Purpose: "support.ticket"}), ErrDenied)
	require.ErrorIs(t, g.Authorize(ctx, Access{Employee: "emp-1", Action: ActionRead, Subject: "bob"}), ErrDenied)
	assert.Equal(t, int64(3), l.Size())

	require.NoError(t, l.Close())
	var de *DeniedError
	require.ErrorAs(t, g.Authorize(ctx, Access{Employee: "emp-1", Action: ActionRead, Purpose: "support.ticket"}), &de)
	assert.Equal(t, DenyLogError, de.Code)
	assert.ErrorIs(t, de, ErrClosed)
}

// FuzzGateAuthorize checks the gate's invariants on arbitrary requests:
// never a panic, exactly one encodable event per decision, allowed only for
// active trained staff, and never a raw subject in the log.
func FuzzGateAuthorize(f *testing.F) {
	ps := string(testPseudonym(f, "user-1"))
	f.Add("emp-1", "", "read", "support.ticket", "", ps, false)
	f.Add("emp-oncall", "oncall", "update", "", "INC-1", "", true)
	f.Add("emp-old", "support", "read", "support.ticket", "", "alice@example.com", false)
	f.Add("", "x\n", "READ", "\xff", "\r\n", "ps1:", true)
	allowedStaff := map[string]bool{"emp-1": true, "emp-2": true, "emp-oncall": true}
	f.Fuzz(func(t *testing.T, emp, role, action, purpose, reason, subject string, breakGlass bool) {
		rec := &decisionRecorder{}
		g := newGate(NewMemoryDirectory(testStaff()...), testPolicy, rec.record, GateOptions{Now: func() time.Time { return gateNow }})
		err := g.Authorize(context.Background(), Access{Employee: emp, Role: role, Action: Action(action),
			Subject: Pseudonym(subject), Purpose: purpose, Reason: reason, BreakGlass: breakGlass})
		if len(rec.events) != 1 {
			t.Fatalf("%d events recorded, want 1", len(rec.events))
		}
		e := rec.events[0]
		if err == nil {
			if e.Outcome != OutcomeAllowed || !allowedStaff[emp] {
				t.Fatalf("allowed %q with event %v", emp, e)
			}
		} else if !errors.Is(err, ErrDenied) || e.Outcome == OutcomeAllowed {
			t.Fatalf("denial %v recorded as %v", err, e)
		}
		if e.Subject != "" && string(e.Subject) != subject {
			t.Fatalf("recorded subject %q differs from request", e.Subject)
		}
		if e.Subject == "" && subject != "" && Pseudonym(subject).valid() {
			t.Fatalf("valid subject dropped")
		}
	})
}

func TestGateOptionsZeroNow(t *testing.T) {
	rec := &decisionRecorder{}
	g := newGate(NewMemoryDirectory(testStaff()...), testPolicy, rec.record, GateOptions{Now: nil})
	_ = g.Authorize(context.Background(), Access{Employee: "emp-1", Action: ActionRead, Purpose: "support.ticket"})
	require.Len(t, rec.events, 1)
	assert.WithinDuration(t, time.Now(), rec.events[0].Time, time.Minute)
}

func TestGateEmptyRoleGrantsNothing(t *testing.T) {
	rec := &decisionRecorder{}
	staff := NewMemoryDirectory(Staff{ID: "emp-blank", Roles: []string{""}, Active: true,
		TrainedAt: gateNow.Add(-time.Hour), TrainingValidFor: trainingYear})
	policy := AccessPolicy{
		Grants:          []Grant{{Role: "", Actions: []Action{ActionRead}, Purposes: []string{"support.ticket"}}},
		BreakGlassRoles: []string{""},
	}
	g := newGate(staff, policy, rec.record, GateOptions{Now: func() time.Time { return gateNow }})
	ctx := context.Background()
	require.ErrorIs(t, g.Authorize(ctx, Access{Employee: "emp-blank", Action: ActionRead, Purpose: "support.ticket"}), ErrDenied)
	require.ErrorIs(t, g.Authorize(ctx, Access{Employee: "emp-blank", Action: ActionRead, BreakGlass: true, Reason: "INC-1"}), ErrDenied)
}

func TestBlankReasons(t *testing.T) {
	for _, s := range []string{"", " \t\n", "\u200b", "\u3164", "\u2800", "\uFFA0", "\u115F", "\u0301", "\uFE0F", "\U000E0020", "\u034F", "\u200b\u3164 \u0301"} {
		assert.True(t, blank(s), "%q shows nothing", s)
	}
	for _, s := range []string{"incident 42", "авария", "инцидент №7", "#", "✓", "\u200bx"} {
		assert.False(t, blank(s), "%q", s)
	}
}
