package consent

import (
	"context"
	"fmt"
	"slices"
	"sync"
)

// memStore is the in-memory storage: one RWMutex serialises writers, so
// appends for a subject are trivially ordered.
type memStore struct {
	mu         sync.RWMutex
	purposes   map[string]Purpose
	recipients map[string]Recipient
	bases      map[string]LegalBasis
	baseOrder  []string
	notices    []Notice
	history    map[string][]Record // whole histories
	decisions  map[string][]int    // positions of the decision records in each history
	requests   map[string]Request
	reqOrder   []string
}

// NewMemoryStore returns an empty Store in memory, safe for concurrent
// use. Nothing survives the process: it suits tests and single-process
// tools; production uses [NewSQLStore].
func NewMemoryStore() *Store {
	return &Store{&memStore{
		purposes:   map[string]Purpose{},
		recipients: map[string]Recipient{},
		bases:      map[string]LegalBasis{},
		history:    map[string][]Record{},
		decisions:  map[string][]int{},
		requests:   map[string]Request{},
	}}
}

func (m *memStore) definePurpose(ctx context.Context, p Purpose) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if old, ok := m.purposes[p.ID]; ok {
		if old.equal(p) {
			return nil
		}
		return ErrConflict
	}
	p.DataCategories = slices.Clone(p.DataCategories)
	m.purposes[p.ID] = p
	return nil
}

func (m *memStore) defineRecipient(ctx context.Context, r Recipient) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if old, ok := m.recipients[r.ID]; ok {
		if old == r {
			return nil
		}
		return ErrConflict
	}
	m.recipients[r.ID] = r
	return nil
}

func (m *memStore) addLegalBasis(ctx context.Context, b LegalBasis) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if old, ok := m.bases[b.ID]; ok {
		if !old.equal(b) {
			return ErrConflict
		}
		return nil
	}
	m.bases[b.ID] = b
	m.baseOrder = append(m.baseOrder, b.ID)
	return nil
}

func (m *memStore) publishNotice(ctx context.Context, n Notice) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, old := range m.notices {
		if old.Version != n.Version {
			continue
		}
		if err := noticeConflict(old, n); err != nil {
			return err
		}
		if old.Language == n.Language {
			return nil // same content again
		}
	}
	m.notices = append(m.notices, n)
	return nil
}

// noticeConflict compares a stored notice with a new one of the same version.
func noticeConflict(old, n Notice) error {
	switch {
	case !old.EffectiveAt.Equal(n.EffectiveAt):
		return fmt.Errorf("%w: notice %q (%s) has another effective time", ErrConflict, n.Version, n.Language)
	case old.Material != n.Material:
		return fmt.Errorf("%w: notice %q (%s) has another materiality", ErrConflict, n.Version, n.Language)
	case old.Language == n.Language && old.SHA256 != n.SHA256:
		return fmt.Errorf("%w: notice %q (%s) has another text", ErrConflict, n.Version, n.Language)
	}
	return nil
}

func (m *memStore) listNotices(ctx context.Context) ([]Notice, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	return slices.Clone(m.notices), nil
}

func (m *memStore) snapshotLocked(subject, purpose, recipient string) snapshot {
	s := snapshot{Notices: slices.Clone(m.notices)}
	s.History = m.sparse(subject)
	if p, ok := m.purposes[purpose]; ok {
		p.DataCategories = slices.Clone(p.DataCategories)
		s.Purpose = &p
	}
	if r, ok := m.recipients[recipient]; ok && recipient != "" {
		s.Recipient = &r
	}
	for _, id := range m.baseOrder {
		if b := m.bases[id]; b.Purpose == purpose && b.Recipient == recipient {
			s.LegalBases = append(s.LegalBases, b)
		}
	}
	return s
}

// sparse returns the records of a snapshot history: every decision, the
// latest record, and the record before each of these, in Seq order.
func (m *memStore) sparse(subject string) []Record {
	h, dec := m.history[subject], m.decisions[subject]
	if len(h) == 0 {
		return nil
	}
	pick := func(yield func(int) bool) {
		last := -1
		emit := func(i int) bool {
			for _, j := range [2]int{i - 1, i} {
				if j > last {
					last = j
					if !yield(j) {
						return false
					}
				}
			}
			return true
		}
		for _, i := range dec {
			if !emit(i) {
				return
			}
		}
		emit(len(h) - 1)
	}
	n := 0
	for range pick {
		n++
	}
	out := make([]Record, 0, n)
	for i := range pick {
		out = append(out, h[i])
	}
	return out
}

func (m *memStore) read(ctx context.Context, subject, purpose, recipient string) (snapshot, error) {
	if err := ctx.Err(); err != nil {
		return snapshot{}, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.snapshotLocked(subject, purpose, recipient), nil
}

func (m *memStore) appendTo(ctx context.Context, subject, purpose, recipient string, decide func(snapshot) ([]Record, error)) ([]Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	recs, err := decide(m.snapshotLocked(subject, purpose, recipient))
	if err != nil {
		return nil, err
	}
	h := m.history[subject]
	out := make([]Record, len(recs))
	for i, r := range recs {
		if err := validRecord(subject, r, int64(len(h)+i+1)); err != nil {
			return nil, err
		}
		out[i] = r
	}
	for i, r := range out {
		if r.Kind.decision() {
			m.decisions[subject] = append(m.decisions[subject], len(h)+i)
		}
	}
	m.history[subject] = append(h, out...)
	return out, nil
}

func (m *memStore) subjectHistory(ctx context.Context, subject string) ([]Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	return slices.Clone(m.history[subject]), nil
}

func (m *memStore) scan(ctx context.Context, fn func(subject string, history []Record) error) error {
	m.mu.RLock()
	subjects := make([]string, 0, len(m.history))
	for s := range m.history {
		subjects = append(subjects, s)
	}
	m.mu.RUnlock()
	slices.Sort(subjects)
	for _, s := range subjects {
		if err := ctx.Err(); err != nil {
			return err
		}
		m.mu.RLock()
		h := slices.Clone(m.history[s])
		m.mu.RUnlock()
		if err := fn(s, h); err != nil {
			return err
		}
	}
	return nil
}

func (m *memStore) createRequest(ctx context.Context, r Request) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.requests[r.ID]; ok {
		return ErrConflict
	}
	r.History = slices.Clone(r.History)
	m.requests[r.ID] = r
	m.reqOrder = append(m.reqOrder, r.ID)
	return nil
}

func (m *memStore) updateRequest(ctx context.Context, id string, change func(Request) (Request, error)) (Request, error) {
	if err := ctx.Err(); err != nil {
		return Request{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.requests[id]
	if !ok {
		return Request{}, ErrNotFound
	}
	r.History = slices.Clone(r.History)
	n, err := change(r)
	if err != nil {
		return Request{}, err
	}
	n.ID = id
	m.requests[id] = n
	n.History = slices.Clone(n.History)
	return n, nil
}

func (m *memStore) listRequests(ctx context.Context, subject string) ([]Request, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	var out []Request
	for _, id := range m.reqOrder {
		r := m.requests[id]
		if subject == "" || r.Subject == subject {
			r.History = slices.Clone(r.History)
			out = append(out, r)
		}
	}
	return out, nil
}
