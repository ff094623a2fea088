package password

import (
	"context"
	"crypto/sha1"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeHIBP serves the range API from a set of passwords, padding each answer
// with zero-count suffixes the way the real service does with Add-Padding.
type fakeHIBP struct {
	mu       sync.Mutex
	counts   map[string]int64 // full upper-case SHA-1 hex → count
	requests []*http.Request
	// padWith, if set, is a suffix to add as a zero-count padding line.
	padWith string
}

func newFakeHIBP(passwords map[string]int64) *fakeHIBP {
	f := &fakeHIBP{counts: map[string]int64{}}
	for pw, n := range passwords {
		f.counts[fmt.Sprintf("%X", sha1.Sum([]byte(pw)))] = n
	}
	return f
}

func (f *fakeHIBP) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.requests = append(f.requests, r.Clone(context.Background()))
	f.mu.Unlock()
	prefix := strings.TrimPrefix(r.URL.Path, "/range/")
	if len(prefix) != 5 {
		http.Error(w, "bad prefix", http.StatusBadRequest)
		return
	}
	var b strings.Builder
	for h, n := range f.counts {
		if strings.HasPrefix(h, prefix) {
			fmt.Fprintf(&b, "%s:%d\r\n", h[5:], n)
		}
	}
	if r.Header.Get("Add-Padding") == "true" {
		for i := range 5 {
			fmt.Fprintf(&b, "%035X:0\r\n", i+1)
		}
		if f.padWith != "" {
			fmt.Fprintf(&b, "%s:0\r\n", f.padWith)
		}
	}
	b.WriteString("00000000000000000000000000000000FFF:3") // unrelated, no final CRLF
	fmt.Fprint(w, b.String())
}

func TestHIBPClient(t *testing.T) {
	fake := newFakeHIBP(map[string]int64{"password": 9545824, "Qwerty123!": 12, "once": 1})
	srv := httptest.NewServer(fake)
	defer srv.Close()
	c := &HIBPClient{BaseURL: srv.URL + "/range/", HTTPClient: srv.Client()}
	ctx := context.Background()

	for pw, want := range map[string]int64{"password": 9545824, "Qwerty123!": 12, "once": 1, "correct horse battery staple 42": 0} {
		got, err := c.Count(ctx, pw)
		require.NoError(t, err, pw)
		assert.Equal(t, want, got, pw)
		breached, err := c.Breached(ctx, pw)
		require.NoError(t, err)
		assert.Equal(t, want > 0, breached, pw)
	}

	// Only the 5-character prefix leaves; padding is asked for; a UA is set.
	full := fmt.Sprintf("%X", sha1.Sum([]byte("password")))
	for _, r := range fake.requests {
		assert.Len(t, strings.TrimPrefix(r.URL.Path, "/range/"), 5)
		assert.NotContains(t, r.URL.String(), full[5:])
		assert.Equal(t, "true", r.Header.Get("Add-Padding"))
		assert.NotEmpty(t, r.Header.Get("User-Agent"))
		assert.Equal(t, http.MethodGet, r.Method)
	}

	c.MinCount = 10
	breached, err := c.Breached(ctx, "once")
	require.NoError(t, err)
	assert.False(t, breached)
	breached, err = c.Breached(ctx, "Qwerty123!")
	require.NoError(t, err)
	assert.True(t, breached)
}

func TestHIBPPaddingIsNeverAMatch(t *testing.T) {
	// The padding happens to use the very suffix we look for, with count 0.
	full := fmt.Sprintf("%X", sha1.Sum([]byte("unlucky")))
	fake := newFakeHIBP(nil)
	fake.padWith = full[5:]
	srv := httptest.NewServer(fake)
	defer srv.Close()
	c := &HIBPClient{BaseURL: srv.URL + "/range", HTTPClient: srv.Client()} // no trailing slash
	breached, err := c.Breached(context.Background(), "unlucky")
	require.NoError(t, err)
	assert.False(t, breached)
}

