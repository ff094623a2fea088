package audit

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"unicode"
	"unicode/utf8"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// maxCheckpointText bounds the note text a parser accepts. A checkpoint
// body is three short lines; anything larger is not one of ours.
const maxCheckpointText = 4096

// A TreeHead is the content of a checkpoint: the log's origin, its size
// (number of entries) and the RFC 6962 Merkle tree hash of those entries.
type TreeHead struct {
	Origin string
	Size   int64
	Hash   tlog.Hash
}

// emptyTreeHash is MTH({}) = SHA-256() (RFC 6962, section 2.1).
var emptyTreeHash = tlog.Hash(sha256.Sum256(nil))

// formatCheckpoint returns the note text of c in the C2SP tlog-checkpoint
// format: origin, decimal size and base64 root hash, each on its own line,
// with no extension lines.
func formatCheckpoint(c TreeHead) ([]byte, error) {
	if err := checkOrigin(c.Origin); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidCheckpoint, err)
	}
	if c.Size < 0 {
		return nil, fmt.Errorf("%w: negative size", ErrInvalidCheckpoint)
	}
	return fmt.Appendf(nil, "%s\n%d\n%s\n", c.Origin, c.Size, base64.StdEncoding.EncodeToString(c.Hash[:])), nil
}

// parseCheckpoint parses the text of a checkpoint note (the part before the
// signatures, as returned in [note.Note].Text) in the C2SP tlog-checkpoint
// format. It is strict: the size must be canonical decimal, the hash exactly
// 32 bytes of canonical standard base64, and extension lines, which this
// package never writes, non-empty. It does not check any signature; use
// [OpenCheckpoint] for a signed checkpoint.
func parseCheckpoint(text []byte) (TreeHead, error) {
	bad := func(why string) (TreeHead, error) {
		return TreeHead{}, fmt.Errorf("%w: %s", ErrInvalidCheckpoint, why)
	}
	if len(text) > maxCheckpointText {
		return bad("too long")
	}
	if !utf8.Valid(text) {
		return bad("not UTF-8")
	}
	if len(text) == 0 || text[len(text)-1] != '\n' {
		return bad("missing final newline")
	}
	lines := bytes.Split(text[:len(text)-1], []byte("\n"))
	if len(lines) < 3 {
		return bad("fewer than three lines")
	}
	for _, l := range lines[3:] {
		if len(l) == 0 {
			return bad("empty extension line")
		}
	}
	origin := string(lines[0])
	if err := checkOrigin(origin); err != nil {
		return bad(err.Error())
	}
	size, err := strconv.ParseInt(string(lines[1]), 10, 64)
	if err != nil || size < 0 || strconv.FormatInt(size, 10) != string(lines[1]) {
		return bad("size is not a canonical decimal")
	}
	raw, err := base64.StdEncoding.Strict().DecodeString(string(lines[2]))
	if err != nil || len(raw) != tlog.HashSize {
		return bad("root hash is not 32 bytes of base64")
	}
	return TreeHead{Origin: origin, Size: size, Hash: tlog.Hash(raw)}, nil
}

// OpenCheckpoint verifies the signature of a signed checkpoint note with v
// and parses its text. It fails, with an error wrapping
// [ErrInvalidCheckpoint], unless v's signature is present and valid and
// the text is a checkpoint.
func OpenCheckpoint(msg []byte, v note.Verifier) (TreeHead, error) {
	if v == nil {
		return TreeHead{}, fmt.Errorf("%w: nil checkpoint verifier", ErrInvalidOptions)
	}
	n, err := note.Open(msg, note.VerifierList(v))
	if err != nil {
		return TreeHead{}, fmt.Errorf("%w: signature: %w", ErrInvalidCheckpoint, err)
	}
	return parseCheckpoint([]byte(n.Text))
}

var (
	errEmptyOrigin = errors.New("empty origin")
	errBadOrigin   = errors.New("invalid origin")
)

// checkOrigin accepts what can safely be a line of a checkpoint and a note
// key name: non-empty, valid UTF-8, no spaces, control characters or '+'.
func checkOrigin(origin string) error {
	if origin == "" {
		return errEmptyOrigin
	}
	if len(origin) > 256 || !utf8.ValidString(origin) {
		return errBadOrigin
	}
	for _, r := range origin {
		if r == '+' || unicode.IsSpace(r) || !unicode.IsPrint(r) {
			return errBadOrigin
		}
	}
	return nil
}
