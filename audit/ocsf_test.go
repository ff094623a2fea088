package audit

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var testProduct = OCSFProduct{Name: "auction-backoffice", VendorName: "1cb.kz", Version: "2.4.0"}

func decodeOCSF(t *testing.T, data []byte) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(data, &m))
	return m
}

func TestMarshalOCSF(t *testing.T) {
	e := sampleEvent(t)
	data, err := MarshalOCSF(e, testProduct)
	require.NoError(t, err)
	want := `{"activity_id":1,"activity_name":"Read","category_uid":6,"category_name":"Application Activity",` +
		`"class_uid":6005,"class_name":"Datastore Activity","type_uid":600501,"type_name":"Datastore Activity: Read",` +
		`"time":1795694400123,"severity_id":1,"severity":"Informational","status_id":1,"status":"Success",` +
		`"status_detail":"ticket 4711","action_id":1,"action":"Allowed","disposition_id":1,"disposition":"Allowed",` +
		`"message":"read allowed",` +
		`"metadata":{"version":"1.3.0","product":{"name":"auction-backoffice","vendor_name":"1cb.kz","version":"2.4.0"},"correlation_uid":"req-9f2c"},` +
		`"actor":{"user":{"uid":"emp-17","groups":[{"name":"support"}]}},"table":{"name":"users/profile"},"type_id":3,"type":"Table",` +
		`"unmapped":{"action":"read","subject":"` + string(e.Subject) + `","purpose":"support.ticket"}}`
	assert.JSONEq(t, want, string(data))
	assert.Equal(t, e.Time.UnixMilli(), int64(1795694400123))
}

func TestMarshalOCSFMapping(t *testing.T) {
	tests := []struct {
		name                                        string
		mutate                                      func(*Event)
		activity, typeUID, severity, status, action int
		activityName                                string
	}{
		{"read allowed", func(*Event) {}, 1, 600501, 1, 1, 1, "Read"},
		{"update", func(e *Event) { e.Action = ActionUpdate }, 2, 600502, 1, 1, 1, "Update"},
		{"create", func(e *Event) { e.Action = ActionCreate }, 6, 600506, 1, 1, 1, "Create"},
		{"delete", func(e *Event) { e.Action = ActionDelete }, 7, 600507, 1, 1, 1, "Delete"},
		{"export is Other", func(e *Event) { e.Action = actionExport }, 99, 600599, 1, 1, 1, "export"},
		{"denied", func(e *Event) { e.Outcome = OutcomeDenied }, 1, 600501, 2, 2, 2, "Read"},
		{"error", func(e *Event) { e.Outcome = OutcomeError }, 1, 600501, 2, 2, 0, "Read"},
		{"break glass", func(e *Event) { e.BreakGlass = true }, 1, 600501, 3, 1, 1, "Read"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := sampleEvent(t)
			tt.mutate(&e)
			data, err := MarshalOCSF(e, testProduct)
			require.NoError(t, err)
			m := decodeOCSF(t, data)
			assert.EqualValues(t, 6005, m["class_uid"])
			assert.EqualValues(t, tt.activity, m["activity_id"])
			assert.Equal(t, tt.activityName, m["activity_name"])
			assert.EqualValues(t, tt.typeUID, m["type_uid"])
			assert.EqualValues(t, tt.severity, m["severity_id"])
			assert.EqualValues(t, tt.status, m["status_id"])
			assert.EqualValues(t, tt.action, m["action_id"])
			assert.Equal(t, e.BreakGlass, m["unmapped"].(map[string]any)["break_glass"] == true)
		})
	}
}

func TestMarshalOCSFEscapesAndRefuses(t *testing.T) {
	e := sampleEvent(t)
	e.Reason = "x\r\n{\"class_uid\":6005}\u2028\x00"
	data, err := MarshalOCSF(e, testProduct)
	require.NoError(t, err)
	assert.NotContains(t, string(data), "\n")
	assert.NotContains(t, string(data), "\r")
	assert.NotContains(t, string(data), "\u2028")
	assert.Equal(t, e.Reason, decodeOCSF(t, data)["status_detail"], "content survives, escaped")

	e.Subject = "alice@example.com"
	_, err = MarshalOCSF(e, testProduct)
	require.ErrorIs(t, err, ErrInvalidEvent)

	e = sampleEvent(t)
	e.Resource = ""
	m := decodeOCSF(t, mustOCSF(MarshalOCSF(e, testProduct)))
	assert.NotContains(t, m, "table")
	assert.EqualValues(t, 0, m["type_id"])
}

func mustOCSF(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

func TestEventLogValue(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) == 0 && a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	}))
	e := sampleEvent(t)
	e.Reason = "a\nlevel=ERROR msg=forged"
	e.BreakGlass = true
	logger.Info("access", "event", e)
	out := buf.String()
	assert.Equal(t, 1, strings.Count(out, "\n"), "one record, one line")
	assert.Contains(t, out, `event.reason="a\\nlevel=ERROR msg=forged"`)
	assert.Contains(t, out, "event.actor=emp-17")
	assert.Contains(t, out, "event.outcome=allowed")
	assert.Contains(t, out, "event.break_glass=true")
	assert.Contains(t, out, "event.subject="+string(e.Subject))
}
