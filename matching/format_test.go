package matching

import (
	"math"
	"testing"
)

func TestFormatPence(t *testing.T) {
	t.Parallel()
	tests := []struct {
		pence int64
		want  string
	}{
		{0, "£0.00"},
		{5, "£0.05"},
		{99, "£0.99"},
		{100, "£1.00"},
		{35000, "£350.00"},
		{39200, "£392.00"},
		{123456, "£1,234.56"},
		{100000000, "£1,000,000.00"},
		{-4200, "-£42.00"},
		{math.MaxInt64, "£92,233,720,368,547,758.07"},
		{math.MinInt64, "-£92,233,720,368,547,758.08"},
	}
	for _, tt := range tests {
		if got := FormatPence(tt.pence); got != tt.want {
			t.Errorf("FormatPence(%d) = %q, want %q", tt.pence, got, tt.want)
		}
	}
}

func TestFormatNumbers(t *testing.T) {
	t.Parallel()
	tests := []struct{ got, want string }{
		{formatKm(12.44), "12.4 km"},
		{formatKm(10), "10 km"},
		{formatKm(9.96), "10 km"},
		{formatKm(0.04), "0 km"},
		{formatAmount(2000, UnitHours), "20 hours a week"},
		{formatAmount(100, UnitHours), "1 hour a week"},
		{formatAmount(1050, UnitHours), "10.5 hours a week"},
		{formatAmount(100, UnitPlaces), "1 place"},
		{formatAmount(300, UnitPlaces), "3 places"},
		{formatPoints(22500), "22.5"},
		{formatPoints(0), "0.0"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

func TestDistanceKm(t *testing.T) {
	t.Parallel()
	// Manchester Piccadilly to Stockport station is about 9.3 km as the crow flies.
	if d := DistanceKm(53.4774, -2.2309, 53.4053, -2.1634); d < 9.0 || d > 9.6 {
		t.Errorf("Manchester to Stockport = %.2f km", d)
	}
	if d := DistanceKm(53.5, -2.2, 53.5, -2.2); d != 0 {
		t.Errorf("distance to itself = %v", d)
	}
	// A degree of latitude is about 111.2 km.
	if d := DistanceKm(53, -2, 54, -2); math.Abs(d-111.19) > 0.01 {
		t.Errorf("one degree of latitude = %.3f km", d)
	}
}
