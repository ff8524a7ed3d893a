package siaga

import (
	"errors"
	"fmt"
	"net/http"
	"time"
)

// Error codes: a small vocabulary mapped to HTTP status codes in one place
// (HTTPStatus), which both the API and the pages use.
const (
	EInvalid      = "invalid"      // malformed input: 400
	EUnauthorized = "unauthorized" // missing or bad credentials or signature: 401
	EForbidden    = "forbidden"    // authenticated but outside its scope: 403
	ENotFound     = "not_found"    // 404
	EConflict     = "conflict"     // same id other content, or an out-of-date correction: 409
	ETooLarge     = "too_large"    // body over the limit: 413
	ETooMany      = "too_many"     // rate or attempt limit reached: 429, with Retry-After
	EUnavailable  = "unavailable"  // shutting down, overloaded, store unreachable or full: 503, with Retry-After
	EInternal     = "internal"     // 500
)

// Error is an error meant for the user: a code, the field at fault and a
// message in Bahasa Indonesia with its English translation.
type Error struct {
	Code      string
	Field     string
	Message   string // Bahasa Indonesia
	MessageEN string
	// RetryAfter, when set, tells the client how long to wait before trying
	// again (ETooMany, EUnavailable): the HTTP adapter sends it as
	// Retry-After.
	RetryAfter time.Duration
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s: %s", e.Code, e.Field, e.MessageEN)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.MessageEN)
}

// Errorf returns an *Error. id and en are the Indonesian and English
// messages; both are formatted with args.
func Errorf(code, field, id, en string, args ...any) *Error {
	return &Error{Code: code, Field: field, Message: fmt.Sprintf(id, args...), MessageEN: fmt.Sprintf(en, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EInternal
// for any other error and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// HTTPStatus is the HTTP status code of an error code: the one mapping, so
// that the JSON API (package http) and the pages (package ui) answer the
// same error with the same status.
func HTTPStatus(code string) int {
	switch code {
	case EInvalid:
		return http.StatusBadRequest
	case EUnauthorized:
		return http.StatusUnauthorized
	case EForbidden:
		return http.StatusForbidden
	case ENotFound:
		return http.StatusNotFound
	case EConflict:
		return http.StatusConflict
	case ETooLarge:
		return http.StatusRequestEntityTooLarge
	case ETooMany:
		return http.StatusTooManyRequests
	case EUnavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}
