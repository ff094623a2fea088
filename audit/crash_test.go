package audit

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/mod/sumdb/note"
)

// The crash test runs a writer in a child process (this test binary,
// re-executed) and kills it with SIGKILL in the middle of appends. Every
// event the child saw acknowledged must be in the reopened log, at the
// index it was given, and the log must verify.

const (
	crashDirEnv = "AUDIT_CRASH_CHILD_DIR"
	crashKeyEnv = "AUDIT_CRASH_CHILD_KEY"
)

func TestCrashKill9(t *testing.T) {
	if dir := os.Getenv(crashDirEnv); dir != "" {
		crashChild(dir, os.Getenv(crashKeyEnv))
		return
	}
	if testing.Short() {
		t.Skip("spawns processes")
	}
	ctx := context.Background()
	skey, signer, verifier := testKeyPair(t)
	dir := t.TempDir()

	acked := map[int64]string{} // index -> correlation id, over all rounds
	for round := range 4 {
		got := runCrashChild(t, dir, skey, 150+round*37)
		for idx, corr := range got {
			if prev, ok := acked[idx]; ok {
				require.Equal(t, prev, corr, "index %d acknowledged twice", idx)
			}
			acked[idx] = corr
		}

		l, err := Open(context.Background(), Dir(dir), Options{Signer: signer, Verifier: verifier, SegmentEntries: 50})
		require.NoError(t, err, "round %d", round)
		t.Logf("round %d: %d acknowledged in total, log size %d, recovery %+v", round, len(acked), l.Size(), l.store.recovery())
		require.NoError(t, l.Close())
		require.NoError(t, Verify(ctx, Dir(dir), Options{Verifier: verifier}), "round %d", round)

		entries := readEvents(t, dir)
		for idx, corr := range acked {
			require.Less(t, idx, int64(len(entries)), "acknowledged entry %d lost", idx)
			require.Equal(t, corr, entries[idx].CorrelationID, "entry %d", idx)
		}
	}
}

// runCrashChild starts a writer on dir, lets it acknowledge at least
// minAcks events, kills it with SIGKILL and returns what it acknowledged.
func runCrashChild(t *testing.T, dir, skey string, minAcks int) map[int64]string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashKill9$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashDirEnv+"="+dir, crashKeyEnv+"="+skey)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	cmd.Stderr = os.Stderr
	require.NoError(t, cmd.Start())

	acks := map[int64]string{}
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		line := sc.Text()
		if idx, corr, ok := parseAck(line); ok {
			acks[idx] = corr
		}
		if len(acks) == minAcks {
			require.NoError(t, cmd.Process.Kill()) // SIGKILL
		}
	}
	// Lines the child wrote before dying are acknowledged too; the scanner
	// has read them all by now.
	err = cmd.Wait()
	require.Error(t, err, "the child must die by the signal")
	require.GreaterOrEqual(t, len(acks), minAcks, "child failed early")
	return acks
}

func parseAck(line string) (int64, string, bool) {
	rest, ok := strings.CutPrefix(line, "ack ")
	if !ok {
		return 0, "", false
	}
	idxStr, corr, ok := strings.Cut(rest, " ")
	if !ok {
		return 0, "", false
	}
	idx, err := strconv.ParseInt(idxStr, 10, 64)
	return idx, corr, err == nil
}

// crashChild appends forever from several goroutines, printing each
// acknowledgement, and signs checkpoints now and then, until it is killed.
func crashChild(dir, skey string) {
	signer, err := note.NewSigner(skey)
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		os.Exit(2)
	}
	l, err := Open(context.Background(), Dir(dir), Options{Signer: signer, SegmentEntries: 50, MaxBatch: 16})
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		os.Exit(2)
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := time.Now().UnixNano()
	for w := range 8 {
		wg.Go(func() {
			for i := 0; ; i++ {
				e := logEvent(i)
				e.CorrelationID = fmt.Sprintf("c%d-w%d-%d", start, w, i)
				r, err := l.Append(context.Background(), e)
				if err != nil {
					fmt.Fprintln(os.Stderr, "child:", err)
					os.Exit(2)
				}
				mu.Lock()
				fmt.Fprintf(os.Stdout, "ack %d %s\n", r.Index, e.CorrelationID)
				mu.Unlock()
				if w == 0 && i%20 == 0 {
					if _, err := l.Checkpoint(context.Background()); err != nil {
						fmt.Fprintln(os.Stderr, "child:", err)
						os.Exit(2)
					}
				}
			}
		})
	}
	wg.Wait()
}

// readEvents decodes every entry of a log directory in order.
func readEvents(t testing.TB, dir string) []Event {
	t.Helper()
	src, err := openFileSource(dir)
	require.NoError(t, err)
	defer src.close()
	var out []Event
	err = src.scan(context.Background(), 1<<62, func(i int64, data []byte) error {
		var e Event
		if err := e.UnmarshalBinary(data); err != nil {
			return err
		}
		out = append(out, e)
		return nil
	})
	assert.NoError(t, err)
	return out
}
