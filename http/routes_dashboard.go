package http

import "net/http"

// dashboardRoutes registers the server-rendered dashboard, its live feed
// and its assets; routes.go calls it.
func (s *Server) dashboardRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /{$}", s.home)
	mux.HandleFunc("GET /wilayah/{code}", s.regionPage)
	mux.HandleFunc("GET /wilayah/{code}/grafik.svg", s.chartSVG)
	mux.HandleFunc("GET /tps/{code}", s.tpsPage)
	mux.HandleFunc("GET /anomali", s.anomaliPage)
	mux.HandleFunc("GET /masuk", s.loginForm)
	mux.HandleFunc("POST /masuk", s.login)
	mux.HandleFunc("POST /keluar", s.logout)
	mux.HandleFunc("GET /events", s.events)
	mux.HandleFunc("GET /api/v1/map/{contest}/{region}", s.mapJSON)
	// Through a closure so the route works whether Init ran before or after.
	mux.HandleFunc("GET /static/{hash}/{name...}", func(w http.ResponseWriter, r *http.Request) { s.assets.ServeHTTP(w, r) })
}
