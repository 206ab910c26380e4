package api

import (
	"context"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/providers"
)

// organisationsQuery is what GET /provider-organisations reads: search,
// limit (1 to 500, 100 by default) and offset.
type organisationsQuery struct {
	paging
	Search string
	Offset int
}

func (q *organisationsQuery) readInput(c *gin.Context) (err error) {
	if err = q.readPaging(c, 100, 500); err != nil {
		return err
	}
	q.Search = c.Query("search")
	q.Offset, err = queryInt(c, "offset", 0, 0, 0)
	return err
}

// organisations pages through the provider organisations, matching search
// if given.
func (s *Server) organisations(ctx context.Context, a accounts.Actor, q organisationsQuery) (list, error) {
	orgs, err := s.Providers.Organisations(ctx, a, q.Search, q.Limit, q.Offset)
	return q.list(orgs, len(orgs), "offset", strconv.Itoa(q.Offset+q.Limit)), err
}

type organisationResponse struct {
	Organisation providers.Organisation `json:"organisation"`
	Services     []providers.Service    `json:"services"`
}

// organisation is an organisation with its services.
func (s *Server) organisation(ctx context.Context, a accounts.Actor, id uuid.UUID) (organisationResponse, error) {
	org, err := s.Providers.OrganisationFor(ctx, a, id)
	if err != nil {
		return organisationResponse{}, err
	}
	services, err := s.Providers.OrganisationServices(ctx, org.ID)
	return organisationResponse{Organisation: org, Services: services}, err
}

type locationResponse struct {
	Location providers.Location  `json:"location"`
	Services []providers.Service `json:"services"`
}

// createLocation records a location with the services it offers.
func (s *Server) createLocation(ctx context.Context, a accounts.Actor, n providers.NewLocation) (locationResponse, error) {
	loc, services, err := s.Providers.CreateLocation(ctx, a, n)
	return locationResponse{Location: loc, Services: services}, err
}

type capacityResponse struct {
	Unit     string                   `json:"unit"`
	Calendar []providers.CapacityStep `json:"calendar"`
}

// capacity is a service's capacity calendar, in its unit (hours or
// places).
func (s *Server) capacity(ctx context.Context, a accounts.Actor, id uuid.UUID) (capacityResponse, error) {
	steps, err := s.Providers.Capacity(ctx, a, id)
	return s.inUnit(ctx, a, id, steps, err)
}

// setCapacity changes a service's capacity from a day, answering with the
// calendar as it now stands.
func (s *Server) setCapacity(ctx context.Context, a accounts.Actor, id uuid.UUID, change providers.CapacityChange) (capacityResponse, error) {
	steps, err := s.Providers.SetCapacity(ctx, a, id, change)
	return s.inUnit(ctx, a, id, steps, err)
}

// inUnit gives the capacity steps read or written (unless err) the
// service's unit.
func (s *Server) inUnit(ctx context.Context, a accounts.Actor, id uuid.UUID, steps []providers.CapacityStep, err error) (capacityResponse, error) {
	if err != nil {
		return capacityResponse{}, err
	}
	svc, err := s.Providers.ServiceFor(ctx, a, id)
	return capacityResponse{Unit: svc.ServiceType.Unit(), Calendar: steps}, err
}