func TestHIBPErrors(t *testing.T) {
	respond := func(status int, body string) *httptest.Server {
		return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(status)
			fmt.Fprint(w, body)
		}))
	}
	tests := []struct {
		name   string
		status int
		body   string
	}{
		{"rate limited", http.StatusTooManyRequests, ""},
		{"server error", http.StatusInternalServerError, "oops"},
		{"empty body", http.StatusOK, ""},
		{"html", http.StatusOK, "<html>maintenance</html>"},
		{"short suffix", http.StatusOK, "0018A45C4D1DEF81644B54AB7F969B88D6:3\r\n"},
		{"lower case", http.StatusOK, "0018a45c4d1def81644b54ab7f969b88d65:3\r\n"},
		{"negative count", http.StatusOK, "0018A45C4D1DEF81644B54AB7F969B88D65:-3\r\n"},
		{"no count", http.StatusOK, "0018A45C4D1DEF81644B54AB7F969B88D65:\r\n"},
		{"huge", http.StatusOK, strings.Repeat("0018A45C4D1DEF81644B54AB7F969B88D65:3\r\n", 30000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := respond(tt.status, tt.body)
			defer srv.Close()
			c := &HIBPClient{BaseURL: srv.URL, HTTPClient: srv.Client()}
			breached, err := c.Breached(context.Background(), "password")
			assert.False(t, breached)
			require.ErrorIs(t, err, ErrBreachCheck)
			var he *hibpError
			require.ErrorAs(t, err, &he)
			if tt.status != http.StatusOK {
				assert.Equal(t, tt.status, he.status)
				assert.Equal(t, "password: breach check failed: pwned passwords api: http status "+strconv.Itoa(tt.status), err.Error())
			}
		})
	}
}

func TestHIBPTimeoutAndContext(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)

	c := &HIBPClient{BaseURL: srv.URL, HTTPClient: srv.Client(), Timeout: 50 * time.Millisecond}
	_, err := c.Breached(context.Background(), "password")
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.NotContains(t, err.Error(), "5BAA6", "the prefix stays out of errors")
	assert.NotContains(t, err.Error(), srv.URL)

	c.Timeout = time.Minute
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(20 * time.Millisecond); cancel() }()
	_, err = c.Breached(ctx, "password")
	assert.ErrorIs(t, err, context.Canceled)
}

func TestHIBPBadBaseURL(t *testing.T) {
	for _, base := range []string{"not a url", "/relative/range", "http://[::1"} {
		_, err := (&HIBPClient{BaseURL: base}).Breached(context.Background(), "password")
		assert.Error(t, err, base)
	}
}

func TestHIBPZeroValueDefaults(t *testing.T) {
	// The zero value targets the public API; only check the request it builds.
	var got *http.Request
	c := &HIBPClient{HTTPClient: &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		got = r
		return nil, errors.New("offline")
	})}}
	_, err := c.Breached(context.Background(), "password")
	require.Error(t, err)
	require.NotNil(t, got)
	assert.Equal(t, "https://api.pwnedpasswords.com/range/5BAA6", got.URL.String())
	assert.Equal(t, "true", got.Header.Get("Add-Padding"))
	_, hasDeadline := got.Context().Deadline()
	assert.True(t, hasDeadline, "default timeout applied")
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// FuzzHIBPResponse: no panic on any body, and a match is always a line of it.
func FuzzHIBPResponse(f *testing.F) {
	f.Add([]byte("1E4C9B93F3F0682250B6CF8331B7EE68FD8:9545824\r\n00000000000000000000000000000000001:0\r\n"))
	f.Add([]byte("1E4C9B93F3F0682250B6CF8331B7EE68FD8:0"))
	f.Add([]byte("\r\n\r\n:"))
	f.Fuzz(func(t *testing.T, body []byte) {
		const suffix = "1E4C9B93F3F0682250B6CF8331B7EE68FD8"
		n, err := parseRangeResponse(body, suffix)
		if err != nil {
			if n != 0 {
				t.Fatal("count with error")
			}
			return
		}
		if n > 0 && !strings.Contains(string(body), suffix+":") {
			t.Fatal("match not in body")
		}
	})
}

// TestHIBPUnicodeForms: as TestPwnedFileUnicodeForms, over the range API;
// a password NFKC changes costs two requests, one that it leaves alone one.
func TestHIBPUnicodeForms(t *testing.T) {
	fake := newFakeHIBP(unicodeLeaks)
	srv := httptest.NewServer(fake)
	defer srv.Close()
	c := &HIBPClient{BaseURL: srv.URL + "/range/", HTTPClient: srv.Client()}
	for _, tt := range unicodeFormCases {
		t.Run(tt.name, func(t *testing.T) {
			fake.mu.Lock()
			fake.requests = nil
			fake.mu.Unlock()
			got, err := c.Count(context.Background(), tt.input)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			fake.mu.Lock()
			requests := len(fake.requests)
			fake.mu.Unlock()
			assert.Equal(t, len(breachForms(tt.input)), requests)
			breached, err := c.Breached(context.Background(), tt.input)
			require.NoError(t, err)
			assert.Equal(t, tt.want > 0, breached)
		})
	}
}

