package accounts

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/carebroker/carebroker/errs"
	"github.com/carebroker/carebroker/internal/postgres"
)

// Store keeps users and refresh tokens in PostgreSQL.
type Store struct {
	db postgres.Conn
}

// NewStore returns a Store on db: the database, or a transaction a use case
// has open, which the store's writes then join.
func NewStore(db postgres.Conn) *Store { return &Store{db: db} }

// ErrBadCredentials is the one answer to any failed login, whatever failed,
// so that the answer does not tell whether an email has an account.
var ErrBadCredentials = errs.Unauthorizedf("the email address or password is wrong")

// CreateUser validates and stores a new user. It returns Invalid naming the
// field, or Conflict when the email is taken.
func (s *Store) CreateUser(ctx context.Context, n NewUser) (User, error) {
	if err := n.Validate(); err != nil {
		return User{}, err
	}
	u := User{
		Email: n.Email, DisplayName: n.DisplayName, PasswordHash: HashPassword(n.Password), Role: n.Role,
		ProviderOrgID: n.ProviderOrgID, PersonID: n.PersonID,
	}
	if n.Team != "" {
		u.Team = &n.Team
	}
	err := s.db.Gorm(ctx).Omit("id", "created_at", "password_changed_at").Create(&u).Error
	switch {
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return User{}, &errs.Error{Code: errs.Conflict, Field: "email", Message: "a user with this email already exists"}
	case errors.Is(err, gorm.ErrForeignKeyViolated):
		return User{}, errs.InvalidField("provider_org_id", "does not name an existing organisation or person")
	case err != nil:
		return User{}, postgres.Translate(err)
	}
	return s.User(ctx, u.ID)
}

// User returns the user with the given id, or NotFound.
func (s *Store) User(ctx context.Context, id uuid.UUID) (User, error) {
	var u User
	err := s.db.Gorm(ctx).Where("id = ?", id).Take(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return User{}, errs.NotFoundf("no such user")
	}
	return u, postgres.Translate(err)
}

// UserByEmail returns the user with the given email, or NotFound.
func (s *Store) UserByEmail(ctx context.Context, email string) (User, error) {
	var u User
	err := s.db.Gorm(ctx).Where("email = ?", NormaliseEmail(email)).Take(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return User{}, errs.NotFoundf("no such user")
	}
	return u, postgres.Translate(err)
}

// Users lists users, optionally of one role, by email.
func (s *Store) Users(ctx context.Context, role Role) ([]User, error) {
	q := s.db.Gorm(ctx).Order("email")
	if role != "" {
		q = q.Where("role = ?", role)
	}
	var us []User
	return us, postgres.Translate(q.Find(&us).Error)
}

// Authenticate checks an email and password. Every failure (no such email,
// wrong password, disabled account) returns ErrBadCredentials after the
// same amount of hashing work.
func (s *Store) Authenticate(ctx context.Context, email, password string) (User, error) {
	u, err := s.UserByEmail(ctx, email)
	if errs.Is(err, errs.NotFound) {
		VerifyPassword(dummyHash, password)
		return User{}, ErrBadCredentials
	}
	if err != nil {
		return User{}, err
	}
	if !VerifyPassword(u.PasswordHash, password) || u.DisabledAt != nil {
		return User{}, ErrBadCredentials
	}
	return u, nil
}

// ChangePassword sets a new password and revokes every refresh token of the
// user, so other sessions end.
func (s *Store) ChangePassword(ctx context.Context, id uuid.UUID, password string) error {
	if err := CheckPassword("password", password); err != nil {
		return err
	}
	return postgres.Translate(s.db.Transaction(ctx, func(tx *postgres.Tx) error {
		db := tx.Gorm(ctx)
		res := db.Model(&User{}).Where("id = ?", id).
			Updates(map[string]any{"password_hash": HashPassword(password), "password_changed_at": time.Now().UTC()})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return errs.NotFoundf("no such user")
		}
		return revokeAll(db, id)
	}))
}

