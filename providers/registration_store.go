package providers

import (
	"context"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/internal/postgres"
)

// ServiceRegistration is where a service is registered with the CQC: its
// location's CQC id, name and address.
type ServiceRegistration struct {
	CQCLocationID string
	LocationName  string
	Address       string
	Postcode      string
}

// Registration reads where the service is registered, on conn (the
// caller's transaction, so a use case holding one asks for no second
// connection). A service not in the directory has an empty registration.
func (s *Store) Registration(ctx context.Context, conn postgres.Conn, serviceID uuid.UUID) (ServiceRegistration, error) {
	var r ServiceRegistration
	err := conn.Gorm(ctx).Raw(`SELECT coalesce(l.cqc_location_id, '') AS cqc_location_id, l.name AS location_name, l.address, l.postcode
		FROM provider_services s JOIN provider_locations l ON l.id = s.location_id WHERE s.id = ?`, serviceID).Scan(&r).Error
	return r, postgres.Translate(err)
}
