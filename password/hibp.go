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

// DefaultHIBPBaseURL is the Pwned Passwords range API
// (https://haveibeenpwned.com/API/v3#PwnedPasswords).
const DefaultHIBPBaseURL = "https://api.pwnedpasswords.com/range/"

const (
	defaultHIBPTimeout = 5 * time.Second
	// hibpMaxBody bounds a response: a padded answer has 800 to 1,000 lines
	// of about 40 bytes, so 1 MiB is ample and stops a hostile server.
	hibpMaxBody = 1 << 20
	hibpSuffix  = 2*sha1.Size - 5
)

// ErrHIBPResponse means the range API answered with something other than a
// well-formed 200 response. The concrete error is a *HIBPError.
var ErrHIBPResponse = errors.New("password: bad response from pwned passwords api")

// HIBPError describes a failed range-API call. It never contains the hash
// prefix or the password.
type HIBPError struct {
	StatusCode int    // HTTP status, 0 if the body was at fault
	Reason     string // fixed phrase
}

func (e *HIBPError) Error() string {
	if e.StatusCode != 0 {
		return "password: pwned passwords api: http status " + strconv.Itoa(e.StatusCode)
	}
	return "password: pwned passwords api: " + e.Reason
}

// Is makes errors.Is(err, ErrHIBPResponse) true.
func (e *HIBPError) Is(target error) bool { return target == ErrHIBPResponse }

// HIBPClient is a BreachChecker over the Have I Been Pwned range API with
// k-anonymity: only the first 5 hex digits of the password's SHA-1 leave the
// process, the API returns every suffix under that prefix (hundreds) and the
// match happens here. With Add-Padding the response is also padded with
// fake zero-count suffixes to a near-constant size, so its length does not
// reveal the prefix to an observer of the encrypted traffic.
//
// The zero value is ready to use. An HIBPClient is safe for concurrent use.
// Network errors are returned, not swallowed: the caller decides whether a
// failed check blocks a password change (fail closed) or not.
type HIBPClient struct {
	// BaseURL is the range endpoint; the prefix is appended to it. Empty
	// means DefaultHIBPBaseURL.
	BaseURL string
	// HTTPClient sends the requests; nil means http.DefaultClient.
	HTTPClient *http.Client
	// Timeout bounds each lookup (on top of the context); zero means 5 s.
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
// MinCount times.
func (c *HIBPClient) Breached(ctx context.Context, password string) (bool, error) {
	n, err := c.Count(ctx, password)
	if err != nil {
		return false, err
	}
	return n >= max(c.MinCount, 1), nil
}

// Count returns how many times password has been seen in breaches, 0 if
// never.
func (c *HIBPClient) Count(ctx context.Context, password string) (int64, error) {
	sum := sha1.Sum([]byte(password))
	hexSum := strings.ToUpper(hex.EncodeToString(sum[:]))
	prefix, suffix := hexSum[:5], hexSum[5:]

	timeout := c.Timeout
	if timeout <= 0 {
		timeout = defaultHIBPTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	base := c.BaseURL
	if base == "" {
		base = DefaultHIBPBaseURL
	}
	u, err := url.Parse(base)
	if err != nil || !u.IsAbs() {
		return 0, errors.New("password: hibp base url is not an absolute url")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(base, "/")+"/"+prefix, nil)
	if err != nil {
		return 0, errors.New("password: hibp base url is not usable")
	}
	req.Header.Set("Add-Padding", "true")
	ua := c.UserAgent
	if ua == "" {
		ua = "github.com/1cb-kz/compliance/password"
	}
	req.Header.Set("User-Agent", ua)

	client := c.HTTPClient
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		// The *url.Error names the URL, which holds the prefix: keep only
		// the cause.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return 0, fmt.Errorf("password: pwned passwords api request: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
		return 0, &HIBPError{StatusCode: resp.StatusCode}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, hibpMaxBody+1))
	if err != nil {
		return 0, fmt.Errorf("password: pwned passwords api response: %w", err)
	}
	if len(body) > hibpMaxBody {
		return 0, &HIBPError{Reason: "response too large"}
	}
	return parseRangeResponse(body, suffix)
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
			return 0, &HIBPError{Reason: "malformed line"}
		}
		count, ok := parseCount(n)
		if !ok {
			return 0, &HIBPError{Reason: "malformed count"}
		}
		if count > 0 && string(s) == suffix {
			found = count
		}
	}
	if err := sc.Err(); err != nil {
		return 0, &HIBPError{Reason: "malformed body"}
	}
	if lines == 0 {
		return 0, &HIBPError{Reason: "empty body"}
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
