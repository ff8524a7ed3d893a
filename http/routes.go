package http

import (
	"cmp"
	"net/http"
	"slices"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/fieldapp"
	"github.com/deskpemilu/siaga/logistics"
	"github.com/deskpemilu/siaga/photos"
	"github.com/deskpemilu/siaga/relay"
	"github.com/deskpemilu/siaga/ui"
)

// Roles that the table names more than once.
var (
	// enrolRoles issue enrolment codes, each for its own source only
	// (auth.checkIssue decides which device role).
	enrolRoles = []siaga.Role{siaga.RolePPK, siaga.RoleKPUKab, siaga.RoleKPUProv, siaga.RoleBawaslu, siaga.RoleSaksiKoord}
	// revokeRoles revoke devices: those who enrol them, and admin
	// (auth.CanRevokeDevice decides which devices).
	revokeRoles = append(slices.Clone(enrolRoles), siaga.RoleAdmin)
	// deskRoles work the election-night dispatch board: the desk's staff,
	// not the field accounts nor the parties' coordinators, since the
	// board holds runners' notes and contacts.
	deskRoles = []siaga.Role{siaga.RolePPK, siaga.RoleKPUKab, siaga.RoleKPUProv, siaga.RoleBawaslu, siaga.RoleDesk,
		siaga.RoleAparat, siaga.RoleLogistik, siaga.RoleAdmin}
	// smsRoles read the SMS log, which holds officers' phone numbers: KPU's
	// recap operators, who answer the officers, Bawaslu, who oversees
	// them, and admin.
	smsRoles = []siaga.Role{siaga.RolePPK, siaga.RoleKPUKab, siaga.RoleKPUProv, siaga.RoleBawaslu, siaga.RoleAdmin}
	// reviewRoles set the review status of anomalies: KPU's recap operators,
	// whose work is to review and have forms corrected (SPEC §2), Bawaslu,
	// who flags and objects, and the desk's staff who compare the numbers
	// with the C1 photos. Not admin ("never results"), nor the field, party,
	// security or logistics accounts.
	reviewRoles = []siaga.Role{siaga.RolePPK, siaga.RoleKPUKab, siaga.RoleKPUProv, siaga.RoleBawaslu, siaga.RoleDesk}
	// reportRoles report a TPS whose voting stopped: the PPK, whom KPPS
	// report to, and the KPU and Bawaslu accounts above it (KPPS devices
	// submit forms, they have no accounts to report with).
	reportRoles = []siaga.Role{siaga.RolePPK, siaga.RoleKPUKab, siaga.RoleKPUProv, siaga.RoleBawaslu}
	// decideRoles decide a postponement: KPU kab/kota, or the province
	// acting for it.
	decideRoles = []siaga.Role{siaga.RoleKPUKab, siaga.RoleKPUProv}
	// closeRoles record that the postponed voting took place or that the
	// postponement was withdrawn: the PPK, whose plenary set the day, and KPU.
	closeRoles = []siaga.Role{siaga.RolePPK, siaga.RoleKPUKab, siaga.RoleKPUProv}
	// connRoles record and move interventions: the desk's staff
	// (Diskominfo puts up the boosters) and KPU's operators, whose TPS
	// they serve. connReadRoles also read the surveys (surveyors' names):
	// those, and Bawaslu, who oversees the TPS.
	connRoles     = []siaga.Role{siaga.RoleDesk, siaga.RolePPK, siaga.RoleKPUKab, siaga.RoleKPUProv}
	connReadRoles = append(slices.Clone(connRoles), siaga.RoleBawaslu)
	// hazardRoles import and delete hazard layers and TPS locations from
	// the hazards page: the desk, who maps the risk, and KPU's kab/kota
	// and province offices, who receive BPBD's maps and the TPS lists
	// (a KPU kab/kota deletes only its own layers: ui.mayDeleteLayer).
	hazardRoles = []siaga.Role{siaga.RoleDesk, siaga.RoleKPUKab, siaga.RoleKPUProv}
	// logRoles record logistics (KPU's logistics officers, PPK, KPU
	// kab/kota and province); logReadRoles also read it: Bawaslu, who
	// oversees it, the desk and the escorts. The public sees none of it.
	logRoles     = []siaga.Role{siaga.RoleLogistik, siaga.RolePPK, siaga.RoleKPUKab, siaga.RoleKPUProv} // write
	logReadRoles = append(slices.Clone(logRoles), siaga.RoleBawaslu, siaga.RoleDesk, siaga.RoleAparat)  // read
	// situationRoles read the coordination meetings and their action
	// items (and the situation report): the desk and the agencies at its
	// table. The desk writes the meetings; an agency's accounts mark its
	// own items done (meeting.CanClose decides).
	situationRoles = []siaga.Role{siaga.RoleDesk, siaga.RoleAparat, siaga.RoleBawaslu, siaga.RoleKPUProv, siaga.RoleKPUKab}
	// incRoles report incidents and read them in scope; the service
	// checks each step's right (incident.TriageRoles verify, reject, assign
	// and group; the assigned agency handles).
	incRoles = []siaga.Role{siaga.RolePTPS, siaga.RolePPK, siaga.RoleKPUKab, siaga.RoleKPUProv, siaga.RoleBawaslu, siaga.RoleDesk, siaga.RoleAparat, siaga.RoleLogistik}
	// incRegionRoles read a region's reports: incRoles but the PTPS, whose
	// account is scoped to one TPS, under which no region path lies (it
	// reports here and reads its TPS's reports in the field app).
	incRegionRoles = []siaga.Role{siaga.RolePPK, siaga.RoleKPUKab, siaga.RoleKPUProv, siaga.RoleBawaslu, siaga.RoleDesk, siaga.RoleAparat, siaga.RoleLogistik}
	// incTriageRoles verify, reject, assign, group and moderate: the
	// moderation queue's route, and the pages' forms (incident.TriageRoles);
	// they also acknowledge and close early-warning alerts.
	incTriageRoles = []siaga.Role{siaga.RoleDesk, siaga.RoleBawaslu, siaga.RoleAparat}
	// auditRoles read the audit log.
	auditRoles = []siaga.Role{siaga.RoleBawaslu, siaga.RoleAdmin}
	// vulnReadRoles read the TPS vulnerability and the staffing it implies
	// (kerawanan: Bawaslu's indicators are not for the public);
	// vulnWriteRoles set the indicators and a Polres's pattern.
	vulnReadRoles  = []siaga.Role{siaga.RoleDesk, siaga.RoleAparat, siaga.RoleBawaslu, siaga.RoleKPUProv, siaga.RoleKPUKab, siaga.RolePPK}
	vulnWriteRoles = []siaga.Role{siaga.RoleDesk, siaga.RoleBawaslu, siaga.RoleAparat}
	gakkumduRoles  = []siaga.Role{siaga.RoleBawaslu, siaga.RoleAparat, siaga.RoleDesk} // read cases in scope; write: bawaslu + aparat whose AgencyOf() is polri or kejaksaan (gakkumdu.CanWrite)
	// gakkumduWriteRoles open and move cases: the roles of the Sentra
	// Gakkumdu members; the service refuses an aparat of the TNI.
	gakkumduWriteRoles = []siaga.Role{siaga.RoleBawaslu, siaga.RoleAparat}
)

// Body limits in bytes, named by what they carry.
const (
	noBody        = 0
	formBody      = 16 << 10 // a login or a dashboard form
	enrolBody     = 4 << 10  // a code and a public key
	enrolListBody = 1 << 20  // the TPS of a whole kecamatan
	// hazardUploadBody and locationUploadBody: a file from the hazards
	// page and the few fields around it.
	hazardUploadBody   = ui.MaxHazardUpload + formBody
	locationUploadBody = ui.MaxLocationUpload + formBody
	// bttbBody: a BTTB from the shipment page, with its photos.
	bttbBody = ui.MaxBTTBUpload
	// incidentUpload: a staff report or an evidence file from the
	// incident pages.
	incidentUpload = ui.MaxIncidentUpload
)

