package api

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/providers"
)

// respond renders v with status, or the error as a problem document.
func respond[T any](c *gin.Context, status int, v T, err error) {
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(status, v)
}

// queryInt reads an optional whole-number query parameter.
func queryInt(c *gin.Context, name string, def int) (int, error) {
	raw, ok := c.GetQuery(name)
	if !ok || raw == "" {
		return def, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil {
		return 0, errs.InvalidField(name, "must be a whole number, not %q", raw)
	}
	return n, nil
}

func (s *Server) listOrganisations(c *gin.Context) {
	limit, err := queryInt(c, "limit", 100)
	if err != nil {
		fail(c, err)
		return
	}
	offset, err := queryInt(c, "offset", 0)
	if err != nil {
		fail(c, err)
		return
	}
	if limit < 1 || limit > 500 {
		fail(c, errs.InvalidField("limit", "must be from 1 to 500"))
		return
	}
	if offset < 0 {
		fail(c, errs.InvalidField("offset", "must not be negative"))
		return
	}
	orgs, err := s.Providers.Organisations(c.Request.Context(), actor(c), c.Query("search"), limit, offset)
	respond(c, http.StatusOK, gin.H{"organisations": orgs}, err)
}

func (s *Server) createOrganisation(c *gin.Context) {
	var body providers.NewOrganisation
	if err := bindJSON(c, &body); err != nil {
		fail(c, err)
		return
	}
	org, err := s.Providers.CreateOrganisation(c.Request.Context(), actor(c), body)
	respond(c, http.StatusCreated, org, err)
}

type organisationResponse struct {
	Organisation providers.Organisation `json:"organisation"`
	Services     []providers.Service    `json:"services"`
}

func (s *Server) getOrganisation(c *gin.Context) {
	id, ok := pathID(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	org, err := s.Providers.OrganisationFor(ctx, actor(c), id)
	if err != nil {
		fail(c, err)
		return
	}
	services, err := s.Providers.OrganisationServices(ctx, org.ID)
	respond(c, http.StatusOK, organisationResponse{Organisation: org, Services: services}, err)
}

type locationResponse struct {
	Location providers.Location  `json:"location"`
	Services []providers.Service `json:"services"`
}

func (s *Server) createLocation(c *gin.Context) {
	var body providers.NewLocation
	if err := bindJSON(c, &body); err != nil {
		fail(c, err)
		return
	}
	loc, services, err := s.Providers.CreateLocation(c.Request.Context(), actor(c), body)
	respond(c, http.StatusCreated, locationResponse{Location: loc, Services: services}, err)
}

func (s *Server) setRating(c *gin.Context) {
	id, ok := pathID(c)
	if !ok {
		return
	}
	var body providers.LocationRating
	if err := bindJSON(c, &body); err != nil {
		fail(c, err)
		return
	}
	loc, err := s.Providers.SetLocationRating(c.Request.Context(), actor(c), id, body)
	respond(c, http.StatusOK, loc, err)
}

func (s *Server) addService(c *gin.Context) {
	id, ok := pathID(c)
	if !ok {
		return
	}
	var body providers.NewService
	if err := bindJSON(c, &body); err != nil {
		fail(c, err)
		return
	}
	svc, err := s.Providers.AddService(c.Request.Context(), actor(c), id, body)
	respond(c, http.StatusCreated, svc, err)
}

func (s *Server) getService(c *gin.Context) {
	id, ok := pathID(c)
	if !ok {
		return
	}
	svc, err := s.Providers.ServiceFor(c.Request.Context(), actor(c), id)
	respond(c, http.StatusOK, svc, err)
}

func (s *Server) changeService(c *gin.Context) {
	id, ok := pathID(c)
	if !ok {
		return
	}
	var body providers.ServiceChanges
	if err := bindJSON(c, &body); err != nil {
		fail(c, err)
		return
	}
	svc, err := s.Providers.ChangeService(c.Request.Context(), actor(c), id, body)
	respond(c, http.StatusOK, svc, err)
}

type capacityResponse struct {
	Unit     string                   `json:"unit"`
	Calendar []providers.CapacityStep `json:"calendar"`
}

func (s *Server) getCapacity(c *gin.Context) {
	id, ok := pathID(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	svc, err := s.Providers.ServiceFor(ctx, actor(c), id)
	if err != nil {
		fail(c, err)
		return
	}
	steps, err := s.Providers.Capacity(ctx, actor(c), id)
	respond(c, http.StatusOK, capacityResponse{Unit: svc.ServiceType.Unit(), Calendar: steps}, err)
}

func (s *Server) setCapacity(c *gin.Context) {
	id, ok := pathID(c)
	if !ok {
		return
	}
	var body providers.CapacityChange
	if err := bindJSON(c, &body); err != nil {
		fail(c, err)
		return
	}
	ctx := c.Request.Context()
	steps, err := s.Providers.SetCapacity(ctx, actor(c), id, body)
	if err != nil {
		fail(c, err)
		return
	}
	svc, err := s.Providers.ServiceFor(ctx, actor(c), id)
	respond(c, http.StatusOK, capacityResponse{Unit: svc.ServiceType.Unit(), Calendar: steps}, err)
}

func (s *Server) getRates(c *gin.Context) {
	id, ok := pathID(c)
	if !ok {
		return
	}
	rates, err := s.Providers.Rates(c.Request.Context(), actor(c), id)
	respond(c, http.StatusOK, gin.H{"rates": rates}, err)
}

func (s *Server) addRate(c *gin.Context) {
	id, ok := pathID(c)
	if !ok {
		return
	}
	var body providers.NewRate
	if err := bindJSON(c, &body); err != nil {
		fail(c, err)
		return
	}
	rate, err := s.Providers.AddRate(c.Request.Context(), actor(c), id, body)
	respond(c, http.StatusCreated, rate, err)
}
