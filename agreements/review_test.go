package agreements

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/day"
)

func TestScheduleFor(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                                string
		start                               string
		welfare, firstFrom, firstBy, annual string
	}{
		{"ordinary", "2026-12-01", "2026-12-04", "2027-01-12", "2027-01-26", "2027-12-01"},
		{"welfare check crosses the year end", "2026-12-30", "2027-01-02", "2027-02-10", "2027-02-24", "2027-12-30"},
		{"month end", "2027-01-31", "2027-02-03", "2027-03-14", "2027-03-28", "2028-01-31"},
		{"late February in a leap year", "2028-02-27", "2028-03-01", "2028-04-09", "2028-04-23", "2029-02-27"},
		{"late February in a common year", "2027-02-27", "2027-03-02", "2027-04-10", "2027-04-24", "2028-02-27"},
		{"leap day: first anniversary is 28 February", "2028-02-29", "2028-03-03", "2028-04-11", "2028-04-25", "2029-02-28"},
		{"28 February before a leap year stays 28 February", "2027-02-28", "2027-03-03", "2027-04-11", "2027-04-25", "2028-02-28"},
		{"first review window spans a leap day", "2028-01-20", "2028-01-23", "2028-03-02", "2028-03-16", "2029-01-20"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := ScheduleFor(day.MustParse(tt.start))
			want := ReviewSchedule{
				WelfareCheckDue: day.MustParse(tt.welfare), FirstReviewFrom: day.MustParse(tt.firstFrom),
				FirstReviewBy: day.MustParse(tt.firstBy), AnnualReviewDue: day.MustParse(tt.annual),
			}
			if got != want {
				t.Fatalf("ScheduleFor(%s) =\n %+v, want\n %+v", tt.start, got, want)
			}
		})
	}
}

func TestAnniversaries(t *testing.T) {
	t.Parallel()
	tests := []struct {
		start string
		years int
		want  string
	}{
		{"2028-02-29", 1, "2029-02-28"},
		{"2028-02-29", 4, "2032-02-29"}, // a leap year again: the true anniversary
		{"2026-08-31", 1, "2027-08-31"},
		{"2026-12-31", 2, "2028-12-31"},
	}
	for _, tt := range tests {
		if got := AnniversaryOf(day.MustParse(tt.start), tt.years); got.String() != tt.want {
			t.Errorf("AnniversaryOf(%s, %d) = %s, want %s", tt.start, tt.years, got, tt.want)
		}
	}
}

func TestNextAnnualFollowsTheStartDateAnniversary(t *testing.T) {
	t.Parallel()
	start := day.MustParse("2028-02-29")
	first := ScheduleFor(start).AnnualReviewDue // 2029-02-28
	second := nextAnnual(start, first)
	if second.DueBy.String() != "2030-02-28" || second.DueFrom.String() != "2030-01-31" || second.Kind != AnnualReview {
		t.Fatalf("second yearly review %+v, want due 2030-02-28 from 2030-01-31", second)
	}
	third := nextAnnual(start, second.DueBy)
	if third.DueBy.String() != "2031-02-28" {
		t.Fatalf("third yearly review due %s, want 2031-02-28", third.DueBy)
	}
	// Never more than 12 months after the previous one.
	for _, r := range []ReviewTask{second, third} {
		if r.DueBy.After(AnniversaryOf(first, 3)) {
			t.Fatalf("review %s drifted", r.DueBy)
		}
	}
}

func TestReviewTaskCompletesOnce(t *testing.T) {
	t.Parallel()
	r := ReviewTask{Status: ReviewOpen}
	by := uuid.New()
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	if err := r.Complete(by, "  ", now); !errs.Is(err, errs.Invalid) {
		t.Fatalf("empty outcome: %v, want Invalid", err)
	}
	if r.Status != ReviewOpen {
		t.Fatal("a refused completion changed the task")
	}
	if err := r.Complete(by, "Settled in well; no changes", now); err != nil {
		t.Fatal(err)
	}
	if r.Status != ReviewCompleted || *r.CompletedBy != by || !r.CompletedAt.Equal(now) || r.Outcome != "Settled in well; no changes" {
		t.Fatalf("completed task %+v", r)
	}
	if err := r.Complete(by, "again", now); !errs.Is(err, errs.Conflict) {
		t.Fatalf("second completion: %v, want Conflict", err)
	}
}
