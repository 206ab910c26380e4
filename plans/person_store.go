package plans

import (
	"context"

	"github.com/carebroker/carebroker/internal/postgres"
	"github.com/google/uuid"
)

// insertPerson writes a new person, setting its id.
func (s *Store) insertPerson(ctx context.Context, p *Person) error {
	row := personRow(*p)
	err := s.db.Gorm(ctx).Omit("id").Create(&row).Error
	p.ID = row.ID
	return dbErr(err)
}

// Person returns the person with id, or NotFound.
func (s *Store) Person(ctx context.Context, id uuid.UUID) (Person, error) {
	var row personRow
	err := s.db.Gorm(ctx).Where("id = ?", id).Take(&row).Error
	return Person(row), postgres.NotFound(err, ErrNoPerson)
}

// persons lists persons by name; team "" means every team.
func (s *Store) persons(ctx context.Context, team string, limit int) ([]Person, error) {
	q := s.db.Gorm(ctx).Order("name, id").Limit(limit)
	if team != "" {
		q = q.Where("team = ?", team)
	}
	var rows []personRow
	err := q.Find(&rows).Error
	return personsFrom(rows), dbErr(err)
}

// personByName finds a person of a team by exact name, for the demo seed.
func (s *Store) personByName(ctx context.Context, team, name string) (Person, error) {
	var row personRow
	err := s.db.Gorm(ctx).Where("team = ? AND name = ?", team, name).Order("created_at").Take(&row).Error
	return Person(row), postgres.NotFound(err, ErrNoPerson)
}

// PersonNames returns the names of the persons with the given ids, by id.
func (s *Store) PersonNames(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]string, error) {
	names := map[uuid.UUID]string{}
	if len(ids) == 0 {
		return names, nil
	}
	var ps []personRow
	if err := s.db.Gorm(ctx).Select("id", "name").Where("id IN ?", ids).Find(&ps).Error; err != nil {
		return nil, dbErr(err)
	}
	for _, p := range ps {
		names[p.ID] = p.Name
	}
	return names, nil
}