// useDefaultTransport routes http.DefaultTransport, which the default
// client of an HIBPClient uses, to rt for the rest of the test. No test of
// this package runs in parallel.
func useDefaultTransport(t *testing.T, rt http.RoundTripper) {
	saved := http.DefaultTransport
	http.DefaultTransport = rt
	t.Cleanup(func() { http.DefaultTransport = saved })
}

// TestHIBPNilClient: a nil *HIBPClient is the zero value, not a panic.
func TestHIBPNilClient(t *testing.T) {
	var got *http.Request
	useDefaultTransport(t, roundTripFunc(func(r *http.Request) (*http.Response, error) {
		got = r
		body := "1E4C9B93F3F0682250B6CF8331B7EE68FD8:10434004\r\n00000000000000000000000000000000001:0\r\n"
		return &http.Response{StatusCode: http.StatusOK, Body: io.NopCloser(strings.NewReader(body)), Request: r}, nil
	}))
	var c *HIBPClient
	n, err := c.Count(context.Background(), "password")
	require.NoError(t, err)
	assert.Equal(t, int64(10434004), n)
	breached, err := c.Breached(context.Background(), "password")
	require.NoError(t, err)
	assert.True(t, breached)
	require.NotNil(t, got)
	assert.Equal(t, "https://api.pwnedpasswords.com/range/5BAA6", got.URL.String())

	// And in a MultiBreachChecker it is consulted, not skipped.
	breached, err = MultiBreachChecker(c).Breached(context.Background(), "password")
	require.NoError(t, err)
	assert.True(t, breached)
}

// TestHIBPDefaultClientRedirects: without an HTTPClient, a redirect is
// followed on the same server only; the prefix never reaches another one.
func TestHIBPDefaultClientRedirects(t *testing.T) {
	fake := newFakeHIBP(map[string]int64{"password": 5})
	var elsewhere atomic.Int64
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		fake.ServeHTTP(w, r)
	}))
	defer other.Close()
	mux := http.NewServeMux()
	mux.Handle("/range/", fake)
	mux.HandleFunc("/moved/", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/range/"+strings.TrimPrefix(r.URL.Path, "/moved/"), http.StatusMovedPermanently)
	})
	mux.HandleFunc("/away/", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/range/"+strings.TrimPrefix(r.URL.Path, "/away/"), http.StatusFound)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	tests := []struct {
		name    string
		path    string
		want    int64
		wantErr error
	}{
		{"same server", "/moved/", 5, nil},
		{"another server", "/away/", 0, ErrBreachCheck},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := (&HIBPClient{BaseURL: srv.URL + tt.path}).Count(context.Background(), "password")
			assert.Equal(t, tt.want, n)
			if tt.wantErr == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.wantErr)
			assert.NotContains(t, err.Error(), "5BAA6", "the prefix stays out of errors")
			assert.NotContains(t, err.Error(), other.URL)
		})
	}
	assert.Zero(t, elsewhere.Load(), "no request reached the other server")
}

func TestSameOriginRedirect(t *testing.T) {
	get := func(u string) *http.Request {
		r, err := http.NewRequest(http.MethodGet, u, nil)
		require.NoError(t, err)
		return r
	}
	first := get("https://api.pwnedpasswords.com/range/5BAA6")
	tests := []struct {
		name  string
		to    string
		hops  int
		allow bool
	}{
		{"same host, other path", "https://api.pwnedpasswords.com/v2/range/5BAA6", 1, true},
		{"host in other case", "https://API.pwnedpasswords.com/range/5BAA6", 1, true},
		{"other host", "https://evil.example/range/5BAA6", 1, false},
		{"other port", "https://api.pwnedpasswords.com:8443/range/5BAA6", 1, false},
		{"down to http", "http://api.pwnedpasswords.com/range/5BAA6", 1, false},
		{"too many", "https://api.pwnedpasswords.com/range/5BAA6", 10, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			via := slices.Repeat([]*http.Request{first}, tt.hops)
			err := sameOriginRedirect(get(tt.to), via)
			if tt.allow {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, ErrBreachCheck)
			}
		})
	}
}

func TestHIBPDefaultClientTimeout(t *testing.T) {
	c := defaultHIBPHTTPClient(3 * time.Second)
	assert.Equal(t, 3*time.Second, c.Timeout)
	assert.NotNil(t, c.CheckRedirect)
	assert.Nil(t, c.Transport, "http.DefaultTransport: pooled connections")
}
