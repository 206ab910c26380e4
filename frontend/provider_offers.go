package frontend

import (
	"github.com/gin-gonic/gin"

	"github.com/carebroker/carebroker/brokerage"
	"github.com/carebroker/carebroker/internal/money"
)

// A provider's offers, where each stands, and the agreements they led to.

type providerOffersData struct {
	Offers     Table
	Agreements Table
}

// providerOffers lists the organisation's offers and where each stands,
// and its agreements with their documents.
func (f *Frontend) providerOffers(c *gin.Context) error {
	invs, err := load(f, c, f.brokerage, (*brokerage.Service).Invitations)
	if err != nil {
		return err
	}
	d := providerOffersData{
		Offers: Table{Caption: "Your offers", Small: true, Head: []Cell{{Text: "Request"}, {Text: "Service"},
			{Text: "Price a week", Numeric: true}, {Text: "Could start"}, {Text: "Status"}}},
		Agreements: Table{Caption: "Your agreements", Small: true, Head: []Cell{{Text: "Agreement"}, {Text: "Request"},
			{Text: "Weekly cost", Numeric: true}, {Text: "Starts"}, {Text: "Document"}}},
	}
	for _, inv := range invs {
		o := inv.Offer
		if o == nil {
			continue
		}
		tag := StatusTag(inv.Outcome)
		d.Offers.Rows = append(d.Offers.Rows, []Cell{{Text: inv.Request.Reference, Href: invitationPath(inv.ID)},
			{Text: requestAmount(inv.Request)}, {Text: money.Format(o.WeeklyPricePence), Numeric: true}, {Text: o.EarliestStart.UK()}, {Tag: &tag}})
		if inv.Outcome != "agreed" {
			continue
		}
		ag, err := f.providerAgreement(c, inv.RequestID)
		if err != nil {
			return err
		}
		if ag == nil {
			continue
		}
		ref := ag.Summary.Rows[0].Value
		d.Agreements.Rows = append(d.Agreements.Rows, []Cell{{Text: ref, Href: ag.HTML}, {Text: inv.Request.Reference},
			{Text: money.Format(o.WeeklyPricePence), Numeric: true}, {Text: inv.AgreedStartDate.UK()},
			{Text: "Download " + ref + " (PDF)", Href: ag.PDF}})
	}
	return f.ok(c, "provider_offers", View{Title: "Offers and agreements", Data: d})
}
