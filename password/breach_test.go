package password

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
				assert.ErrorIs(t, err, ErrBreachCheck, "a third-party checker's failure too")
			}
			assert.Equal(t, tt.wantCalls, calls)
		})
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err := MultiBreachChecker(yes).Breached(cancelled, "pw")
	assert.ErrorIs(t, err, context.Canceled)
	assert.ErrorIs(t, err, ErrBreachCheck)
}

// Every failure of this package's checkers matches ErrBreachCheck, once:
// the message names the sentinel a single time however it was wrapped.
func TestBreachFailureWrapsOnce(t *testing.T) {
	inner := errors.New("disk on fire")
	once := breachFailure(inner)
	assert.ErrorIs(t, once, ErrBreachCheck)
	assert.ErrorIs(t, once, inner)
	assert.Same(t, once, breachFailure(once))
	assert.NoError(t, breachFailure(nil))
	err := Policy{Breach: MultiBreachChecker(stubBreach{err: once})}.Check(context.Background(), "Zq7!vR2#pLm9")
	assert.Equal(t, 1, strings.Count(err.Error(), ErrBreachCheck.Error()), err.Error())
}

// TestBreachConcurrentUse backs "safe for concurrent use" on Policy, PwnedFile,
// HIBPClient and MultiBreachChecker: one shared Policy checks from many
// goroutines at once (run with -race), and every answer is the one a
// single goroutine gets.
func TestBreachConcurrentUse(t *testing.T) {
	known, entries := pwnedCorpus(2000)
	pf, err := OpenPwnedFile(writePwnedTemp(t, writePwned(entries, "\r\n", true)), PwnedFileOptions{})
	require.NoError(t, err)
	defer pf.Close()
	srv := httptest.NewServer(newFakeHIBP(map[string]int64{"only-in-the-api-7Q!": 3}))
	defer srv.Close()
	p := DefaultPolicy()
	p.Breach = MultiBreachChecker(pf, &HIBPClient{BaseURL: srv.URL + "/range/", HTTPClient: srv.Client()})

	ctx := context.Background()
	pws := []string{"leaked-1", "leaked-1999", "only-in-the-api-7Q!", "Zq7!vR2#pLm9-Тау"}
	want := make([]bool, len(pws))
	for i, pw := range pws {
		want[i] = known[pw] > 0 || pw == "only-in-the-api-7Q!"
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for k := range 3 * len(pws) {
				i := (g + k) % len(pws)
				err := p.Check(ctx, pws[i])
				var pe *PolicyError
				if errors.As(err, &pe) {
					assert.Equal(t, want[i], pe.Has(Breached), pws[i])
				} else {
					assert.NoError(t, err, pws[i])
					assert.False(t, want[i], pws[i])
				}
			}
		})
	}
	wg.Wait()
}
