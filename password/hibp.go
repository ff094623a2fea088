package password

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// defaultHIBPBaseURL is the Pwned Passwords range API
// (https://haveibeenpwned.com/API/v3#PwnedPasswords).
const defaultHIBPBaseURL = "https://api.pwnedpasswords.com/range/"

const (
	defaultHIBPTimeout = 5 * time.Second
	// hibpMaxBody bounds a response: a padded answer has 800 to 1,000 lines
	// of about 40 bytes, so 1 MiB is ample and stops a hostile server.
	hibpMaxBody = 1 << 20
	hibpSuffix  = 2*sha1.Size - 5
)

// hibpError describes a failed range-API call: an HTTP status other than
// 200, or a fixed phrase. It never contains the hash prefix or the password.
type hibpError struct {
	status int    // HTTP status, 0 if the body or a redirect was at fault
	reason string // fixed phrase
}

func (e *hibpError) Error() string {
	if e.status != 0 {
		return ErrBreachCheck.Error() + ": pwned passwords api: http status " + strconv.Itoa(e.status)
	}
	return ErrBreachCheck.Error() + ": pwned passwords api: " + e.reason
}

// Is makes errors.Is(err, ErrBreachCheck) true.
func (e *hibpError) Is(target error) bool { return target == ErrBreachCheck }

// HIBPClient is a BreachChecker over the Have I Been Pwned range API with
// k-anonymity: only the first 5 hex digits of the password's SHA-1 leave the
// process, the API returns every suffix under that prefix (hundreds) and the
// match happens here. With Add-Padding the response is also padded with
// fake zero-count suffixes to a near-constant size, so its length does not
// reveal the prefix to an observer of the encrypted traffic.
//
// The zero value is ready to use, and so is a nil *HIBPClient, which behaves
// as the zero value. An HIBPClient is safe for concurrent use. Network
// errors are returned, not swallowed, and match [ErrBreachCheck]: the caller
// decides whether a failed check blocks a password change (fail closed) or
// not.
//
// A password that NFKC normalisation changes (full-width or decomposed
// characters, rare in typed passwords) is looked up twice, in its NFKC form
// and as given (see PwnedFile.Count). The service can link the two requests,
// which come back to back from one client, and so learns 40 bits of
// prefixes for that password instead of 20: still thousands of candidate
// hashes per prefix, but fewer candidates overall.
type HIBPClient struct {
	// BaseURL is the range endpoint; the prefix is appended to it. Empty
	// means https://api.pwnedpasswords.com/range/.
	BaseURL string
	// HTTPClient sends the requests. Nil means a client with Timeout as its
	// own timeout that follows redirects only to the same scheme, host and
	// port: the prefix is in the URL, and http.DefaultClient would follow a
	// redirect anywhere, taking the prefix and the answer from a third
	// party. A client given here keeps its own redirect policy.
	HTTPClient *http.Client
	// Timeout bounds each Count or Breached call, its one or two requests
	// included (on top of the context); zero means 5 s.
	Timeout time.Duration
	// MinCount is how many sightings make a password breached; zero and one
	// both mean "seen at all".
	MinCount int64
	// UserAgent is sent with every request (the API asks for one); empty
	// means "github.com/1cb-kz/compliance/password".
	UserAgent string
}

var _ BreachChecker = (*HIBPClient)(nil)

// Breached reports whether password has been seen in breaches at least
// MinCount times (see Count). Every error matches ErrBreachCheck.
func (c *HIBPClient) Breached(ctx context.Context, password string) (bool, error) {
	if c == nil {
		c = &HIBPClient{}
	}
	n, err := c.Count(ctx, password)
	if err != nil {
		return false, err
	}
	return n >= max(c.MinCount, 1), nil
}

// Count returns how many times password has been seen in breaches, 0 if
// never. Like PwnedFile.Count it looks up the NFKC form and, when that
// differs, the password as given, and returns the larger count. Every error
// matches ErrBreachCheck.
func (c *HIBPClient) Count(ctx context.Context, password string) (int64, error) {
	if c == nil {
		c = &HIBPClient{}
	}
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = defaultHIBPTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	return mostSeen(password, func(sum [sha1.Size]byte) (int64, error) {
		return c.rangeCount(ctx, sum, timeout)
	})
}