// Rates per client address for what an anonymous caller can make
// expensive or use to guess. Behind carrier-grade NAT one address is many
// phones, so what is limited is mostly failure: a whole kecamatan enrolling
// its phones at once is never slowed, someone guessing codes or passwords
// is. The costly part of each is bounded elsewhere too (relay inflation
// bounds; logins have their own throttle and argon2 slots in auth).
var (
	enrolFailures = rate{Burst: 20, PerSecond: 0.2}
	relayRate     = rate{Burst: 60, PerSecond: 5}
	// exportRate: a public download of a kab/kota's TPS costs the server a
	// second or so for one line of request. An analyst may fetch every
	// kab/kota's file of a contest at once, but not keep one core busy for
	// long (maxExports bounds them all at once).
	exportRate = rate{Burst: 30, PerSecond: 0.5}
)

// routes is every route of Siaga with who may call it and its limits. It
// is the one place to look for what the server answers; the route × role
// × scope test (routes_test.go) is generated from it.
func (s *Server) routes() []route {
	return []route{
		// JSON API (SPEC section 9). Submissions authenticate themselves:
		// a device's signature or an operator's token (http/api.go).
		{"POST /api/v1/submissions", signed(), limits{maxSubmissionBytes, quick, nil, nil}, s.handleSubmit},
		{"GET /api/v1/results/{contest}/{region}", public(), limits{noBody, quick, nil, nil}, s.handleResults},
		{"GET /api/v1/progress/{region}", public(), limits{noBody, quick, nil, nil}, s.handleProgress},
		{"GET /api/v1/regions/{code}", public(), limits{noBody, quick, nil, nil}, s.handleRegionAPI},
		{"GET /api/v1/tps/{code}", public(), limits{noBody, quick, nil, nil}, s.handleTPSAPI},
		{"GET /api/v1/anomalies", public(), limits{noBody, quick, nil, nil}, s.handleAnomaliesAPI},
		{"GET /api/v1/election", public(), limits{noBody, quick, nil, nil}, s.handleElectionAPI},
		{"GET /api/v1/ballot/{tps}", public(), limits{noBody, quick, nil, nil}, s.handleBallot},
		{"GET /api/v1/map/{contest}/{region}", public(), limits{noBody, quick, nil, nil}, s.mapJSON},

		// Devices: operators issue codes for their own source, phones
		// enrol with one.
		{"POST /api/v1/enrolments", staff(enrolRoles...), limits{enrolListBody, quick, nil, nil}, s.handleIssueEnrolment},
		{"POST /api/v1/devices/{id}/revoke", staff(revokeRoles...), limits{formBody, quick, nil, nil}, s.handleRevokeDevice},
		{"POST /api/v1/devices", signed(), limits{body: enrolBody, time: quick, failures: &enrolFailures}, s.handleEnrolDevice},

		// Enrolment from the web (enrol.go, enrol_devices.go): an operator
		// prints a sheet of codes for a desa, kecamatan or list of TPS, sees
		// which TPS have a working device, and revokes one with a reason.
		{"GET /pendaftaran", staff(enrolRoles...), limits{noBody, quick, nil, nil}, s.pages.EnrolPage},
		{"POST /pendaftaran", staff(enrolRoles...), limits{enrolListBody, slow, nil, nil}, s.pages.EnrolSheet},
		{"GET /perangkat", staff(revokeRoles...), limits{noBody, quick, nil, nil}, s.pages.DevicesPage},
		{"GET /perangkat.csv", staff(revokeRoles...), limits{noBody, slow, nil, nil}, s.pages.DevicesCSV},
		{"GET /perangkat.xlsx", staff(revokeRoles...), limits{noBody, slow, nil, nil}, s.pages.DevicesXLSX},
		{"GET /perangkat/{id}/cabut", staff(revokeRoles...), limits{noBody, quick, nil, nil}, s.pages.RevokeForm},
		{"POST /perangkat/{id}/cabut", staff(revokeRoles...), limits{formBody, quick, nil, nil}, s.pages.RevokeDevice},

		// Photos of count form pages (photos.go): declared with the
		// device's signature, uploaded in resumable chunks.
		{"POST /api/v1/photos", signed(), limits{maxDeclarationBytes, quick, nil, nil}, s.handleDeclarePhoto},
		{"PATCH /api/v1/photos/{submission}/{page}", signed(), limits{photos.MaxChunk, slow, nil, nil}, s.handlePatchPhoto},
		{"HEAD /api/v1/photos/{submission}/{page}", signed(), limits{noBody, quick, nil, nil}, s.handleHeadPhoto},
		{"GET /api/v1/submissions/{id}/photos", public(), limits{noBody, quick, nil, nil}, s.handleSubmissionPhotos},
		{"GET /foto/{submission}/{page}", public(), limits{noBody, slow, nil, nil}, s.handlePhotoFile},

		// Through the blank spots: relay (relay.go), dispatch (dispatch.go),
		// SMS (sms.go).
		{"POST /api/v1/relay", signed(), limits{relay.MaxBody, slow, &relayRate, nil}, s.handleRelay},
		{"GET /dispatch", staff(deskRoles...), limits{noBody, quick, nil, nil}, s.pages.DispatchPage},
		{"GET /dispatch.csv", staff(deskRoles...), limits{noBody, slow, nil, nil}, s.pages.DispatchCSV},
		{"GET /dispatch.xlsx", staff(deskRoles...), limits{noBody, slow, nil, nil}, s.pages.DispatchXLSX},
		{"GET /api/v1/dispatch/{region}", staff(deskRoles...).in("region"), limits{noBody, quick, nil, nil}, s.dispatchJSON},
		{"POST /dispatch/runner", staff(deskRoles...), limits{formBody, quick, nil, nil}, s.pages.SendRunner},
		{"GET /sms/kannel", gateway(), limits{noBody, quick, nil, nil}, s.handleKannel},
		{"POST /sms/webhook", gateway(), limits{maxSMSBody, quick, nil, nil}, s.handleSMSWebhook},
		{"GET /sms", staff(smsRoles...), limits{noBody, quick, nil, nil}, s.pages.SMSPage},
		{"GET /sms.csv", staff(smsRoles...), limits{noBody, slow, nil, nil}, s.pages.SMSExport(ui.FormatCSV)},
		{"GET /sms.xlsx", staff(smsRoles...), limits{noBody, slow, nil, nil}, s.pages.SMSExport(ui.FormatXLSX)},

		// Coordination meetings (meeting.go, ui/meeting*.go): the minutes and
		// their action items, read by the situation roles in scope, written
		// by the desk; an item is moved by its agency or the desk.
		{"GET /api/v1/meetings/{region}", staff(situationRoles...).in("region"), limits{noBody, quick, nil, nil}, s.handleMeetingsAPI},
		{"POST /api/v1/meetings/{region}", staff(siaga.RoleDesk).in("region"), limits{meetingBody, quick, nil, nil}, s.handleCreateMeeting},
		{"GET /api/v1/meetings/{region}/{id}", staff(situationRoles...).in("region"), limits{noBody, quick, nil, nil}, s.handleMeetingAPI},
		{"GET /rapat/{code}", staff(situationRoles...).in("code"), limits{noBody, quick, nil, nil}, s.pages.MeetingsPage},
		{"POST /rapat/{code}", staff(siaga.RoleDesk).in("code"), limits{meetingBody, quick, nil, nil}, s.pages.CreateMeetingForm},
		{"GET /rapat/{code}/agenda/{id}", staff(situationRoles...).in("code"), limits{noBody, quick, nil, nil}, s.pages.MeetingPage},
		{"POST /rapat/{code}/agenda/{id}", staff(siaga.RoleDesk).in("code"), limits{meetingBody, quick, nil, nil}, s.pages.EditMeetingForm},
		{"POST /rapat/{code}/agenda/{id}/tindak-lanjut", staff(siaga.RoleDesk).in("code"), limits{formBody, quick, nil, nil}, s.pages.AddActionItemForm},
		{"GET /rapat/{code}/agenda/{id}/tindak-lanjut.csv", staff(situationRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.MeetingItemsExport(ui.FormatCSV)},
		{"GET /rapat/{code}/agenda/{id}/tindak-lanjut.xlsx", staff(situationRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.MeetingItemsExport(ui.FormatXLSX)},
		{"GET /rapat/{code}/tindak-lanjut", staff(situationRoles...).in("code"), limits{noBody, quick, nil, nil}, s.pages.ActionItemsPage},
		{"GET /rapat/{code}/tindak-lanjut.csv", staff(situationRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.ActionItemsExport(ui.FormatCSV)},
		{"GET /rapat/{code}/tindak-lanjut.xlsx", staff(situationRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.ActionItemsExport(ui.FormatXLSX)},
		{"POST /rapat/{code}/tindak-lanjut/{id}", staff(situationRoles...).in("code"), limits{formBody, quick, nil, nil}, s.pages.ActionItemStep},

		// Postponement (postponement.go): the decision chain of a TPS whose
		// voting is postponed on the day, step by step by the role the law
		// gives each; the list is public (what the letters say, no accounts).
		{"POST /api/v1/tps/{tps}/postponements", staff(reportRoles...).in("tps"), limits{postponementBody, quick, nil, nil}, s.handleReportPostponement},
		{"POST /api/v1/postponements/{id}/recommend", staff(siaga.RoleBawaslu), limits{postponementBody, quick, nil, nil}, s.handleAdvancePostponement("recommend")},
		{"POST /api/v1/postponements/{id}/decide", staff(decideRoles...), limits{postponementBody, quick, nil, nil}, s.handleAdvancePostponement("decide")},
		{"POST /api/v1/postponements/{id}/close", staff(closeRoles...), limits{postponementBody, quick, nil, nil}, s.handleAdvancePostponement("close")},
		{"GET /api/v1/postponements", public(), limits{noBody, quick, nil, nil}, s.handlePostponementsAPI},
		// Their pages (ui/postponement*.go): the public list and each
		// postponement's chain; the report and each step's form by the
		// step's roles, for TPS in the account's scope.
		{"GET /penundaan/{code}", public(), limits{noBody, quick, nil, nil}, s.pages.PostponementsPage},
		{"GET /penundaan/{code}/daftar.csv", public(), limits{noBody, slow, &exportRate, nil}, s.pages.PostponementsExport(ui.FormatCSV)},
		{"GET /penundaan/{code}/daftar.xlsx", public(), limits{noBody, slow, &exportRate, nil}, s.pages.PostponementsExport(ui.FormatXLSX)},
		{"GET /tps/{code}/penundaan", staff(reportRoles...).in("code"), limits{noBody, quick, nil, nil}, s.pages.ReportForm},
		{"POST /tps/{code}/penundaan", staff(reportRoles...).in("code"), limits{formBody, quick, nil, nil}, s.pages.ReportPostponement},
		{"GET /tps/{code}/penundaan/{id}", public(), limits{noBody, quick, nil, nil}, s.pages.PostponementPage},
		{"POST /tps/{code}/penundaan/{id}/rekomendasi", staff(siaga.RoleBawaslu).in("code"), limits{formBody, quick, nil, nil}, s.pages.PostponementStep("rekomendasi")},
		{"POST /tps/{code}/penundaan/{id}/putusan", staff(decideRoles...).in("code"), limits{formBody, quick, nil, nil}, s.pages.PostponementStep("putusan")},
		{"POST /tps/{code}/penundaan/{id}/tutup", staff(closeRoles...).in("code"), limits{formBody, quick, nil, nil}, s.pages.PostponementStep("tutup")},

		// Connectivity (connectivity.go): a region's signal classes and
		// their history for everyone; surveys and interventions for staff.
		{"GET /api/v1/connectivity/{region}", public(), limits{noBody, quick, nil, nil}, s.handleConnectivityAPI},
		{"GET /api/v1/connectivity/{region}/surveys", staff(connReadRoles...).in("region"), limits{noBody, quick, nil, nil}, s.handleSurveysAPI},
		{"GET /api/v1/connectivity/{region}/interventions", staff(connReadRoles...).in("region"), limits{noBody, quick, nil, nil}, s.handleInterventionsAPI},
		{"POST /api/v1/connectivity/{region}/interventions", staff(connRoles...).in("region"), limits{connectivityBody, quick, nil, nil}, s.handleAddIntervention},
		{"POST /api/v1/connectivity/{region}/interventions/{id}/status", staff(connRoles...).in("region"), limits{connectivityBody, quick, nil, nil}, s.handleInterventionStatus},
		// Its pages (ui/connectivity*.go): a region's signal for everyone,
		// with its TPS; the surveys (surveyors' names) and interventions for
		// staff in scope; the web survey form, the interventions' forms and
		// the planner for those who record them.
		{"GET /sinyal/{code}", public(), limits{noBody, quick, nil, nil}, s.pages.ConnectivityPage},
		{"GET /sinyal/{code}/tps.csv", public(), limits{noBody, slow, &exportRate, nil}, s.pages.ConnectivityTPSExport(ui.FormatCSV)},
		{"GET /sinyal/{code}/tps.xlsx", public(), limits{noBody, slow, &exportRate, nil}, s.pages.ConnectivityTPSExport(ui.FormatXLSX)},
		{"GET /sinyal/{code}/riwayat.csv", public(), limits{noBody, slow, &exportRate, nil}, s.pages.ConnectivityHistoryExport(ui.FormatCSV)},
		{"GET /sinyal/{code}/riwayat.xlsx", public(), limits{noBody, slow, &exportRate, nil}, s.pages.ConnectivityHistoryExport(ui.FormatXLSX)},
		{"GET /sinyal/{code}/survei", staff(connReadRoles...).in("code"), limits{noBody, quick, nil, nil}, s.pages.SurveysPage},
		{"GET /sinyal/{code}/survei.csv", staff(connReadRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.SurveysExport(ui.FormatCSV)},
		{"GET /sinyal/{code}/survei.xlsx", staff(connReadRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.SurveysExport(ui.FormatXLSX)},
		{"GET /sinyal/{code}/survei/baru", staff(connRoles...).in("code"), limits{noBody, quick, nil, nil}, s.pages.SurveyForm},
		{"POST /sinyal/{code}/survei", staff(connRoles...).in("code"), limits{formBody, quick, nil, nil}, s.pages.AddSurvey},
		{"GET /intervensi/{code}", staff(connReadRoles...).in("code"), limits{noBody, quick, nil, nil}, s.pages.InterventionsPage},
		{"GET /intervensi/{code}/daftar.csv", staff(connReadRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.InterventionsExport(ui.FormatCSV)},
		{"GET /intervensi/{code}/daftar.xlsx", staff(connReadRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.InterventionsExport(ui.FormatXLSX)},
		{"POST /intervensi/{code}", staff(connRoles...).in("code"), limits{formBody, quick, nil, nil}, s.pages.AddIntervention},
		{"POST /intervensi/{code}/{id}/status", staff(connRoles...).in("code"), limits{formBody, quick, nil, nil}, s.pages.SetInterventionStatus},
		{"GET /rencana/{code}", staff(connRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.PlanPage},
		{"GET /rencana/{code}/lokasi.csv", staff(connRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.PlanExport(ui.FormatCSV)},
		{"GET /rencana/{code}/lokasi.xlsx", staff(connRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.PlanExport(ui.FormatXLSX)},
		{"GET /rencana/{code}/rencana.geojson", staff(connRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.PlanGeoJSON},
		{"POST /rencana/{code}", staff(connRoles...).in("code"), limits{formBody, slow, nil, nil}, s.pages.RecordPlan},
		{"POST /rencana/{code}/calon", staff(connRoles...).in("code"), limits{formBody, quick, nil, nil}, s.pages.AddCandidate},

		// Signal surveys (connectivity_survey.go): a phone's signed survey of
		// its own TPS, or staff's (desk, KPU) for a TPS in scope, which the
		// handler checks. The data test (datatest.go) the field app times:
		// public, bounded to 64 KiB each way and rate-limited per address.
		{"POST /api/v1/surveys", signed(), limits{surveyBody, quick, nil, nil}, s.handleAddSurvey},
		{"GET /api/v1/datatest", public(), limits{noBody, slow, &dataTestRate, nil}, s.handleDataTestDown},
		{"POST /api/v1/datatest", public(), limits{maxDataTestKiB << 10, slow, &dataTestRate, nil}, s.handleDataTestUp},

		// Logistics needs (ui/logistics_needs.go): what a region's TPS need
		// under the bill of materials, per child region, contest and dapil,
		// and warehouse. Staff in scope only, as all of logistics.
		{"GET /logistik/{code}/kebutuhan", staff(logReadRoles...).in("code"), limits{noBody, quick, nil, nil}, s.pages.NeedsPage},
		{"GET /logistik/{code}/kebutuhan-rincian.csv", staff(logReadRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.NeedsExport("rincian", ui.FormatCSV)},
		{"GET /logistik/{code}/kebutuhan-rincian.xlsx", staff(logReadRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.NeedsExport("rincian", ui.FormatXLSX)},
		{"GET /logistik/{code}/kebutuhan-dapil.csv", staff(logReadRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.NeedsExport("dapil", ui.FormatCSV)},
		{"GET /logistik/{code}/kebutuhan-dapil.xlsx", staff(logReadRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.NeedsExport("dapil", ui.FormatXLSX)},
		{"GET /logistik/{code}/kebutuhan-gudang.csv", staff(logReadRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.NeedsExport("gudang", ui.FormatCSV)},
		{"GET /logistik/{code}/kebutuhan-gudang.xlsx", staff(logReadRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.NeedsExport("gudang", ui.FormatXLSX)},
		// Ballot lots (logistics_ballot.go, ui/logistics_ballot.go): the
		// shortfall per contest × dapil × warehouse, the lots, and the
		// forms and API to register a lot and record what was done to it.
		// The writes are {region}/ballot-lots and {region}/ballot-events, one
		// segment: {region}/ballots/events would overlap shipments/{id}/events
		// in the mux, which refuses to start on overlapping patterns.
		{"GET /logistik/{code}/surat-suara", staff(logReadRoles...).in("code"), limits{noBody, quick, nil, nil}, s.pages.BallotsPage},
		{"GET /logistik/{code}/surat-suara.csv", staff(logReadRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.BallotsExport(ui.FormatCSV)},
		{"GET /logistik/{code}/surat-suara.xlsx", staff(logReadRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.BallotsExport(ui.FormatXLSX)},
		{"GET /logistik/{code}/lot.csv", staff(logReadRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.LotsExport(ui.FormatCSV)},
		{"GET /logistik/{code}/lot.xlsx", staff(logReadRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.LotsExport(ui.FormatXLSX)},
		{"POST /logistik/{code}/surat-suara/lot", staff(logRoles...).in("code"), limits{formBody, quick, nil, nil}, s.pages.AddBallotLot},
		{"POST /logistik/{code}/surat-suara/peristiwa", staff(logRoles...).in("code"), limits{formBody, quick, nil, nil}, s.pages.AddBallotEvent},
		{"GET /api/v1/logistics/{region}/ballots", staff(logReadRoles...).in("region"), limits{noBody, quick, nil, nil}, s.handleBallotsAPI},
		{"POST /api/v1/logistics/{region}/ballot-lots", staff(logRoles...).in("region"), limits{ballotBody, quick, nil, nil}, s.handleAddBallotLot},
		{"POST /api/v1/logistics/{region}/ballot-events", staff(logRoles...).in("region"), limits{ballotBody, quick, nil, nil}, s.handleAddBallotEvent},
		// Logistics: shipments (logistics_shipment.go). Waybills along
		// warehouse → PPK → PPS → TPS, their status events, proofs of
		// delivery and photos, and the alerts they raise; staff only, in
		// scope (the handlers check a shipment's destination, and that an
		// escort records only escorted legs). Nothing of it is public. One
		// shipment is read under a region, as the list is: a GET of
		// shipments/{id} would clash with {region}/shipments in the mux.
		{"GET /api/v1/logistics/{region}/shipments", staff(logReadRoles...).in("region"), limits{noBody, quick, nil, nil}, s.handleShipmentsAPI},
		{"POST /api/v1/logistics/shipments", staff(logRoles...), limits{shipmentBody, quick, nil, nil}, s.handleCreateShipment},
		{"GET /api/v1/logistics/{region}/shipments/{id}", staff(logReadRoles...).in("region"), limits{noBody, quick, nil, nil}, s.handleShipmentAPI},
		{"POST /api/v1/logistics/shipments/{id}/events", staff(escortRoles...), limits{shipmentEventBody, quick, nil, nil}, s.handleShipmentEvent},
		{"POST /api/v1/logistics/shipments/{id}/delivery", staff(logRoles...), limits{shipmentBody, quick, nil, nil}, s.handleShipmentDelivery},
		{"POST /api/v1/logistics/photos", staff(escortRoles...), limits{logistics.MaxPhotoBytes, slow, nil, nil}, s.handleLogisticsPhoto},
		{"GET /api/v1/logistics/{region}/alerts", staff(logReadRoles...).in("region"), limits{noBody, quick, nil, nil}, s.handleLogisticsAlertsAPI},
		{"POST /api/v1/logistics/alerts/{id}/ack", staff(logReadRoles...), limits{formBody, quick, nil, nil}, s.handleAckLogisticsAlert},

		// Logistics: field app (logistics_field.go). A KPPS phone reads the
		// shipments bound for its own TPS and records their arrival, the
		// proof of delivery (BTTB) and, after voting, the handover of the
		// sealed boxes, each signed with its key (auth.VerifyLogistics), from
		// the same outbox as the count forms. The staff mode reads its account
		// here and sends status events to the shipments routes with the
		// session cookie. The field paths keep a literal where the shipments
		// routes have {region}, so that the router can tell them apart.
		{"GET /api/v1/logistics/field/shipments/{tps}", signed(), limits{noBody, quick, nil, nil}, s.handleFieldShipments},
		{"PUT /api/v1/logistics/field/photos/{tps}/{sha256}", signed(), limits{fieldPhotoBody, slow, nil, nil}, s.handleFieldPhoto},
		{"POST /api/v1/logistics/field/events", signed(), limits{fieldItemBody, quick, nil, nil}, s.handleFieldEvent},
		{"POST /api/v1/logistics/field/deliveries", signed(), limits{fieldItemBody, quick, nil, nil}, s.handleFieldDelivery},
		{"POST /api/v1/logistics/field/handovers", signed(), limits{fieldItemBody, quick, nil, nil}, s.handleFieldHandover},
		{"GET /api/v1/logistics/field/staff/{region}/shipments", staff(escortRoles...).in("region"), limits{noBody, quick, nil, nil}, s.handleFieldStaffShipments},
		{"GET /api/v1/session", staff(), limits{noBody, quick, nil, nil}, s.handleSession},

		// Incidents: field app (incident_field.go). A KPPS or PTPS phone
		// reports trouble at its own TPS through the outbox, sends the
		// photos after the report and reads where its reports stand, each
		// signed with its key (auth.VerifyIncident). No staff data.
		{"POST /api/v1/field/incidents", signed(), limits{fieldIncidentBody, quick, nil, nil}, s.handleFieldIncident},
		{"GET /api/v1/field/incidents", signed(), limits{noBody, quick, nil, nil}, s.handleFieldIncidents},
		{"POST /api/v1/field/incidents/{id}/evidence", signed(), limits{fieldEvidenceBody, slow, nil, nil}, s.handleFieldIncidentEvidence},
		// The situation report (ui/sitrep.go): on demand at ?pada=, as a
		// page and a PDF, its tables as CSV and XLSX, and the archive of
		// the morning reports the server stores at 06:00 WIB.
		{"GET /laporan-situasi/{code}", staff(situationRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.SitrepPage},
		{"GET /laporan-situasi/{code}/laporan.pdf", staff(situationRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.SitrepPDF},
		{"GET /laporan-situasi/{code}/kesiapan.csv", staff(situationRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.SitrepTable("kesiapan", ui.FormatCSV)},
		{"GET /laporan-situasi/{code}/kesiapan.xlsx", staff(situationRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.SitrepTable("kesiapan", ui.FormatXLSX)},
		{"GET /laporan-situasi/{code}/logistik.csv", staff(situationRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.SitrepTable("logistik", ui.FormatCSV)},
		{"GET /laporan-situasi/{code}/logistik.xlsx", staff(situationRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.SitrepTable("logistik", ui.FormatXLSX)},
		{"GET /laporan-situasi/{code}/kategori.csv", staff(situationRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.SitrepTable("kategori", ui.FormatCSV)},
		{"GET /laporan-situasi/{code}/kategori.xlsx", staff(situationRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.SitrepTable("kategori", ui.FormatXLSX)},
		{"GET /laporan-situasi/{code}/wilayah.csv", staff(situationRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.SitrepTable("wilayah", ui.FormatCSV)},
		{"GET /laporan-situasi/{code}/wilayah.xlsx", staff(situationRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.SitrepTable("wilayah", ui.FormatXLSX)},
		{"GET /laporan-situasi/{code}/status.csv", staff(situationRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.SitrepTable("status", ui.FormatCSV)},
		{"GET /laporan-situasi/{code}/status.xlsx", staff(situationRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.SitrepTable("status", ui.FormatXLSX)},
		{"GET /laporan-situasi/{code}/arsip", staff(situationRoles...).in("code"), limits{noBody, quick, nil, nil}, s.pages.SitrepArchive},
		{"GET /laporan-situasi/{code}/arsip/{date}", staff(situationRoles...).in("code"), limits{noBody, quick, nil, nil}, s.pages.SitrepArchivePDF},

		// The audit log (audit.go): enrolments, revocations, accounts and
		// corrections, for Bawaslu and admin in their scope.
		{"GET /api/v1/audit", staff(auditRoles...), limits{noBody, quick, nil, nil}, s.handleAuditAPI},
		{"GET /audit", staff(auditRoles...), limits{noBody, quick, nil, nil}, s.pages.AuditPage},
		{"GET /audit.csv", staff(auditRoles...), limits{noBody, slow, nil, nil}, s.pages.AuditCSV},
		{"GET /audit.xlsx", staff(auditRoles...), limits{noBody, slow, nil, nil}, s.pages.AuditXLSX},

		// Disaster (disaster.go): hazard exposure per region and its
		// at-risk TPS (public), relocation candidates (staff), decisions
		// (KPU kab/kota and province, in scope) and the voters' notice
		// (public: it is for them).
		{"GET /api/v1/hazards/{region}", public(), limits{noBody, quick, nil, nil}, s.handleHazards},
		{"GET /api/v1/hazards/{region}/tps", public(), limits{noBody, quick, nil, nil}, s.handleAtRisk},
		{"GET /api/v1/relocation/{tps}/candidates", staff(relocationViewRoles...).in("tps"), limits{noBody, quick, nil, nil}, s.handleRelocationCandidates},
		{"POST /api/v1/relocation/{tps}", staff(relocateRoles...).in("tps"), limits{relocationBody, quick, nil, nil}, s.handleRelocate},
		// The notice's PDF is served by the page's handler (ui/disaster_notice.go),
		// here for API callers and under /tps/ for the voters.
		{"GET /api/v1/relocation/{code}/notice.pdf", public(), limits{noBody, slow, &exportRate, nil}, s.pages.NoticePDF},
		// Their pages (ui/disaster*.go): a region's hazards, the at-risk
		// list as CSV/XLSX, imports and deletions by the desk and KPU; a
		// TPS's relocation (candidates for the API's viewers, the decision
		// for KPU, in scope) and the voters' notice (public).
		{"GET /bencana/{code}", public(), limits{noBody, quick, nil, nil}, s.pages.HazardsPage},
		{"GET /bencana/{code}/tps.csv", public(), limits{noBody, slow, &exportRate, nil}, s.pages.HazardsExport(ui.FormatCSV)},
		{"GET /bencana/{code}/tps.xlsx", public(), limits{noBody, slow, &exportRate, nil}, s.pages.HazardsExport(ui.FormatXLSX)},
		{"POST /bencana/{code}/lapisan", staff(hazardRoles...).in("code"), limits{hazardUploadBody, slow, nil, nil}, s.pages.ImportHazardLayer},
		{"POST /bencana/{code}/lokasi", staff(hazardRoles...).in("code"), limits{locationUploadBody, slow, nil, nil}, s.pages.ImportLocations},
		{"GET /bencana/{code}/lapisan/{id}/hapus", staff(hazardRoles...).in("code"), limits{noBody, quick, nil, nil}, s.pages.DeleteLayerForm},
		{"POST /bencana/{code}/lapisan/{id}/hapus", staff(hazardRoles...).in("code"), limits{formBody, slow, nil, nil}, s.pages.DeleteLayer},
		{"GET /tps/{code}/relokasi", staff(relocationViewRoles...).in("code"), limits{noBody, quick, nil, nil}, s.pages.RelocationPage},
		{"POST /tps/{code}/relokasi", staff(relocateRoles...).in("code"), limits{formBody, quick, nil, nil}, s.pages.Relocate},
		{"GET /tps/{code}/pemberitahuan", public(), limits{noBody, quick, nil, nil}, s.pages.NoticePage},
		{"GET /tps/{code}/pemberitahuan.pdf", public(), limits{noBody, slow, &exportRate, nil}, s.pages.NoticePDF},

		// Readiness (readiness.go; ui/readiness*.go): one level per TPS from
		// the modules, the map of a region and every layer as GeoJSON, CSV
		// and XLSX. Public: no staff data (surveyors' names reach only the
		// staff who read surveys, in the TPS's scope, on the TPS answer).
		{"GET /api/v1/readiness/tps/{code}", public(), limits{noBody, quick, nil, nil}, s.handleReadinessTPS},
		{"GET /api/v1/readiness/map/{region}", public(), limits{noBody, quick, nil, nil}, s.handleReadinessMap},
		{"GET /api/v1/readiness/map/{region}/hazards", public(), limits{noBody, quick, nil, nil}, s.handleReadinessHazards},
		{"GET /kesiapan/{code}", public(), limits{noBody, quick, nil, nil}, s.pages.ReadinessPage},
		{"GET /kesiapan/{code}/ringkasan.csv", public(), limits{noBody, slow, &exportRate, nil}, s.pages.ReadinessTable("ringkasan", ui.FormatCSV)},
		{"GET /kesiapan/{code}/ringkasan.xlsx", public(), limits{noBody, slow, &exportRate, nil}, s.pages.ReadinessTable("ringkasan", ui.FormatXLSX)},
		{"GET /kesiapan/{code}/tps.geojson", public(), limits{noBody, slow, &exportRate, nil}, s.pages.ReadinessGeoJSON("tps")},
		{"GET /kesiapan/{code}/tps.csv", public(), limits{noBody, slow, &exportRate, nil}, s.pages.ReadinessTable("tps", ui.FormatCSV)},
		{"GET /kesiapan/{code}/tps.xlsx", public(), limits{noBody, slow, &exportRate, nil}, s.pages.ReadinessTable("tps", ui.FormatXLSX)},
		{"GET /kesiapan/{code}/bahaya.geojson", public(), limits{noBody, slow, &exportRate, nil}, s.pages.ReadinessGeoJSON("bahaya")},
		{"GET /kesiapan/{code}/bahaya.csv", public(), limits{noBody, slow, &exportRate, nil}, s.pages.ReadinessTable("bahaya", ui.FormatCSV)},
		{"GET /kesiapan/{code}/bahaya.xlsx", public(), limits{noBody, slow, &exportRate, nil}, s.pages.ReadinessTable("bahaya", ui.FormatXLSX)},
		{"GET /kesiapan/{code}/intervensi.geojson", public(), limits{noBody, slow, &exportRate, nil}, s.pages.ReadinessGeoJSON("intervensi")},
		{"GET /kesiapan/{code}/intervensi.csv", public(), limits{noBody, slow, &exportRate, nil}, s.pages.ReadinessTable("intervensi", ui.FormatCSV)},
		{"GET /kesiapan/{code}/intervensi.xlsx", public(), limits{noBody, slow, &exportRate, nil}, s.pages.ReadinessTable("intervensi", ui.FormatXLSX)},
		{"GET /kesiapan/{code}/relokasi.geojson", public(), limits{noBody, slow, &exportRate, nil}, s.pages.ReadinessGeoJSON("relokasi")},
		{"GET /kesiapan/{code}/relokasi.csv", public(), limits{noBody, slow, &exportRate, nil}, s.pages.ReadinessTable("relokasi", ui.FormatCSV)},
		{"GET /kesiapan/{code}/relokasi.xlsx", public(), limits{noBody, slow, &exportRate, nil}, s.pages.ReadinessTable("relokasi", ui.FormatXLSX)},
		{"GET /kesiapan/{code}/penundaan.geojson", public(), limits{noBody, slow, &exportRate, nil}, s.pages.ReadinessGeoJSON("penundaan")},
		{"GET /kesiapan/{code}/penundaan.csv", public(), limits{noBody, slow, &exportRate, nil}, s.pages.ReadinessTable("penundaan", ui.FormatCSV)},
		{"GET /kesiapan/{code}/penundaan.xlsx", public(), limits{noBody, slow, &exportRate, nil}, s.pages.ReadinessTable("penundaan", ui.FormatXLSX)},
		// The map's Logistik layer (ui/readiness_logistics.go): staff who read logistics, in scope.
		{"GET /api/v1/readiness/map/{region}/logistics", staff(logReadRoles...).in("region"), limits{noBody, quick, nil, nil}, s.handleReadinessLogistics},
		{"GET /kesiapan/{code}/logistik.geojson", staff(logReadRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.ReadinessLogisticsGeoJSON},
		{"GET /kesiapan/{code}/logistik.csv", staff(logReadRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.ReadinessLogisticsTable(ui.FormatCSV)},
		{"GET /kesiapan/{code}/logistik.xlsx", staff(logReadRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.ReadinessLogisticsTable(ui.FormatXLSX)},

		// TPS vulnerability and staffing (ui/vulnerability*.go, vulnerability.go): staff in scope.
		{"GET /api/v1/vulnerability/{region}", staff(vulnReadRoles...).in("region"), limits{noBody, quick, nil, nil}, s.handleVulnerability},
		{"GET /kerawanan/{code}", staff(vulnReadRoles...).in("code"), limits{noBody, quick, nil, nil}, s.pages.VulnerabilityPage},
		{"GET /kerawanan/{code}/wilayah.csv", staff(vulnReadRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.VulnerabilityExport("wilayah", ui.FormatCSV)},
		{"GET /kerawanan/{code}/wilayah.xlsx", staff(vulnReadRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.VulnerabilityExport("wilayah", ui.FormatXLSX)},
		{"GET /kerawanan/{code}/tps.csv", staff(vulnReadRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.VulnerabilityExport("tps", ui.FormatCSV)},
		{"GET /kerawanan/{code}/tps.xlsx", staff(vulnReadRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.VulnerabilityExport("tps", ui.FormatXLSX)},
		{"GET /kerawanan/{code}/personel", staff(vulnReadRoles...).in("code"), limits{noBody, quick, nil, nil}, s.pages.StaffingPage},
		{"POST /kerawanan/{code}/personel", staff(vulnWriteRoles...).in("code"), limits{formBody, quick, nil, nil}, s.pages.SetStaffingPattern},
		{"GET /kerawanan/{code}/personel.csv", staff(vulnReadRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.StaffingExport("kecamatan", ui.FormatCSV)},
		{"GET /kerawanan/{code}/personel.xlsx", staff(vulnReadRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.StaffingExport("kecamatan", ui.FormatXLSX)},
		{"GET /kerawanan/{code}/personel-polres.csv", staff(vulnReadRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.StaffingExport("polres", ui.FormatCSV)},
		{"GET /kerawanan/{code}/personel-polres.xlsx", staff(vulnReadRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.StaffingExport("polres", ui.FormatXLSX)},
		{"GET /tps/{code}/kerawanan", staff(vulnReadRoles...).in("code"), limits{noBody, quick, nil, nil}, s.pages.VulnerabilityTPS},
		{"POST /tps/{code}/kerawanan", staff(vulnWriteRoles...).in("code"), limits{formBody, quick, nil, nil}, s.pages.SetVulnerabilityTPS},
		{"GET /kesiapan/{code}/kerawanan.geojson", staff(vulnReadRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.ReadinessVulnerabilityGeoJSON},
		{"GET /kesiapan/{code}/kerawanan.csv", staff(vulnReadRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.ReadinessVulnerabilityTable(ui.FormatCSV)},
		{"GET /kesiapan/{code}/kerawanan.xlsx", staff(vulnReadRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.ReadinessVulnerabilityTable(ui.FormatXLSX)},

		// Logistics: board (ui/logistics_board.go): a region's kit readiness at a
		// moment, its lists of late, short, held and stalled shipments, each table
		// as CSV and XLSX; the readiness map's Logistik layer. Staff only.
		{"GET /logistik/{code}", staff(logReadRoles...).in("code"), limits{noBody, quick, nil, nil}, s.pages.LogisticsBoardPage},
		{"GET /logistik/{code}/wilayah.csv", staff(logReadRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.LogisticsBoardExport("wilayah", ui.FormatCSV)},
		{"GET /logistik/{code}/wilayah.xlsx", staff(logReadRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.LogisticsBoardExport("wilayah", ui.FormatXLSX)},
		{"GET /logistik/{code}/terlambat.csv", staff(logReadRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.LogisticsBoardExport("terlambat", ui.FormatCSV)},
		{"GET /logistik/{code}/terlambat.xlsx", staff(logReadRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.LogisticsBoardExport("terlambat", ui.FormatXLSX)},
		{"GET /logistik/{code}/kurang.csv", staff(logReadRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.LogisticsBoardExport("kurang", ui.FormatCSV)},
		{"GET /logistik/{code}/kurang.xlsx", staff(logReadRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.LogisticsBoardExport("kurang", ui.FormatXLSX)},
		{"GET /logistik/{code}/tertahan.csv", staff(logReadRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.LogisticsBoardExport("tertahan", ui.FormatCSV)},
		{"GET /logistik/{code}/tertahan.xlsx", staff(logReadRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.LogisticsBoardExport("tertahan", ui.FormatXLSX)},
		{"GET /logistik/{code}/macet.csv", staff(logReadRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.LogisticsBoardExport("macet", ui.FormatCSV)},
		{"GET /logistik/{code}/macet.xlsx", staff(logReadRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.LogisticsBoardExport("macet", ui.FormatXLSX)},
		// Gakkumdu cases (gakkumdu.go; ui/gakkumdu*.go): suspected election
		// crimes and their statutory clocks, read by gakkumduRoles in scope;
		// written by Bawaslu, Polri and Kejaksaan accounts (the service
		// checks, each stage by its agency). Staff data throughout.
		{"GET /api/v1/gakkumdu/{region}", staff(gakkumduRoles...).in("region"), limits{noBody, quick, nil, nil}, s.handleCasesAPI},
		{"POST /api/v1/gakkumdu/{region}", staff(gakkumduWriteRoles...).in("region"), limits{gakkumduBody, quick, nil, nil}, s.handleOpenCase},
		{"GET /api/v1/gakkumdu/{region}/{id}", staff(gakkumduRoles...).in("region"), limits{noBody, quick, nil, nil}, s.handleCaseAPI},
		{"POST /api/v1/gakkumdu/{region}/{id}/advance", staff(gakkumduWriteRoles...).in("region"), limits{gakkumduDocBody, slow, nil, nil}, s.handleAdvanceCase},
		{"POST /api/v1/gakkumdu/{region}/{id}/stop", staff(gakkumduWriteRoles...).in("region"), limits{gakkumduBody, quick, nil, nil}, s.handleStopCase},
		{"GET /gakkumdu/{code}", staff(gakkumduRoles...).in("code"), limits{noBody, quick, nil, nil}, s.pages.GakkumduPage},
		{"GET /gakkumdu/{code}/perkara.csv", staff(gakkumduRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.GakkumduExport(ui.FormatCSV)},
		{"GET /gakkumdu/{code}/perkara.xlsx", staff(gakkumduRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.GakkumduExport(ui.FormatXLSX)},
		{"GET /gakkumdu/{code}/baru", staff(gakkumduWriteRoles...).in("code"), limits{noBody, quick, nil, nil}, s.pages.NewCaseForm},
		{"POST /gakkumdu/{code}/baru", staff(gakkumduWriteRoles...).in("code"), limits{formBody, quick, nil, nil}, s.pages.OpenCase},
		{"GET /gakkumdu/{code}/perkara/{id}", staff(gakkumduRoles...).in("code"), limits{noBody, quick, nil, nil}, s.pages.CasePage},
		{"POST /gakkumdu/{code}/perkara/{id}/lanjut", staff(gakkumduWriteRoles...).in("code"), limits{ui.MaxCaseUpload, slow, nil, nil}, s.pages.AdvanceCase},
		{"POST /gakkumdu/{code}/perkara/{id}/hentikan", staff(gakkumduWriteRoles...).in("code"), limits{formBody, quick, nil, nil}, s.pages.StopCase},
		{"POST /gakkumdu/{code}/perkara/{id}/dokumen", staff(gakkumduWriteRoles...).in("code"), limits{ui.MaxCaseUpload, slow, nil, nil}, s.pages.AddCaseDocument},
		{"GET /gakkumdu/{code}/perkara/{id}/dokumen/{doc}", staff(gakkumduRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.CaseDocument},

		// Logistics: custody (logistics_custody.go; ui/logistics_custody*.go):
		// the handovers of the sealed boxes after voting, TPS → PPS → PPK,
		// for a TPS in scope (the handler checks the body's TPS); per TPS of
		// a region where its boxes are, for the staff who read logistics.
		{"POST /api/v1/logistics/handovers", staff(logRoles...), limits{handoverBody, quick, nil, nil}, s.handleHandover},
		{"GET /api/v1/logistics/{region}/custody", staff(logReadRoles...).in("region"), limits{noBody, quick, nil, nil}, s.handleCustodyAPI},
		{"GET /logistik/{code}/kotak", staff(logReadRoles...).in("code"), limits{noBody, quick, nil, nil}, s.pages.CustodyPage},
		{"GET /logistik/{code}/kotak.csv", staff(logReadRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.CustodyExport(ui.FormatCSV)},
		{"GET /logistik/{code}/kotak.xlsx", staff(logReadRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.CustodyExport(ui.FormatXLSX)},
		{"GET /tps/{code}/kotak", staff(logReadRoles...).in("code"), limits{noBody, quick, nil, nil}, s.pages.ChainPage},
		{"POST /tps/{code}/kotak", staff(logRoles...).in("code"), limits{ui.MaxHandoverUpload, slow, nil, nil}, s.pages.RecordHandover},
		// Logistics: shipment pages (ui/logistics_shipment*.go, ui/logistics_alerts.go). Staff only,
		// in scope of the path's region: a region's shipments (CSV/XLSX), a new one (sent from the
		// region), one shipment under a region that holds its destination (the handler checks),
		// its PDFs and BTTB photos, its status events (escorts on escorted legs: the handler) and
		// BTTB; the region's alerts, marked handled by whoever reads them. One shipment is not at
		// /logistik/kiriman/{id}: Go's router cannot hold that beside /logistik/{code}/kiriman.
		{"GET /logistik/{code}/kiriman", staff(logReadRoles...).in("code"), limits{noBody, quick, nil, nil}, s.pages.ShipmentsPage},
		{"GET /logistik/{code}/kiriman.csv", staff(logReadRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.ShipmentsExport(ui.FormatCSV)},
		{"GET /logistik/{code}/kiriman.xlsx", staff(logReadRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.ShipmentsExport(ui.FormatXLSX)},
		{"GET /logistik/{code}/kiriman/baru", staff(logRoles...).in("code"), limits{noBody, quick, nil, nil}, s.pages.NewShipmentForm},
		{"POST /logistik/{code}/kiriman", staff(logRoles...).in("code"), limits{formBody, quick, nil, nil}, s.pages.CreateShipment},
		{"GET /logistik/{code}/kiriman/{id}", staff(logReadRoles...).in("code"), limits{noBody, quick, nil, nil}, s.pages.ShipmentPage},
		{"GET /logistik/{code}/kiriman/{id}/surat-jalan.pdf", staff(logReadRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.WaybillPDF},
		{"GET /logistik/{code}/kiriman/{id}/bttb.pdf", staff(logReadRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.BTTBPDF},
		{"GET /logistik/{code}/kiriman/{id}/foto/{sha}", staff(logReadRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.ShipmentPhoto},
		{"POST /logistik/{code}/kiriman/{id}/peristiwa", staff(escortRoles...).in("code"), limits{formBody, quick, nil, nil}, s.pages.RecordShipmentEvent},
		{"POST /logistik/{code}/kiriman/{id}/bttb", staff(logRoles...).in("code"), limits{bttbBody, slow, nil, nil}, s.pages.DeliverShipment},
		{"GET /logistik/{code}/peringatan", staff(logReadRoles...).in("code"), limits{noBody, quick, nil, nil}, s.pages.AlertsPage},
		{"GET /logistik/{code}/peringatan.csv", staff(logReadRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.AlertsExport(ui.FormatCSV)},
		{"GET /logistik/{code}/peringatan.xlsx", staff(logReadRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.AlertsExport(ui.FormatXLSX)},
		{"POST /logistik/{code}/peringatan/{id}/tandai", staff(logReadRoles...).in("code"), limits{formBody, quick, nil, nil}, s.pages.AcknowledgeAlert},

		// Incident pages (ui/incident*.go): a region's list (CSV/XLSX, print
		// view), one incident with its workflow forms (the service checks each
		// step's right: triage roles, the assigned agency) and its evidence,
		// the staff report form, and the moderation queue of public reports
		// (the only page that shows their senders) for the triage roles. The
		// public form /lapor answers a receipt number only, never a report.
		{"GET /insiden/{code}", staff(incRegionRoles...).in("code"), limits{noBody, quick, nil, nil}, s.pages.IncidentsPage},
		{"GET /insiden/{code}/daftar.csv", staff(incRegionRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.IncidentsExport(ui.FormatCSV)},
		{"GET /insiden/{code}/daftar.xlsx", staff(incRegionRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.IncidentsExport(ui.FormatXLSX)},
		{"GET /insiden/{code}/baru", staff(incRegionRoles...).in("code"), limits{noBody, quick, nil, nil}, s.pages.NewIncidentForm},
		{"POST /insiden/{code}/baru", staff(incRegionRoles...).in("code"), limits{incidentUpload, slow, nil, nil}, s.pages.CreateIncident},
		{"GET /insiden/{code}/laporan/{id}", staff(incRegionRoles...).in("code"), limits{noBody, quick, nil, nil}, s.pages.IncidentPage},
		{"POST /insiden/{code}/laporan/{id}", staff(incRegionRoles...).in("code"), limits{formBody, quick, nil, nil}, s.pages.IncidentStep},
		{"POST /insiden/{code}/laporan/{id}/bukti", staff(incRegionRoles...).in("code"), limits{incidentUpload, slow, nil, nil}, s.pages.AddIncidentEvidence},
		{"GET /insiden/{code}/laporan/{id}/bukti/{sha}", staff(incRegionRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.IncidentEvidenceFile},
		{"GET /insiden/{code}/moderasi", staff(incTriageRoles...).in("code"), limits{noBody, quick, nil, nil}, s.pages.ModerationPage},
		{"GET /lapor", public(), limits{noBody, quick, nil, nil}, s.pages.PublicReportForm},
		{"POST /lapor", public(), limits{publicIncidentBody, quick, &publicIncidentRate, nil}, s.pages.PublicReport},

		// Incidents (incident.go): staff report and read reports in scope and
		// take the workflow's steps (the service checks who may take which);
		// evidence files for staff who read the report. The public sends a
		// report to the moderation queue, rate-limited per address here and
		// per sender in the service, and gets a receipt number only.
		{"POST /api/v1/incidents", staff(incRoles...), limits{incidentBody, quick, nil, nil}, s.handleReportIncident},
		{"GET /api/v1/incidents/{region}", staff(incRegionRoles...).in("region"), limits{noBody, quick, nil, nil}, s.handleIncidentsAPI},
		{"GET /api/v1/incidents/{region}/{id}", staff(incRegionRoles...).in("region"), limits{noBody, quick, nil, nil}, s.handleIncidentAPI},
		{"POST /api/v1/incidents/{region}/{id}/steps", staff(incRegionRoles...).in("region"), limits{incidentBody, quick, nil, nil}, s.handleIncidentStep},
		{"POST /api/v1/incidents/{region}/{id}/evidence", staff(incRegionRoles...).in("region"), limits{evidenceBody, slow, nil, nil}, s.handleIncidentEvidence},
		{"GET /api/v1/incidents/{region}/{id}/evidence/{sha}", staff(incRegionRoles...).in("region"), limits{noBody, quick, nil, nil}, s.handleIncidentEvidenceFile},
		{"POST /api/v1/public/incidents", public(), limits{publicIncidentBody, quick, &publicIncidentRate, nil}, s.handlePublicIncident},

		// Early warning (warning.go; ui/warning_map.go): staff who read
		// incidents read a region's alerts in scope, the triage roles
		// acknowledge and close them, every staff account keeps its own
		// subscriptions. The map's alert layer is staff only: alerts name
		// reports. No public route carries an alert.
		{"GET /api/v1/warnings/{region}", staff(incRegionRoles...).in("region"), limits{noBody, quick, nil, nil}, s.handleWarningsAPI},
		{"GET /api/v1/warnings/{region}/{id}", staff(incRegionRoles...).in("region"), limits{noBody, quick, nil, nil}, s.handleWarningAPI},
		{"POST /api/v1/warnings/{region}/{id}/steps", staff(incTriageRoles...).in("region"), limits{warningBody, quick, nil, nil}, s.handleWarningStep},
		{"GET /api/v1/warning-subscriptions", staff(incRoles...), limits{noBody, quick, nil, nil}, s.handleWarningSubscriptions},
		{"POST /api/v1/warning-subscriptions", staff(incRoles...), limits{warningBody, quick, nil, nil}, s.handleWarningSubscribe},
		{"DELETE /api/v1/warning-subscriptions/{id}", staff(incRoles...), limits{noBody, quick, nil, nil}, s.handleWarningUnsubscribe},
		{"GET /peringatan-dini/{code}", staff(incRegionRoles...).in("code"), limits{noBody, quick, nil, nil}, s.pages.WarningsPage},
		{"GET /peringatan-dini/{code}/sinyal.csv", staff(incRegionRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.WarningsExport(ui.FormatCSV)},
		{"GET /peringatan-dini/{code}/sinyal.xlsx", staff(incRegionRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.WarningsExport(ui.FormatXLSX)},
		{"POST /peringatan-dini/{code}/sinyal/{id}", staff(incTriageRoles...).in("code"), limits{formBody, quick, nil, nil}, s.pages.WarningStep},
		{"GET /peringatan-dini/{code}/sinyal/{id}", staff(incRegionRoles...).in("code"), limits{noBody, quick, nil, nil}, s.pages.WarningPage},
		{"GET /peringatan-dini/{code}/langganan", staff(incRegionRoles...).in("code"), limits{noBody, quick, nil, nil}, s.pages.WarningSubscriptionsPage},
		{"POST /peringatan-dini/{code}/langganan", staff(incRegionRoles...).in("code"), limits{formBody, quick, nil, nil}, s.pages.WarningSubscribe},
		{"GET /kesiapan/{code}/insiden.geojson", staff(incRegionRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.IncidentLayerGeoJSON},
		{"GET /kesiapan/{code}/insiden.csv", staff(incRegionRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.IncidentLayerTable(ui.FormatCSV)},
		{"GET /kesiapan/{code}/insiden.xlsx", staff(incRegionRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.IncidentLayerTable(ui.FormatXLSX)},
		{"GET /kesiapan/{code}/peringatan-dini.geojson", staff(incRegionRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.WarningLayerGeoJSON},
		{"GET /kesiapan/{code}/peringatan-dini.csv", staff(incRegionRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.WarningLayerTable(ui.FormatCSV)},
		{"GET /kesiapan/{code}/peringatan-dini.xlsx", staff(incRegionRoles...).in("code"), limits{noBody, slow, nil, nil}, s.pages.WarningLayerTable(ui.FormatXLSX)},

		// Dashboard pages and their live feed.
		{"GET /{$}", public(), limits{noBody, quick, nil, nil}, s.pages.Home},
		{"GET /wilayah/{code}", public(), limits{noBody, quick, nil, nil}, s.pages.RegionPage},
		{"GET /wilayah/{code}/grafik.svg", public(), limits{noBody, quick, nil, nil}, s.pages.ChartSVG},
		{"GET /tps/{code}", public(), limits{noBody, quick, nil, nil}, s.pages.TPSPage},

		// The region pages' tables as downloads (region_export.go): public
		// results, no staff data. ?kontes= picks the contest.
		{"GET /hasil.csv", public(), limits{noBody, slow, &exportRate, nil}, s.pages.ExportCountry(ui.FormatCSV)},
		{"GET /hasil.xlsx", public(), limits{noBody, slow, &exportRate, nil}, s.pages.ExportCountry(ui.FormatXLSX)},
		{"GET /wilayah/{code}/hasil.csv", public(), limits{noBody, slow, &exportRate, nil}, s.pages.ExportRegion(ui.HasilTable, ui.FormatCSV)},
		{"GET /wilayah/{code}/hasil.xlsx", public(), limits{noBody, slow, &exportRate, nil}, s.pages.ExportRegion(ui.HasilTable, ui.FormatXLSX)},
		{"GET /wilayah/{code}/tps.csv", public(), limits{noBody, slow, &exportRate, nil}, s.pages.ExportRegion(ui.TPSExport, ui.FormatCSV)},
		{"GET /wilayah/{code}/tps.xlsx", public(), limits{noBody, slow, &exportRate, nil}, s.pages.ExportRegion(ui.TPSExport, ui.FormatXLSX)},
		{"GET /wilayah/{code}/belum.csv", public(), limits{noBody, slow, &exportRate, nil}, s.pages.ExportMissing(ui.FormatCSV)},
		{"GET /wilayah/{code}/belum.xlsx", public(), limits{noBody, slow, &exportRate, nil}, s.pages.ExportMissing(ui.FormatXLSX)},
		{"GET /wilayah/{code}/dapil.csv", public(), limits{noBody, slow, &exportRate, nil}, s.pages.ExportRegion(ui.DapilExport, ui.FormatCSV)},
		{"GET /wilayah/{code}/dapil.xlsx", public(), limits{noBody, slow, &exportRate, nil}, s.pages.ExportRegion(ui.DapilExport, ui.FormatXLSX)},

		// The anomaly list (dashboard_anomali.go): public, whole as CSV or
		// XLSX; reviewers set each one's status.
		{"GET /tps/{code}/tabel.csv", public(), limits{noBody, slow, &exportRate, nil}, s.pages.TPSCSV},
		{"GET /tps/{code}/tabel.xlsx", public(), limits{noBody, slow, &exportRate, nil}, s.pages.TPSXLSX},
		{"GET /anomali", public(), limits{noBody, quick, nil, nil}, s.pages.AnomaliPage},
		{"GET /anomali.csv", public(), limits{noBody, slow, &exportRate, nil}, s.pages.AnomaliCSV},
		{"GET /anomali.xlsx", public(), limits{noBody, slow, &exportRate, nil}, s.pages.AnomaliXLSX},
		{"POST /anomali/status", staff(reviewRoles...), limits{formBody, quick, nil, nil}, s.pages.ReviewAnomaly},
		{"GET /events", public(), limits{noBody, stream, nil, nil}, s.events},
		{"GET /masuk", public(), limits{noBody, quick, nil, nil}, s.pages.LoginForm},
		// Failed logins are throttled per account and per address by auth
		// (auth/throttle.go), which also bounds the password hashes at once.
		{"POST /masuk", public(), limits{formBody, quick, nil, nil}, s.login},
		{"POST /keluar", staff(), limits{formBody, quick, nil, nil}, s.logout},
		// Through a closure so the route works whether Init ran before or after.
		{"GET /static/{hash}/{name...}", public(), limits{noBody, quick, nil, nil}, func(w http.ResponseWriter, r *http.Request) { s.pages.Static(w, r) }},
		{"GET /lapangan/", public(), limits{noBody, quick, nil, nil}, fieldapp.Handler().ServeHTTP},

		// Search (search.go): the header's box without JS, its suggestions.
		// The query's length is bounded by the index (siaga.MaxSearchQuery).
		{"GET /cari", public(), limits{noBody, quick, &searchRate, nil}, s.pages.SearchPage},
		{"GET /api/v1/search", public(), limits{noBody, quick, &searchRate, nil}, s.handleSearchAPI},

		// Operations.
		{"GET /healthz", public(), limits{noBody, quick, nil, nil}, s.handleHealth},
		{"GET /readyz", public(), limits{noBody, quick, nil, nil}, s.handleReady},
		{"GET /metrics", metrics(), limits{noBody, quick, nil, nil}, s.handleMetrics},
	}
}

// Handler returns every route of Siaga, each behind its authorization rule
// and limits.
func (s *Server) Handler() (http.Handler, error) {
	if s.Now == nil {
		s.Now = time.Now
	}
	s.closing = make(chan struct{})
	s.rates = newRateLimiter(s.Now, rateClients)
	s.streams = newStreamSlots(cmp.Or(s.MaxStreams, 1000), cmp.Or(s.MaxStreamsPerClient, 32))
	if err := s.Init(); err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	for _, rt := range s.routes() {
		if err := rt.check(); err != nil {
			return nil, err
		}
		mux.Handle(rt.pattern, s.guard(rt))
	}
	return s.secure(s.instrument(mux)), nil
}
