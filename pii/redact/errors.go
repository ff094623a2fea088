package redact

import "errors"

// ErrNoSafeCut is returned by Writer when more than MaxPending
// bytes arrive without a place where the stream can be cut without
// possibly splitting personal data. The writer fails closed: the pending
// bytes are discarded, not written unredacted.
var ErrNoSafeCut = errors.New("redact: no safe place to cut the stream within the buffer limit")

// errClosed is returned by a Writer's Write after Close.
var errClosed = errors.New("redact: write to closed Writer")
