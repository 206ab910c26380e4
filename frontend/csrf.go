package frontend

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/carebroker/carebroker/errs"
)

// CSRFField is the name of the hidden input every form carries.
const CSRFField = "csrf_token"

// errBadForm is the answer to a POST whose token is missing or wrong.
var errBadForm = errs.Forbiddenf("the form was not sent from this service, or it has expired")

// signInCookie names the pre-session cookie of the sign-in form. Before
// sign-in there is no session to hold a token, so the form's token is an
// HMAC of a random value kept in this cookie (a signed double-submit
// cookie): a page on another site can neither read the cookie nor forge
// the HMAC, which stops login CSRF.
func (f *Frontend) signInCookie() string {
	if f.secure {
		return "__Host-carebroker_sign_in"
	}
	return "carebroker_sign_in"
}

func (f *Frontend) signInToken(nonce string) string {
	m := hmac.New(sha256.New, f.csrfKey)
	m.Write([]byte("sign-in:" + nonce))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// anonymousToken returns the token for a form shown before sign-in,
// setting the pre-session cookie when the browser has none.
func (f *Frontend) anonymousToken(c *gin.Context) string {
	nonce := ""
	if ck, err := c.Request.Cookie(f.signInCookie()); err == nil && len(ck.Value) >= 32 {
		nonce = ck.Value
	} else {
		nonce = randomToken()
		f.setCookie(c, f.signInCookie(), nonce, 2*60*60)
	}
	return f.signInToken(nonce)
}

// formToken returns the token the page's forms must carry.
func (f *Frontend) formToken(c *gin.Context) string {
	if s := sessionOf(c); s != nil {
		return s.CSRFToken
	}
	return f.anonymousToken(c)
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// checkCSRF refuses every unsafe request to a page unless it carries the
// token of its session (or, before sign-in, of its pre-session cookie). It
// runs before any page handler, so no handler can forget it.
func (f *Frontend) checkCSRF(c *gin.Context) {
	if safeMethod(c.Request.Method) {
		c.Next()
		return
	}
	// Browsers say when a request comes from another site; refuse those
	// outright, whatever they carry.
	if c.GetHeader("Sec-Fetch-Site") == "cross-site" {
		f.refuseForm(c)
		return
	}
	// A form sent after its session ended cannot be trusted or acted on:
	// send the person to sign in again rather than to an error.
	if sessionOf(c) == nil && c.GetBool(ctxSessionEnded) {
		f.fail(c, errNoSession)
		return
	}
	sent := c.PostForm(CSRFField)
	if sent == "" {
		sent = c.GetHeader("X-CSRF-Token")
	}
	want := ""
	if s := sessionOf(c); s != nil {
		want = s.CSRFToken
	} else if ck, err := c.Request.Cookie(f.signInCookie()); err == nil && len(ck.Value) >= 32 {
		want = f.signInToken(ck.Value)
	}
	if sent == "" || want == "" || subtle.ConstantTimeCompare([]byte(sent), []byte(want)) != 1 {
		f.refuseForm(c)
		return
	}
	c.Next()
}

func (f *Frontend) refuseForm(c *gin.Context) {
	f.fail(c, errBadForm)
	c.Abort()
}
