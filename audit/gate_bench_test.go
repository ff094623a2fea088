package audit

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/json"
	"testing"
	"time"
)

func BenchmarkEventMarshalBinary(b *testing.B) {
	e := sampleEvent(b)
	for b.Loop() {
		if _, err := e.MarshalBinary(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEventMarshalBaseline appends the same bytes with no validation
// or framing: the floor MarshalBinary is measured against.
func BenchmarkEventMarshalBaseline(b *testing.B) {
	e := sampleEvent(b)
	for b.Loop() {
		buf := make([]byte, 0, e.encodedLenHint())
		for _, s := range e.textFields() {
			buf = append(buf, s...)
		}
		_ = buf
	}
}

func BenchmarkEventUnmarshalBinary(b *testing.B) {
	data, err := sampleEvent(b).MarshalBinary()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		var e Event
		if err := e.UnmarshalBinary(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPseudonymizerSubject(b *testing.B) {
	p, err := NewPseudonymizer(testPseudonymKey)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		p.Subject("user-1001")
	}
}

// BenchmarkHMACSHA256Baseline is the raw primitive behind Subject.
func BenchmarkHMACSHA256Baseline(b *testing.B) {
	for b.Loop() {
		m := hmac.New(sha256.New, testPseudonymKey)
		m.Write([]byte("user-1001"))
		m.Sum(nil)
	}
}

// BenchmarkGateAuthorize measures the decision alone, with an in-memory
// recorder in place of the Log (whose durable append dominates in
// production; see the Log benchmarks).
func BenchmarkGateAuthorize(b *testing.B) {
	g := newGate(NewMemoryDirectory(testStaff()...), testPolicy, func(context.Context, Event) error { return nil }, GateOptions{Now: func() time.Time { return gateNow }})
	a := Access{Employee: "emp-2", Action: ActionRead, Subject: testPseudonym(b, "u"), Purpose: "support.ticket"}
	ctx := context.Background()
	for b.Loop() {
		if err := g.Authorize(ctx, a); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMarshalOCSF(b *testing.B) {
	e := sampleEvent(b)
	for b.Loop() {
		if _, err := MarshalOCSF(e, testProduct); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkJSONEventBaseline is encoding/json on the Event struct itself.
func BenchmarkJSONEventBaseline(b *testing.B) {
	e := sampleEvent(b)
	for b.Loop() {
		if _, err := json.Marshal(e); err != nil {
			b.Fatal(err)
		}
	}
}
