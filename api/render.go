package api

import (
	"encoding/json"
	"net/http"
	"reflect"

	"github.com/gin-gonic/gin"
)

// render writes v as the JSON answer with status: the one way an API
// handler answers with JSON. A slice goes out in the one list shape (see
// list), so no answer is a bare array. Cache-Control: no-store is the
// noStore middleware's. A nil v sends no body (204 No Content).
func render(c *gin.Context, status int, v any) error {
	if v == nil {
		c.Status(status)
		return nil
	}
	c.JSON(status, answerBody(v))
	return nil
}

// list is the one shape of every list the API answers:
// {"items": [...]}, an empty list as [], never null, and, on a paged list
// whose page was full, "next": the address of the next page. The OpenAPI
// description documents it once, as the List schema.
type list struct {
	Items any    `json:"items"`
	Next  string `json:"next,omitempty"`
}

// answerBody is what render sends for v: v itself, or a slice (other than
// one that is its own JSON, such as json.RawMessage) as a list.
func answerBody(v any) any {
	if _, own := v.(json.Marshaler); own {
		return v
	}
	if reflect.ValueOf(v).Kind() == reflect.Slice {
		return listOf(v, "")
	}
	return v
}

// listOf returns items as a list with the address of the next page ("" on
// the last page or an unpaged list).
func listOf(items any, next string) list {
	if rv := reflect.ValueOf(items); rv.Kind() == reflect.Slice && rv.IsNil() {
		items = reflect.MakeSlice(rv.Type(), 0, 0).Interface()
	}
	return list{Items: items, Next: next}
}

// download sends a file, an agreement's document or a CSV export, to be
// shown in the browser (disposition "inline") or saved ("attachment").
func download(c *gin.Context, contentType, disposition, filename string, body []byte) error {
	c.Header("Content-Disposition", disposition+`; filename="`+filename+`"`)
	c.Data(http.StatusOK, contentType, body)
	return nil
}
