package api

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/agreements"
	"github.com/carebroker/carebroker/internal/day"
	"github.com/carebroker/carebroker/internal/pgtest"
	"github.com/carebroker/carebroker/internal/postgres"
	"github.com/carebroker/carebroker/internal/redisx/redistest"
)

// agreementsHarness is the harness with the agreements store wired, and
// the database, so tests can make agreements and run the worker.
type agreementsHarness struct {
	*harness
	db *postgres.DB
}

func newAgreementsHarness(t *testing.T) *agreementsHarness {
	t.Helper()
	db := pgtest.New(t)
	cfg := testConfig(t)
	srv := New(Deps{Config: cfg, DB: db, Redis: redistest.New(t), Accounts: accounts.NewStore(db),
		Agreements: agreements.NewStore(db, agreements.WithCouncilName("Salford City Council"))})
	return &agreementsHarness{harness: &harness{t: t, srv: srv, cfg: cfg}, db: db}
}

// agreement commits an agreement for a new person with a new provider
// organisation: home care, 14 hours a week at £24.50, £343.00 a week.
func (h *agreementsHarness) agreement(team string) agreements.Agreement {
	h.t.Helper()
	n := agreements.NewAgreement{
		RequestID: uuid.New(), OfferID: uuid.New(), PlanID: uuid.New(), PersonID: uuid.New(),
		ProviderOrgID: uuid.New(), ServiceID: uuid.New(), PersonName: "Ada Lovelace",
		ProviderName: "Bridgewater Home Care Ltd", ServiceName: "Bridgewater Home Care (Salford)",
		ServiceType: "homecare", Team: team, HoursPerWeek: 14, HourlyRatePence: 2450, WeeklyCostPence: 34300,
		StartDate: day.MustParse("2026-12-01"), Funding: agreements.CouncilFunded,
		InformationPack: agreements.InformationPack{
			Needs:   []agreements.PackNeed{{Need: "Washing and dressing", Outcome: "Ready for the day", HowMet: "Morning visit"}},
			Contact: agreements.Contact{Name: "Ada Lovelace"}, Address: "12 Analytical Row, Salford", Postcode: "M5 4WT",
		},
	}
	var a agreements.Agreement
	err := h.db.Transaction(context.Background(), func(tx *postgres.Tx) error {
		var err error
		a, err = h.srv.Agreements.Create(context.Background(), tx, accounts.SystemActor, n)
		return err
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return a
}

// deliver runs one pass of the notification worker.
func (h *agreementsHarness) deliver() agreements.Report {
	h.t.Helper()
	w, err := agreements.NewWorker(h.db, h.srv.Redis, agreements.WorkerConfig{})
	if err != nil {
		h.t.Fatal(err)
	}
	r, err := w.DeliverDue(context.Background())
	if err != nil {
		h.t.Fatal(err)
	}
	return r
}

var emailSeq atomic.Int64

func (h *agreementsHarness) as(n accounts.NewUser) (accounts.User, string) {
	n.Email = fmt.Sprintf("%s-%d@agreements.test", n.Role, emailSeq.Add(1))
	// users.person_id and users.provider_org_id are foreign keys (to the
	// brokerage's persons and the directory's organisations): make the rows
	// these tests name by id alone.
	if n.PersonID != nil {
		h.db.Gorm(context.Background()).Exec(`INSERT INTO persons (id, name, date_of_birth, address, postcode, team) VALUES (?, 'Test Person', '1940-01-01', '1 Test Street', 'M5 4WT', 'community_led_support') ON CONFLICT DO NOTHING`, *n.PersonID)
	}
	if n.ProviderOrgID != nil {
		h.db.Gorm(context.Background()).Exec(`INSERT INTO provider_organisations (id, name) VALUES (?, ?) ON CONFLICT DO NOTHING`, *n.ProviderOrgID, "Test Provider "+n.ProviderOrgID.String())
	}
	return h.user(n)
}

func TestAgreementDetailAndDocumentsPerObject(t *testing.T) {
	t.Parallel()
	h := newAgreementsHarness(t)
	a := h.agreement("community_led_support")
	h.agreement("community_led_support") // someone else's
	org, person, otherOrg, otherPerson := a.ProviderOrgID, a.PersonID, uuid.New(), uuid.New()
	_, client := h.as(accounts.NewUser{Role: accounts.Client, PersonID: &person})
	_, otherClient := h.as(accounts.NewUser{Role: accounts.Client, PersonID: &otherPerson})
	_, provider := h.as(accounts.NewUser{Role: accounts.ProviderUser, ProviderOrgID: &org})
	_, otherProvider := h.as(accounts.NewUser{Role: accounts.ProviderUser, ProviderOrgID: &otherOrg})
	_, prac := h.as(accounts.NewUser{Role: accounts.Practitioner, Team: "community_led_support"})
	_, otherTeam := h.as(accounts.NewUser{Role: accounts.Practitioner, Team: "mental_health"})
	_, broker := h.as(accounts.NewUser{Role: accounts.Broker})
	_, admin := h.as(accounts.NewUser{Role: accounts.Admin})
	_, approver := h.as(accounts.NewUser{Role: accounts.BudgetApprover})
	_, fin := h.as(accounts.NewUser{Role: accounts.Finance})

	path := "/api/v1/agreements/" + a.ID.String()
	for name, tok := range map[string]string{"client": client, "provider": provider, "practitioner": prac, "broker": broker, "admin": admin} {
		r := h.do("GET", path, tok, nil)
		wantStatus(t, r, http.StatusOK)
		body := r.json(t)
		if body["reference"] != a.Reference || body["weekly_cost_pence"] != float64(34300) || body["start_date"] != "2026-12-01" {
			t.Fatalf("%s sees %s", name, r.Body)
		}
		if _, ok := body["information_pack"]; !ok {
			t.Fatalf("%s does not get the information pack", name)
		}
	}
	for name, tok := range map[string]string{"another client": otherClient, "another provider": otherProvider, "another team": otherTeam, "finance before notification": fin} {
		for _, p := range []string{path, path + "/document.pdf", path + "/document.html"} {
			wantProblem(t, h.do("GET", p, tok, nil), http.StatusNotFound, "")
		}
		_ = name
	}
	wantProblem(t, h.do("GET", path, approver, nil), http.StatusForbidden, "")
	wantProblem(t, h.do("GET", path, "", nil), http.StatusUnauthorized, "")
	// A malformed id names nothing: 404, naming the parameter (it was 400 before the API had one path-id parser).
	wantProblem(t, h.do("GET", "/api/v1/agreements/not-a-uuid", broker, nil), http.StatusNotFound, "id")
	wantProblem(t, h.do("GET", "/api/v1/agreements/"+uuid.NewString(), broker, nil), http.StatusNotFound, "")

	pdf := h.do("GET", path+"/document.pdf", provider, nil)
	wantStatus(t, pdf, http.StatusOK)
	if pdf.Header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(pdf.Body, []byte("%PDF-")) ||
		pdf.Header.Get("Content-Disposition") != `attachment; filename="`+a.Reference+`.pdf"` {
		t.Fatalf("PDF response: %v", pdf.Header)
	}
	html := h.do("GET", path+"/document.html", client, nil)
	wantStatus(t, html, http.StatusOK)
	for _, want := range []string{a.Reference, "£343.00", "£24.50", "1 December 2026", "Salford City Council"} {
		if !strings.Contains(string(html.Body), want) {
			t.Errorf("the HTML document lacks %q", want)
		}
	}

	// Finance, once notified, sees the agreement without the pack and downloads its document.
	h.deliver()
	r := h.do("GET", path, fin, nil)
	wantStatus(t, r, http.StatusOK)
	if _, ok := r.json(t)["information_pack"]; ok {
		t.Fatal("finance is shown the information pack")
	}
	wantStatus(t, h.do("GET", path+"/document.pdf", fin, nil), http.StatusOK)
}

func TestReviewTasksAPI(t *testing.T) {
	t.Parallel()
	h := newAgreementsHarness(t)
	a := h.agreement("mental_health")
	_, prac := h.as(accounts.NewUser{Role: accounts.Practitioner, Team: "mental_health"})
	_, otherTeam := h.as(accounts.NewUser{Role: accounts.Practitioner, Team: "community_led_support"})
	_, broker := h.as(accounts.NewUser{Role: accounts.Broker})

	r := h.do("GET", "/api/v1/reviews", prac, nil)
	wantStatus(t, r, http.StatusOK)
	var list struct{ Items []agreements.ReviewTask }
	json.Unmarshal(r.Body, &list)
	if len(list.Items) != 3 || list.Items[0].Kind != agreements.WelfareCheck || list.Items[0].DueBy.String() != "2026-12-04" ||
		list.Items[1].DueFrom.String() != "2027-01-12" || list.Items[1].DueBy.String() != "2027-01-26" ||
		list.Items[2].DueBy.String() != "2027-12-01" || list.Items[0].Reference != a.Reference {
		t.Fatalf("reviews %s", r.Body)
	}
	wantProblem(t, h.do("GET", "/api/v1/reviews", broker, nil), http.StatusForbidden, "")
	wantProblem(t, h.do("GET", "/api/v1/reviews?status=later", prac, nil), http.StatusBadRequest, "status")
	wantProblem(t, h.do("GET", "/api/v1/reviews?limit=0", prac, nil), http.StatusBadRequest, "limit")
	if r := h.do("GET", "/api/v1/reviews", otherTeam, nil); !strings.Contains(string(r.Body), `"items":[]`) {
		t.Fatalf("another team's list: %s", r.Body)
	}

	complete := "/api/v1/reviews/" + list.Items[0].ID.String() + "/complete"
	wantProblem(t, h.do("POST", complete, prac, map[string]any{"outcome": "fine", "status": "completed"}), http.StatusBadRequest, "status")
	wantProblem(t, h.do("POST", complete, prac, map[string]any{"outcome": "  "}), http.StatusBadRequest, "outcome")
	wantProblem(t, h.do("POST", complete, prac, `{"outcome": 3}`), http.StatusBadRequest, "outcome")
	wantProblem(t, h.do("POST", complete, otherTeam, map[string]any{"outcome": "Visited"}), http.StatusNotFound, "")
	wantProblem(t, h.do("POST", complete, broker, map[string]any{"outcome": "Visited"}), http.StatusForbidden, "")
	r = h.do("POST", complete, prac, map[string]any{"outcome": "Visited; settling in"})
	wantStatus(t, r, http.StatusOK)
	if r.json(t)["status"] != "completed" {
		t.Fatalf("completed task %s", r.Body)
	}
	wantProblem(t, h.do("POST", complete, prac, map[string]any{"outcome": "again"}), http.StatusConflict, "")
}

func TestFinanceInboxAcknowledgeAndCSV(t *testing.T) {
	t.Parallel()
	h := newAgreementsHarness(t)
	a := h.agreement("community_led_support")
	org := a.ProviderOrgID
	_, fin := h.as(accounts.NewUser{Role: accounts.Finance})
	_, provider := h.as(accounts.NewUser{Role: accounts.ProviderUser, ProviderOrgID: &org})

	r := h.do("GET", "/api/v1/finance/notifications", fin, nil)
	wantStatus(t, r, http.StatusOK)
	if !strings.Contains(string(r.Body), `"items":[]`) {
		t.Fatalf("finance inbox before delivery: %s", r.Body)
	}
	h.deliver()
	var list struct{ Items []agreements.Notification }
	r = h.do("GET", "/api/v1/finance/notifications", fin, nil)
	json.Unmarshal(r.Body, &list)
	if len(list.Items) != 1 || *list.Items[0].AgreementID != a.ID || !strings.Contains(list.Items[0].Body, "£343.00") {
		t.Fatalf("finance inbox: %s", r.Body)
	}
	ack := "/api/v1/finance/notifications/" + list.Items[0].ID.String() + "/acknowledge"
	wantProblem(t, h.do("POST", ack, provider, nil), http.StatusForbidden, "")
	r = h.do("POST", ack, fin, nil)
	wantStatus(t, r, http.StatusOK)
	if r.json(t)["acknowledged_at"] == nil {
		t.Fatalf("acknowledged: %s", r.Body)
	}
	wantProblem(t, h.do("POST", ack, fin, nil), http.StatusConflict, "")
	if r := h.do("GET", "/api/v1/finance/notifications?status=acknowledged", fin, nil); !strings.Contains(string(r.Body), a.Reference) {
		t.Fatalf("acknowledged list: %s", r.Body)
	}
	wantProblem(t, h.do("GET", "/api/v1/finance/notifications?status=soon", fin, nil), http.StatusBadRequest, "status")

	// The provider's own notification is not the finance team's.
	var provList struct{ Items []agreements.Notification }
	json.Unmarshal(h.do("GET", "/api/v1/notifications", provider, nil).Body, &provList)
	if len(provList.Items) != 1 {
		t.Fatalf("provider inbox has %d", len(provList.Items))
	}
	wantProblem(t, h.do("POST", "/api/v1/finance/notifications/"+provList.Items[0].ID.String()+"/acknowledge", fin, nil), http.StatusNotFound, "")

	csvResp := h.do("GET", "/api/v1/finance/agreements.csv", fin, nil)
	wantStatus(t, csvResp, http.StatusOK)
	if csvResp.Header.Get("Content-Type") != "text/csv; charset=utf-8" || !strings.HasPrefix(csvResp.Header.Get("Content-Disposition"), `attachment; filename="finance-agreements-`) {
		t.Fatalf("CSV headers %v", csvResp.Header)
	}
	rows, err := csv.NewReader(bytes.NewReader(csvResp.Body)).ReadAll()
	if err != nil || len(rows) != 2 || rows[1][0] != a.Reference {
		t.Fatalf("agreements CSV %q (%v)", csvResp.Body, err)
	}
	rows, _ = csv.NewReader(bytes.NewReader(h.do("GET", "/api/v1/finance/notifications.csv", fin, nil).Body)).ReadAll()
	if len(rows) != 2 {
		t.Fatalf("notifications CSV has %d rows, want header + 1", len(rows))
	}
	wantProblem(t, h.do("GET", "/api/v1/finance/agreements.csv", provider, nil), http.StatusForbidden, "")
}
