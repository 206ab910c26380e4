package brokerage

// Status is where a request is in brokerage. The set is closed: a request
// moves only along the edges in next, through the methods of Request.
type Status string

// The request statuses.
const (
	Open           Status = "open"            // signed off, not yet worked
	Matching       Status = "matching"        // a broker has run the matcher
	Invited        Status = "invited"         // providers invited; waiting for answers
	OffersReceived Status = "offers_received" // at least one offer in
	Chosen         Status = "chosen"          // the person has picked an offer
	Agreed         Status = "agreed"          // start date agreed; agreement made
	Cancelled      Status = "cancelled"       // no longer needed
	OnHold         Status = "on_hold"         // paused (hospital stay, say); resumes where it was
	NoOffers       Status = "no_offers"       // deadline passed with nothing acceptable
)

// Statuses lists every status in workflow order.
var Statuses = []Status{Open, Matching, Invited, OffersReceived, Chosen, Agreed, NoOffers, OnHold, Cancelled}

// next is the whole state machine: the statuses each status may move to.
var next = map[Status][]Status{
	Open:           {Matching, OnHold, Cancelled},
	Matching:       {Invited, OnHold, Cancelled},
	Invited:        {OffersReceived, NoOffers, OnHold, Cancelled},
	OffersReceived: {Chosen, NoOffers, OnHold, Cancelled},
	NoOffers:       {Matching, Invited, OnHold, Cancelled},
	Chosen:         {Agreed, OffersReceived, OnHold, Cancelled},
	OnHold:         {Open, Matching, Invited, OffersReceived, NoOffers, Chosen, Cancelled},
	Agreed:         {},
	Cancelled:      {},
}

// Valid reports whether s is one of Statuses.
func (s Status) Valid() bool {
	_, ok := next[s]
	return ok
}

// CanMove reports whether the state machine has an edge from s to to.
func (s Status) CanMove(to Status) bool {
	for _, n := range next[s] {
		if n == to {
			return true
		}
	}
	return false
}

// Final reports whether nothing more can happen to a request in s.
func (s Status) Final() bool { return len(next[s]) == 0 && s.Valid() }

// TakesOffers reports whether providers may answer invitations in s.
func (s Status) TakesOffers() bool { return s == Invited || s == OffersReceived }

// Label is the status as people read it.
func (s Status) Label() string {
	switch s {
	case Open:
		return "Open"
	case Matching:
		return "Matching"
	case Invited:
		return "Providers invited"
	case OffersReceived:
		return "Offers received"
	case Chosen:
		return "Offer chosen"
	case Agreed:
		return "Agreed"
	case Cancelled:
		return "Cancelled"
	case OnHold:
		return "On hold"
	case NoOffers:
		return "No acceptable offers"
	}
	return string(s)
}
