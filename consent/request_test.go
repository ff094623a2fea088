package consent

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWorkingDays(t *testing.T) {
	almaty := time.FixedZone("Asia/Almaty", 5*3600)
	w := Deadlines{
		WorkingDays: map[RequestKind]int{RequestAccess: 3, RequestDeletion: 1},
		Calendar:    map[RequestKind]time.Duration{RequestCorrection: 36 * time.Hour},
		Holidays:    []time.Time{time.Date(2026, 3, 9, 0, 0, 0, 0, almaty)},
		Location:    almaty,
	}
	fri := time.Date(2026, 3, 6, 10, 0, 0, 0, almaty)
	tests := []struct {
		kind   RequestKind
		opened time.Time
		want   time.Time
	}{
		// Sat, Sun, holiday Mon skipped: Tue, Wed, Thu; due at the end of Thu
		{RequestAccess, fri, time.Date(2026, 3, 13, 0, 0, 0, 0, almaty)},
		{RequestDeletion, fri, time.Date(2026, 3, 11, 0, 0, 0, 0, almaty)},
		// late on Monday in UTC is already Tuesday in Almaty
		{RequestDeletion, time.Date(2026, 3, 9, 22, 0, 0, 0, time.UTC), time.Date(2026, 3, 12, 0, 0, 0, 0, almaty)},
	}
	for _, tc := range tests {
		got, err := w.due(tc.kind, tc.opened)
		require.NoError(t, err)
		assert.True(t, tc.want.Equal(got), "%s from %s: got %s want %s", tc.kind, tc.opened, got, tc.want)
	}
	got, err := w.due(RequestCorrection, fri)
	require.NoError(t, err)
	assert.Equal(t, fri.Add(36*time.Hour), got, "calendar time counts every hour")
	_, err = Deadlines{WorkingDays: w.WorkingDays}.due(RequestCorrection, fri)
	assert.ErrorIs(t, err, ErrNotConfigured)

	var all []time.Time
	for d := range 1200 {
		all = append(all, fri.AddDate(0, 0, d))
	}
	_, err = Deadlines{WorkingDays: map[RequestKind]int{RequestAccess: 1}, Holidays: all}.due(RequestAccess, fri)
	assert.ErrorIs(t, err, ErrNotConfigured, "a calendar without working days ends")

	_, err = Deadlines{}.due(RequestAccess, fri)
	assert.ErrorIs(t, err, ErrNotConfigured)
	l := newTestLedger(t, NewMemoryStore(), Options{})
	_, err = l.OpenRequest(t.Context(), "u1", RequestAccess)
	assert.ErrorIs(t, err, ErrNotConfigured, "no policy, no request")
}

// A Ledger keeps its own copy of the deadlines: changing the caller's maps
// later neither races with OpenRequest nor changes a due time.
func TestLedgerKeepsACopyOfTheDeadlines(t *testing.T) {
	d := Deadlines{Calendar: map[RequestKind]time.Duration{RequestAccess: time.Hour}}
	l := newTestLedger(t, NewMemoryStore(), Options{Deadlines: d})
	d.Calendar[RequestAccess] = 2 * time.Hour
	r, err := l.OpenRequest(t.Context(), "u1", RequestAccess)
	require.NoError(t, err)
	assert.Equal(t, time.Hour, r.Due.Sub(r.OpenedAt))
}

// NewLedger refuses deadlines that could never be met or that contradict
// each other, instead of failing at the first request.
func TestNewLedgerRefusesBadDeadlines(t *testing.T) {
	bad := map[string]Deadlines{
		"kind in both":         {Calendar: map[RequestKind]time.Duration{RequestAccess: time.Hour}, WorkingDays: map[RequestKind]int{RequestAccess: 1}},
		"zero duration":        {Calendar: map[RequestKind]time.Duration{RequestAccess: 0}},
		"negative days":        {WorkingDays: map[RequestKind]int{RequestDeletion: -1}},
		"unknown kind":         {Calendar: map[RequestKind]time.Duration{"erasure": time.Hour}},
		"unknown working kind": {WorkingDays: map[RequestKind]int{"erasure": 1}},
	}
	for name, d := range bad {
		_, err := NewLedger(NewMemoryStore(), Options{Keys: testKeys(t), Deadlines: d})
		var ie *InputError
		assert.ErrorAs(t, err, &ie, name)
		assert.ErrorIs(t, err, ErrInvalidInput, name)
	}
}