// refreshToken is a row of refresh_tokens.
type refreshToken struct {
	ID        uuid.UUID `gorm:"type:uuid;primaryKey;default:gen_random_uuid()"`
	UserID    uuid.UUID `gorm:"type:uuid"`
	FamilyID  uuid.UUID `gorm:"type:uuid"`
	TokenHash []byte
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
	RevokedAt *time.Time
}

func (refreshToken) TableName() string { return "refresh_tokens" }

// RefreshTTL is how long a refresh token lives if unused.
const RefreshTTL = 12 * time.Hour

func hashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

func newTokenString() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// IssueRefreshToken starts a new family of refresh tokens for the user and
// returns its first token. Only its hash is stored.
func (s *Store) IssueRefreshToken(ctx context.Context, userID uuid.UUID) (string, error) {
	return issue(s.db.Gorm(ctx), userID, uuid.New())
}

func issue(tx *gorm.DB, userID, family uuid.UUID) (string, error) {
	token := newTokenString()
	now := time.Now().UTC()
	row := refreshToken{UserID: userID, FamilyID: family, TokenHash: hashToken(token), CreatedAt: now, ExpiresAt: now.Add(RefreshTTL)}
	if err := tx.Omit("id").Create(&row).Error; err != nil {
		return "", postgres.Translate(err)
	}
	return token, nil
}

// RotateRefreshToken spends a refresh token and returns its user and the
// next token of the same family. A token presented a second time means it
// was copied: the whole family is revoked and Unauthorized returned.
func (s *Store) RotateRefreshToken(ctx context.Context, token string) (User, string, error) {
	var (
		user User
		next string
	)
	reused := false
	err := s.db.Transaction(ctx, func(tx *postgres.Tx) error {
		db := tx.Gorm(ctx)
		var row refreshToken
		err := db.Clauses(clause.Locking{Strength: "UPDATE"}).Where("token_hash = ?", hashToken(token)).Take(&row).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return errs.Unauthorizedf("the refresh token is not valid; sign in again")
		}
		if err != nil {
			return err
		}
		now := time.Now().UTC()
		switch {
		case row.RevokedAt != nil || now.After(row.ExpiresAt):
			return errs.Unauthorizedf("the refresh token has expired or was revoked; sign in again")
		case row.UsedAt != nil:
			reused = true
			return db.Model(&refreshToken{}).Where("family_id = ? AND revoked_at IS NULL", row.FamilyID).Update("revoked_at", now).Error
		}
		if err := db.Model(&refreshToken{}).Where("id = ?", row.ID).Update("used_at", now).Error; err != nil {
			return err
		}
		if err := db.Where("id = ? AND disabled_at IS NULL", row.UserID).Take(&user).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return errs.Unauthorizedf("the account is disabled")
			}
			return err
		}
		next, err = issue(db, row.UserID, row.FamilyID)
		return err
	})
	if reused {
		return User{}, "", errs.Unauthorizedf("the refresh token was already used; every session from it has been signed out")
	}
	if err != nil {
		return User{}, "", postgres.Translate(err)
	}
	return user, next, nil
}

// RevokeRefreshToken ends the session a refresh token belongs to (sign out).
// An unknown token is not an error: signing out twice is fine.
func (s *Store) RevokeRefreshToken(ctx context.Context, token string) error {
	return postgres.Translate(s.db.Gorm(ctx).Exec(
		`UPDATE refresh_tokens SET revoked_at = now() WHERE revoked_at IS NULL AND family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = ?)`,
		hashToken(token)).Error)
}

// RevokeAll ends every session of the user.
func (s *Store) RevokeAll(ctx context.Context, userID uuid.UUID) error {
	return postgres.Translate(revokeAll(s.db.Gorm(ctx), userID))
}

func revokeAll(tx *gorm.DB, userID uuid.UUID) error {
	return tx.Model(&refreshToken{}).Where("user_id = ? AND revoked_at IS NULL", userID).Update("revoked_at", time.Now().UTC()).Error
}
