package api

import (
	"context"

	"github.com/google/uuid"

	"github.com/carebroker/carebroker/accounts"
	"github.com/carebroker/carebroker/providers"
)

type complianceResponse struct {
	OrganisationID       uuid.UUID                `json:"organisation_id"`
	ContractStatus       providers.ContractStatus `json:"contract_status"`
	ContractStatusReason string                   `json:"contract_status_reason,omitempty"`
	Memberships          []providers.Membership   `json:"memberships"`
	Suspensions          []providers.Suspension   `json:"suspensions"`
	Documents            []providers.Document     `json:"documents"`
}

// compliance is an organisation's contract status, framework memberships,
// suspensions and documents in one answer.
func (s *Server) compliance(ctx context.Context, a accounts.Actor, id uuid.UUID) (complianceResponse, error) {
	org, err := s.Providers.OrganisationFor(ctx, a, id)
	if err != nil {
		return complianceResponse{}, err
	}
	r := complianceResponse{OrganisationID: org.ID, ContractStatus: org.ContractStatus, ContractStatusReason: org.ContractStatusReason}
	if r.Memberships, err = s.Providers.Memberships(ctx, a, id); err != nil {
		return r, err
	}
	if r.Suspensions, err = s.Providers.Suspensions(ctx, a, id); err != nil {
		return r, err
	}
	r.Documents, err = s.Providers.Documents(ctx, a, id)
	return r, err
}

// frameworks lists the frameworks and dynamic purchasing systems, which
// every member of staff may see.
func (s *Server) frameworks(ctx context.Context, _ accounts.Actor) ([]providers.Framework, error) {
	return s.Providers.Frameworks(ctx)
}
