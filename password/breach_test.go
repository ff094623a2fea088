package password

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
)

type stubBreach struct {
	breached bool
	err      error
	calls    *int
}

func (s stubBreach) Breached(context.Context, string) (bool, error) {
	if s.calls != nil {
		*s.calls++
	}
	return s.breached, s.err
}

func TestMultiBreachChecker(t *testing.T) {
	errDown := errors.New("service down")
	var calls int
	yes := stubBreach{breached: true, calls: &calls}
	no := stubBreach{calls: &calls}
	down := stubBreach{err: errDown, calls: &calls}
	ctx := context.Background()

	tests := []struct {
		name      string
		checkers  []BreachChecker
		want      bool
		wantErr   error
		wantCalls int
	}{
		{"none", nil, false, nil, 0},
		{"first says yes", []BreachChecker{yes, no}, true, nil, 1},
		{"second says yes", []BreachChecker{no, yes}, true, nil, 2},
		{"all no", []BreachChecker{no, no}, false, nil, 2},
		{"failure then yes", []BreachChecker{down, yes}, true, nil, 2},
		{"failure and no", []BreachChecker{no, down}, false, errDown, 2},
		{"nil skipped", []BreachChecker{nil, yes}, true, nil, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls = 0
			got, err := MultiBreachChecker(tt.checkers...).Breached(ctx, "pw")
			assert.Equal(t, tt.want, got)
			if tt.wantErr == nil {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, tt.wantErr)
			}
			assert.Equal(t, tt.wantCalls, calls)
		})
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err := MultiBreachChecker(yes).Breached(cancelled, "pw")
	assert.ErrorIs(t, err, context.Canceled)
}
