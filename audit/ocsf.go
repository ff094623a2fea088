package audit

import (
	"encoding/json"
	"strings"
)

// ocsfVersion is the version of the Open Cybersecurity Schema Framework
// that [MarshalOCSF] writes.
const ocsfVersion = "1.3.0"

// OCSF Datastore Activity (class 6005, category 6 Application Activity).
const (
	ocsfCategoryUID = 6
	ocsfClassUID    = 6005
	ocsfOther       = 99
)

// OCSFProduct names the product reporting the events (OCSF
// metadata.product).
type OCSFProduct struct {
	Name       string `json:"name,omitempty"`
	VendorName string `json:"vendor_name,omitempty"`
	Version    string `json:"version,omitempty"`
}

// ocsfActivities maps actions to Datastore Activity activity_id values;
// other actions become 99 Other, with the action as activity_name.
var ocsfActivities = map[Action]struct {
	id   int
	name string
}{
	ActionRead:   {1, "Read"},
	ActionUpdate: {2, "Update"},
	ActionCreate: {6, "Create"},
	ActionDelete: {7, "Delete"},
}

type ocsfEvent struct {
	ActivityID    int          `json:"activity_id"`
	ActivityName  string       `json:"activity_name"`
	CategoryUID   int          `json:"category_uid"`
	CategoryName  string       `json:"category_name"`
	ClassUID      int          `json:"class_uid"`
	ClassName     string       `json:"class_name"`
	TypeUID       int          `json:"type_uid"`
	TypeName      string       `json:"type_name"`
	Time          int64        `json:"time"`
	SeverityID    int          `json:"severity_id"`
	Severity      string       `json:"severity"`
	StatusID      int          `json:"status_id"`
	Status        string       `json:"status"`
	StatusDetail  string       `json:"status_detail,omitempty"`
	ActionID      int          `json:"action_id"`
	ActionName    string       `json:"action"`
	DispositionID int          `json:"disposition_id"`
	Disposition   string       `json:"disposition"`
	Message       string       `json:"message,omitempty"`
	Metadata      ocsfMetadata `json:"metadata"`
	Actor         ocsfActor    `json:"actor"`
	Table         *ocsfTable   `json:"table,omitempty"`
	TypeID        int          `json:"type_id"`
	Type          string       `json:"type"`
	Unmapped      ocsfUnmapped `json:"unmapped"`
}

type ocsfMetadata struct {
	Version        string      `json:"version"`
	Product        OCSFProduct `json:"product"`
	CorrelationUID string      `json:"correlation_uid,omitempty"`
}

type ocsfActor struct {
	User ocsfUser `json:"user"`
}

type ocsfUser struct {
	UID    string      `json:"uid"`
	Groups []ocsfGroup `json:"groups,omitempty"`
}

type ocsfGroup struct {
	Name string `json:"name"`
}

type ocsfTable struct {
	Name string `json:"name"`
}

// ocsfUnmapped holds the fields OCSF has no attribute for.
type ocsfUnmapped struct {
	Action     Action    `json:"action"`
	Subject    Pseudonym `json:"subject,omitempty"`
	Purpose    string    `json:"purpose,omitempty"`
	BreakGlass bool      `json:"break_glass,omitempty"`
}

// MarshalOCSF maps e to an OCSF 1.3.0 Datastore Activity event (class_uid
// 6005) in JSON, one line with no trailing newline, for a SIEM. Every
// control character (C0, DEL, C1 such as NEL), U+2028, U+2029 and every
// bidirectional formatting character in any field is written as a \uNNNN
// escape, so a line can never carry a second record, however a reader
// splits lines. It returns an error wrapping
// [ErrInvalidEvent] for an Event that [Event.MarshalBinary] would refuse.
//
// The mapping: Time to time (milliseconds since the epoch); Action to
// activity_id (read 1, update 2, create 6, delete 7, anything else 99
// Other with the action as activity_name); Outcome to status_id (allowed
// 1 Success, denied and error 2 Failure) and, for allowed and denied, to
// action_id and disposition_id (1 Allowed; 2 Denied and 2 Blocked);
// Reason to status_detail; Actor.ID to actor.user.uid and Actor.Role to
// its groups; Resource to table.name (type_id 3 Table); CorrelationID to
// metadata.correlation_uid. The Subject pseudonym, Purpose, BreakGlass and
// the original action go in unmapped. Severity is Informational (1) for
// an allowed access, Low (2) for a denial or error, and Medium (3) for any
// break-glass access, so a SIEM can alert on it. OCSF's src_endpoint is
// not filled: the Event does not record network addresses.
func MarshalOCSF(e Event, product OCSFProduct) ([]byte, error) {
	if err := e.validate(); err != nil {
		return nil, err
	}
	act, ok := ocsfActivities[e.Action]
	if !ok {
		act.id, act.name = ocsfOther, string(e.Action)
	}
	o := ocsfEvent{
		ActivityID:   act.id,
		ActivityName: act.name,
		CategoryUID:  ocsfCategoryUID,
		CategoryName: "Application Activity",
		ClassUID:     ocsfClassUID,
		ClassName:    "Datastore Activity",
		TypeUID:      ocsfClassUID*100 + act.id,
		TypeName:     "Datastore Activity: " + act.name,
		Time:         e.Time.UnixMilli(),
		SeverityID:   1,
		Severity:     "Informational",
		StatusDetail: e.Reason,
		Metadata: ocsfMetadata{
			Version:        ocsfVersion,
			Product:        product,
			CorrelationUID: e.CorrelationID,
		},
		Actor:    ocsfActor{User: ocsfUser{UID: e.Actor.ID}},
		Unmapped: ocsfUnmapped{Action: e.Action, Subject: e.Subject, Purpose: e.Purpose, BreakGlass: e.BreakGlass},
	}
	if e.Actor.Role != "" {
		o.Actor.User.Groups = []ocsfGroup{{Name: e.Actor.Role}}
	}
	if e.Resource != "" {
		o.Table = &ocsfTable{Name: e.Resource}
		o.TypeID, o.Type = 3, "Table"
	} else {
		o.Type = "Unknown"
	}
	switch e.Outcome {
	case OutcomeAllowed:
		o.StatusID, o.Status = 1, "Success"
		o.ActionID, o.ActionName = 1, "Allowed"
		o.DispositionID, o.Disposition = 1, "Allowed"
	case OutcomeDenied:
		o.StatusID, o.Status = 2, "Failure"
		o.ActionID, o.ActionName = 2, "Denied"
		o.DispositionID, o.Disposition = 2, "Blocked"
		o.SeverityID, o.Severity = 2, "Low"
	default:
		o.StatusID, o.Status = 2, "Failure"
		o.ActionName, o.Disposition = "Unknown", "Unknown"
		o.SeverityID, o.Severity = 2, "Low"
	}
	if e.BreakGlass {
		o.SeverityID, o.Severity = 3, "Medium"
	}
	o.Message = ocsfMessage(&e)
	b, err := json.Marshal(o)
	if err != nil {
		return nil, err
	}
	return escapeJSON(b), nil
}

// ocsfMessage is a short human summary without the subject.
func ocsfMessage(e *Event) string {
	var sb strings.Builder
	if e.BreakGlass {
		sb.WriteString("break-glass ")
	}
	sb.WriteString(string(e.Action))
	sb.WriteByte(' ')
	sb.WriteString(e.Outcome.String())
	return sb.String()
}
