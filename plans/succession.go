package plans

import (
	"time"

	"github.com/google/uuid"
)

// Succession says how a need of a signed-off plan follows on from a need
// of an earlier plan.
type Succession string

// The successions.
const (
	Continues Succession = "continues" // the earlier arrangement goes on meeting it
	Replaces  Succession = "replaces"  // a new arrangement; the earlier one ends once it is in place
)

// NeedSuccession records that a need of a signed-off plan follows on from a
// need of an earlier plan (an interim plan's, or the version a review
// replaced), and how.
type NeedSuccession struct {
	PreviousNeedID uuid.UUID
	NeedID         uuid.UUID
	Kind           Succession
	CreatedAt      time.Time
}
