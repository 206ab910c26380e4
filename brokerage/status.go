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
	Chosen:         {Agreed, OffersReceived, Matching, OnHold, Cancelled}, // back when the chosen provider cannot start
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

// Is says where a request in s stands, as the rest of a sentence that
// begins with the request: "request BR-000007 has an offer chosen". A
// conflict message is built from it, never from the Label, which is a
// heading ("Offer chosen") and reads badly inside a sentence.
func (s Status) Is() string {
	switch s {
	case Open:
		return "is open and not yet matched"
	case Matching:
		return "is being matched"
	case Invited:
		return "is waiting for providers to answer"
	case OffersReceived:
		return "has offers to choose from"
	case Chosen:
		return "has an offer chosen"
	case Agreed:
		return "is agreed"
	case Cancelled:
		return "is cancelled"
	case OnHold:
		return "is on hold"
	case NoOffers:
		return "has no acceptable offers"
	}
	return "is " + string(s)
}

// becoming says what moving to s does, after "cannot be": "put on hold".
func (s Status) becoming() string {
	switch s {
	case Open:
		return "reopened"
	case Matching:
		return "matched"
	case Invited:
		return "sent to providers"
	case OffersReceived:
		return "given offers"
	case Chosen:
		return "given a chosen offer"
	case Agreed:
		return "agreed"
	case Cancelled:
		return "cancelled"
	case OnHold:
		return "put on hold"
	case NoOffers:
		return "marked as having no acceptable offers"
	}
	return "moved to " + string(s)
}
