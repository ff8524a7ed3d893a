// Package storetest is the behavioural suite every siaga.Store passes. The
// packages that implement a store call Run from their tests with a function
// that opens a fresh, empty store.
package storetest

import (
	"context"
	"testing"

	"github.com/deskpemilu/siaga"
)

// Open returns a new, empty store that is closed when t ends.
type Open func(t testing.TB) siaga.Store

// Run runs the suite against the stores open returns.
func Run(t *testing.T, open Open) {
	t.Run("Registry", func(t *testing.T) { testRegistry(t, open) })
	t.Run("Election", func(t *testing.T) { testElection(t, open) })
	t.Run("Versions", func(t *testing.T) { testVersions(t, open) })
	t.Run("Forms", func(t *testing.T) { testForms(t, open) })
	t.Run("VersionJSON", func(t *testing.T) { testVersionJSON(t, open) })
	t.Run("Users", func(t *testing.T) { testUsers(t, open) })
	t.Run("Sessions", func(t *testing.T) { testSessions(t, open) })
	t.Run("ExpiredSessions", func(t *testing.T) { testExpiredSessions(t, open) })
	t.Run("SecretKeyCheck", func(t *testing.T) { testSecretKeyCheck(t, open) })
	t.Run("APITokens", func(t *testing.T) { testAPITokens(t, open) })
	t.Run("Enrolment", func(t *testing.T) { testEnrolment(t, open) })
	t.Run("EnrolmentBatch", func(t *testing.T) { testEnrolmentBatch(t, open) })
	t.Run("ReplaceEnrolments", func(t *testing.T) { testReplaceEnrolments(t, open) })
	t.Run("DeviceList", func(t *testing.T) { testDeviceList(t, open) })
	t.Run("Photos", func(t *testing.T) { testPhotos(t, open) })
	t.Run("SMS", func(t *testing.T) { testSMS(t, open) })
	t.Run("SMSBadCodes", func(t *testing.T) { testSMSBadCodes(t, open) })
	t.Run("Dispatch", func(t *testing.T) { testDispatch(t, open) })
	t.Run("Party", func(t *testing.T) { testParty(t, open) })
	t.Run("RevokeDevice", func(t *testing.T) { testRevokeDevice(t, open) })
	t.Run("RevokeAPIToken", func(t *testing.T) { testRevokeAPIToken(t, open) })
	t.Run("VersionAudit", func(t *testing.T) { testVersionAudit(t, open) })
	t.Run("Audit", func(t *testing.T) { testAudit(t, open) })
	t.Run("AnomalyReviews", func(t *testing.T) { testAnomalyReviews(t, open) })
	t.Run("Surveys", func(t *testing.T) { testSurveys(t, open) })
	t.Run("Interventions", func(t *testing.T) { testInterventions(t, open) })
	t.Run("Sites", func(t *testing.T) { testSites(t, open) })
	t.Run("Postponements", func(t *testing.T) { testPostponements(t, open) })
	t.Run("BallotLots", func(t *testing.T) { testBallotLots(t, open) })
	t.Run("Locations", func(t *testing.T) { testLocations(t, open) })
	t.Run("Disaster", func(t *testing.T) { testDisaster(t, open) })
	t.Run("Relocations", func(t *testing.T) { testRelocations(t, open) })
	t.Run("Shipments", func(t *testing.T) { testShipments(t, open) })
	t.Run("ShipmentEvents", func(t *testing.T) { testShipmentEvents(t, open) })
	t.Run("Deliveries", func(t *testing.T) { testDeliveries(t, open) })
	t.Run("LogisticsAlerts", func(t *testing.T) { testLogisticsAlerts(t, open) })
	t.Run("LogisticsPhotos", func(t *testing.T) { testLogisticsPhotos(t, open) })
	t.Run("ImportShipments", func(t *testing.T) { testImportShipments(t, open) })
	t.Run("Custody", func(t *testing.T) { testCustody(t, open) })
	t.Run("GakkumduCases", func(t *testing.T) { testGakkumduCases(t, open) })
	t.Run("ShipmentPageFilters", func(t *testing.T) { testShipmentPageFilters(t, open) })
	t.Run("Meetings", func(t *testing.T) { testMeetings(t, open) })
	t.Run("Sitreps", func(t *testing.T) { testSitreps(t, open) })
	t.Run("Vulnerability", func(t *testing.T) { testVulnerability(t, open) })
	t.Run("Incidents", func(t *testing.T) { testIncidents(t, open) })
	t.Run("UserAgency", func(t *testing.T) { testUserAgency(t, open) })
	t.Run("Warning", func(t *testing.T) { testWarning(t, open) })
}

// wantCode fails t unless err carries the error code want.
func wantCode(t testing.TB, err error, want string) {
	t.Helper()
	if got := siaga.ErrorCode(err); got != want {
		t.Fatalf("error code = %q, want %q (error: %v)", got, want, err)
	}
}

// must fails t on a non-nil error.
func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// AllVersions returns every stored version in stored order.
func AllVersions(t testing.TB, s siaga.Store) []siaga.Version {
	t.Helper()
	var out []siaga.Version
	err := s.EachVersion(context.Background(), func(v *siaga.Version) error {
		out = append(out, *v)
		return nil
	})
	must(t, err)
	return out
}