// rangeCount asks the range API for the prefix of sum and finds its suffix.
func (c *HIBPClient) rangeCount(ctx context.Context, sum [sha1.Size]byte, timeout time.Duration) (int64, error) {
	hexSum := strings.ToUpper(hex.EncodeToString(sum[:]))
	prefix, suffix := hexSum[:5], hexSum[5:]
	req, err := c.newRequest(ctx, prefix)
	if err != nil {
		return 0, err
	}
	client := c.HTTPClient
	if client == nil {
		client = defaultHIBPHTTPClient(timeout)
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, requestError(err)
	}
	defer resp.Body.Close()
	body, err := readRangeBody(resp)
	if err != nil {
		return 0, err
	}
	return parseRangeResponse(body, suffix)
}

// newRequest builds the GET of the range for prefix.
func (c *HIBPClient) newRequest(ctx context.Context, prefix string) (*http.Request, error) {
	base := c.BaseURL
	if base == "" {
		base = defaultHIBPBaseURL
	}
	u, err := url.Parse(base)
	if err != nil || !u.IsAbs() {
		return nil, fmt.Errorf("%w: HIBPClient.BaseURL is not an absolute URL", ErrInvalidConfig)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(base, "/")+"/"+prefix, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: HIBPClient.BaseURL is not usable", ErrInvalidConfig)
	}
	req.Header.Set("Add-Padding", "true")
	ua := c.UserAgent
	if ua == "" {
		ua = "github.com/1cb-kz/compliance/password"
	}
	req.Header.Set("User-Agent", ua)
	return req, nil
}

// requestError strips the URL, which holds the prefix, from a failed
// request's error.
func requestError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var he *hibpError
	if errors.As(err, &he) {
		return he // refused by sameOriginRedirect
	}
	return fmt.Errorf("%w: pwned passwords api request: %w", ErrBreachCheck, err)
}

// readRangeBody returns the body of a 200 response, at most hibpMaxBody.
func readRangeBody(resp *http.Response) ([]byte, error) {
	if resp.StatusCode != http.StatusOK {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
		return nil, &hibpError{status: resp.StatusCode}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, hibpMaxBody+1))
	if err != nil {
		return nil, fmt.Errorf("%w: pwned passwords api response: %w", ErrBreachCheck, err)
	}
	if len(body) > hibpMaxBody {
		return nil, &hibpError{reason: "response too large"}
	}
	return body, nil
}

// defaultHIBPHTTPClient is the client of an HIBPClient without one. It is
// made per call, to carry the call's timeout; its Transport, nil, is
// http.DefaultTransport, which pools connections across calls.
func defaultHIBPHTTPClient(timeout time.Duration) *http.Client {
	return &http.Client{Timeout: timeout, CheckRedirect: sameOriginRedirect}
}

// hibpMaxRedirects is http.Client's own default limit.
const hibpMaxRedirects = 10

// sameOriginRedirect is the redirect policy of the default client: a
// redirect is followed only to the scheme, host and port of the first
// request, so the prefix never reaches another server, nor leaves TLS.
func sameOriginRedirect(req *http.Request, via []*http.Request) error {
	first := via[0].URL
	if req.URL.Scheme != first.Scheme || !strings.EqualFold(req.URL.Host, first.Host) {
		return &hibpError{reason: "redirect to another host refused"}
	}
	if len(via) >= hibpMaxRedirects {
		return &hibpError{reason: "too many redirects"}
	}
	return nil
}

// parseRangeResponse finds suffix (35 upper-case hex digits) in a range-API
// body of "SUFFIX:COUNT" lines and returns its count. Padding lines have a
// count of 0 and are never a match. Every line is checked, so a truncated or
// foreign body is an error rather than a silent "not breached".
func parseRangeResponse(body []byte, suffix string) (int64, error) {
	var found int64
	sc := bufio.NewScanner(bytes.NewReader(body))
	lines := 0
	for sc.Scan() {
		line := bytes.TrimSuffix(sc.Bytes(), []byte("\r"))
		if len(line) == 0 {
			continue
		}
		lines++
		s, n, ok := bytes.Cut(line, []byte(":"))
		if !ok || len(s) != hibpSuffix || !isUpperHex(s) {
			return 0, &hibpError{reason: "malformed line"}
		}
		count, ok := parseCount(n)
		if !ok {
			return 0, &hibpError{reason: "malformed count"}
		}
		if count > 0 && string(s) == suffix {
			found = count
		}
	}
	if err := sc.Err(); err != nil {
		return 0, &hibpError{reason: "malformed body"}
	}
	if lines == 0 {
		return 0, &hibpError{reason: "empty body"}
	}
	return found, nil
}

func isUpperHex(b []byte) bool {
	for _, c := range b {
		if !('0' <= c && c <= '9' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}
