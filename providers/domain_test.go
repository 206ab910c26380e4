package providers

import (
	"testing"

	"github.com/carebroker/carebroker/internal/day"
)

func TestServiceTypeContract(t *testing.T) {
	t.Parallel()
	codes := []string{"homecare", "specialist_homecare", "residential_care", "nursing_care", "specialist_residential_nursing",
		"supported_living", "respite", "specialist_respite", "day_services", "specialist_day_services", "shared_lives", "reablement"}
	if len(ServiceTypes) != len(codes) {
		t.Fatalf("%d service types, want %d", len(ServiceTypes), len(codes))
	}
	hours := map[string]bool{"homecare": true, "specialist_homecare": true, "supported_living": true, "reablement": true}
	specialist := map[string]bool{"specialist_homecare": true, "specialist_residential_nursing": true, "supported_living": true,
		"specialist_respite": true, "specialist_day_services": true}
	for i, code := range codes {
		st, ok := ParseServiceType(code)
		if !ok || st != ServiceTypes[i] {
			t.Errorf("%s does not parse to ServiceTypes[%d]", code, i)
		}
		if st.HourBased() != hours[code] || st.Specialist() != specialist[code] {
			t.Errorf("%s: hour-based %v specialist %v", code, st.HourBased(), st.Specialist())
		}
	}
	if _, ok := ParseServiceType("care_home"); ok {
		t.Error("care_home parsed as a service type")
	}
}

func TestFromCQC(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name            string
		want            ServiceType
		brokered, known bool
	}{
		{"Residential homes", ResidentialCare, true, true},
		{"Nursing homes", NursingCare, true, true},
		{"homecare agencies", Homecare, true, true},
		{"Supported living", SupportedLiving, true, true},
		{"Shared lives", SharedLives, true, true},
		{"Rehabilitation (illness/injury)", Reablement, true, true},
		{"Hospice", "", false, true},
		{"Rehabilitation (substance abuse)", "", false, true},
		{"Long-term conditions", "", false, true},
		{"Diagnosis/screening", "", false, true},
		{"Education disability services", "", false, true},
		{"Spaceship repairs", "", false, false},
	}
	for _, tt := range tests {
		got, brokered, known := FromCQC(tt.name)
		if got != tt.want || brokered != tt.brokered || known != tt.known {
			t.Errorf("FromCQC(%q) = %q, %v, %v", tt.name, got, brokered, known)
		}
	}
}

func TestNormalisePostcode(t *testing.T) {
	t.Parallel()
	good := map[string]string{"m41 5bu": "M41 5BU", "M415BU": "M41 5BU", " wa15  8sn ": "WA15 8SN", "SK7 2HW": "SK7 2HW",
		"EC1A 1BB": "EC1A 1BB", "W1A 0AX": "W1A 0AX", "B33 8TH": "B33 8TH", "GIR 0AA": "GIR 0AA"}
	for in, want := range good {
		if got, ok := NormalisePostcode(in); !ok || got != want {
			t.Errorf("NormalisePostcode(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "ABC 1234", "M41", "M41 5B", "Q1 1AA", "M41 5BC", "12345", "M41-5BU!", "NOTAPOSTCODE"} {
		if got, ok := NormalisePostcode(bad); ok {
			t.Errorf("NormalisePostcode(%q) = %q, accepted", bad, got)
		}
	}
	if d := PostcodeDistrict("WA15 8SN"); d != "WA15" {
		t.Errorf("district %q", d)
	}
}

func TestNormalisePhone(t *testing.T) {
	t.Parallel()
	good := map[string]string{"0161 123 4567": "01611234567", "+44 161 123 4567": "01611234567", "(0161) 123-4567": "01611234567"}
	for in, want := range good {
		if got, ok := NormalisePhone(in); !ok || got != want {
			t.Errorf("NormalisePhone(%q) = %q, %v", in, got, ok)
		}
	}
	for _, bad := range []string{"1617777e3", "12345", "0061 123 4567", "phone me"} {
		if _, ok := NormalisePhone(bad); ok {
			t.Errorf("NormalisePhone(%q) accepted", bad)
		}
	}
}

func TestFreeFromTakesTheLeastFreeFromThatDayOn(t *testing.T) {
	t.Parallel()
	cal := []CapacityStep{
		{From: day.MustParse("2026-11-01"), Units: 30, Free: 30},
		{From: day.MustParse("2026-12-01"), Units: 30, Reserved: 20, Free: 10},
		{From: day.MustParse("2027-01-01"), Units: 40, Reserved: 20, Free: 20},
	}
	tests := map[string]int{"2026-10-31": 0, "2026-11-01": 10, "2026-12-01": 10, "2026-12-31": 10, "2027-01-01": 20, "2030-01-01": 20}
	for d, want := range tests {
		if got := FreeFrom(cal, day.MustParse(d)); got != want {
			t.Errorf("FreeFrom(%s) = %d, want %d", d, got, want)
		}
	}
}
