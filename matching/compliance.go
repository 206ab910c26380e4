package matching

// Compliance is what the council knows about a service's standing on its contracts and with the
// regulator. A service is eligible for a request only if it is compliant on the request's start
// date; Rules.ComplianceOn says whether it is without a request.
type Compliance struct {
	// Inactive marks a service its provider no longer offers.
	Inactive bool `json:"inactive,omitempty"`
	// Memberships are the frameworks, contracts and dynamic purchasing systems the service is on.
	// At least one must be in force on the start date.
	Memberships []Membership `json:"memberships"`
	// ContractStatus is the state of the provider's contract with the council today.
	ContractStatus ContractStatus `json:"contract_status"`
	// Suspensions are the council's suspensions and embargoes, each over a window of days.
	Suspensions []Suspension `json:"suspensions,omitempty"`
	// Insurance is the spans of days the provider's accepted insurance evidence covers, in any
	// order. One of them must cover the start date: no evidence, evidence that has run out,
	// evidence that begins later and a gap between two certificates each exclude the service.
	Insurance []Cover `json:"insurance,omitempty"`
	// CQCRegistered says whether the service is registered with the Care Quality Commission.
	CQCRegistered bool `json:"cqc_registered"`
	// CQCRating is the service's current CQC rating.
	CQCRating Rating `json:"cqc_rating"`
}

// Membership is a place on a framework, contract or dynamic purchasing system for a span of days.
type Membership struct {
	Kind string `json:"kind"` // "framework", "contract" or "dps"
	Name string `json:"name,omitempty"`
	From Date   `json:"from"`
	To   Date   `json:"to,omitempty"` // last day in force; zero means open-ended
}

// Suspension is a window in which the council will not place with a service.
type Suspension struct {
	Kind   string `json:"kind"` // "suspension" or "embargo"
	From   Date   `json:"from"`
	To     Date   `json:"to,omitempty"` // last day; zero means until further notice
	Reason string `json:"reason,omitempty"`
}

// Cover is a span of days one piece of evidence covers, first and last day included.
type Cover struct {
	From Date `json:"from"`
	To   Date `json:"to,omitempty"` // last day covered; zero means open-ended
}

// ContractStatus is the state of a provider's contract with the council.
type ContractStatus string

// The contract statuses. Only an active contract allows new placements.
const (
	ContractActive     ContractStatus = "active"
	ContractPending    ContractStatus = "pending"
	ContractSuspended  ContractStatus = "suspended"
	ContractTerminated ContractStatus = "terminated"
	ContractExpired    ContractStatus = "expired"
)

var (
	contractStatuses = []string{string(ContractActive), string(ContractPending), string(ContractSuspended), string(ContractTerminated), string(ContractExpired)}
	membershipKinds  = []string{"framework", "contract", "dps"}
	suspensionKinds  = []string{"suspension", "embargo"}
)

// covers reports whether the span from..to (to zero meaning open-ended) includes day.
func covers(from, to, day Date) bool {
	return from <= day && (to == 0 || day <= to)
}
