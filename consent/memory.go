package consent

import (
	"context"
	"slices"
	"strings"
	"sync"
)

// memoryStore is the in-memory Store: one RWMutex serialises writers, so
// appends for a subject are trivially ordered. Nothing survives the process.
type memoryStore struct {
	mu         sync.RWMutex
	purposes   map[string]Purpose
	recipients map[string]Recipient
	bases      map[string]LegalBasis
	baseOrder  []string
	notices    []Notice
	history    map[string][]Record // whole histories
	decisions  map[string][]Record // the decision records of each history
	requests   map[string]Request
	reqOrder   []string
}

// NewMemoryStore returns an empty in-memory Store, safe for concurrent use.
// It suits tests and single-process tools; production uses [NewSQLStore].
func NewMemoryStore() Store {
	return &memoryStore{
		purposes:   map[string]Purpose{},
		recipients: map[string]Recipient{},
		bases:      map[string]LegalBasis{},
		history:    map[string][]Record{},
		decisions:  map[string][]Record{},
		requests:   map[string]Request{},
	}
}

func (m *memoryStore) DefinePurpose(ctx context.Context, p Purpose) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if old, ok := m.purposes[p.ID]; ok {
		if old.equal(p) {
			return nil
		}
		return ErrDefinitionConflict
	}
	p.DataCategories = slices.Clone(p.DataCategories)
	m.purposes[p.ID] = p
	return nil
}

func (m *memoryStore) DefineRecipient(ctx context.Context, r Recipient) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if old, ok := m.recipients[r.ID]; ok {
		if old == r {
			return nil
		}
		return ErrDefinitionConflict
	}
	m.recipients[r.ID] = r
	return nil
}

func (m *memoryStore) AddLegalBasis(ctx context.Context, b LegalBasis) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if old, ok := m.bases[b.ID]; ok {
		if old.equal(b) {
			return nil
		}
		return ErrDefinitionConflict
	}
	m.bases[b.ID] = b
	m.baseOrder = append(m.baseOrder, b.ID)
	return nil
}

func (m *memoryStore) PublishNotice(ctx context.Context, n Notice) error {
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
		return &NoticeConflictError{Version: n.Version, Language: n.Language, Field: "effective time"}
	case old.Material != n.Material:
		return &NoticeConflictError{Version: n.Version, Language: n.Language, Field: "material"}
	case old.Language == n.Language && old.SHA256 != n.SHA256:
		return &NoticeConflictError{Version: n.Version, Language: n.Language, Field: "text"}
	}
	return nil
}

func (m *memoryStore) Purposes(ctx context.Context) ([]Purpose, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := make([]Purpose, 0, len(m.purposes))
	for _, p := range m.purposes {
		p.DataCategories = slices.Clone(p.DataCategories)
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b Purpose) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

func (m *memoryStore) Recipients(ctx context.Context) ([]Recipient, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := make([]Recipient, 0, len(m.recipients))
	for _, r := range m.recipients {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b Recipient) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

func (m *memoryStore) Notices(ctx context.Context) ([]Notice, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	return slices.Clone(m.notices), nil
}

func (m *memoryStore) snapshot(subject, purpose, recipient string) Snapshot {
	s := Snapshot{Notices: slices.Clone(m.notices), History: slices.Clone(m.decisions[subject])}
	if h := m.history[subject]; len(h) > 0 && !h[len(h)-1].Kind.decision() {
		s.History = append(s.History, h[len(h)-1])
	}
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

func (m *memoryStore) Snapshot(ctx context.Context, subject, purpose, recipient string) (Snapshot, error) {
	if err := ctx.Err(); err != nil {
		return Snapshot{}, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.snapshot(subject, purpose, recipient), nil
}

func (m *memoryStore) Append(ctx context.Context, subject, purpose, recipient string, decide func(Snapshot) ([]Record, error)) ([]Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	recs, err := decide(m.snapshot(subject, purpose, recipient))
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
	m.history[subject] = append(h, out...)
	for _, r := range out {
		if r.Kind.decision() {
			m.decisions[subject] = append(m.decisions[subject], r)
		}
	}
	return out, nil
}

func (m *memoryStore) History(ctx context.Context, subject string) ([]Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	return slices.Clone(m.history[subject]), nil
}

func (m *memoryStore) Scan(ctx context.Context, fn func(subject string, history []Record) error) error {
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

func (m *memoryStore) CreateRequest(ctx context.Context, r Request) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.requests[r.ID]; ok {
		return ErrDefinitionConflict
	}
	r.History = slices.Clone(r.History)
	m.requests[r.ID] = r
	m.reqOrder = append(m.reqOrder, r.ID)
	return nil
}

func (m *memoryStore) UpdateRequest(ctx context.Context, id string, change func(Request) (Request, error)) (Request, error) {
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

func (m *memoryStore) Request(ctx context.Context, id string) (Request, error) {
	if err := ctx.Err(); err != nil {
		return Request{}, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	r, ok := m.requests[id]
	if !ok {
		return Request{}, ErrNotFound
	}
	r.History = slices.Clone(r.History)
	return r, nil
}

func (m *memoryStore) Requests(ctx context.Context, subject string) ([]Request, error) {
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
