package sqldb

import (
	"strings"

	"github.com/deskpemilu/siaga"
)

// shipmentPageFilters adds the shipment list page's filters (ui,
// logistics_shipments.go) to a shipments query: the mode, a piece of the
// waybill number in any case, the shipments late at a moment, and the
// follow-ups of a shipment.
func shipmentPageFilters(w *where, f siaga.ShipmentFilter) {
	if f.Mode != "" {
		w.add("mode = ?", string(f.Mode))
	}
	if f.Waybill != "" {
		r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
		w.add(`LOWER(waybill) LIKE ? ESCAPE '\'`, "%"+r.Replace(strings.ToLower(f.Waybill))+"%")
	}
	if f.FollowUpOf != "" {
		w.add("follow_up_of = ?", f.FollowUpOf)
	}
	if !f.LateAt.IsZero() {
		w.add("planned_arrival < ? AND arrived IS NULL AND status NOT IN (?, ?, ?)", nanos(f.LateAt),
			string(siaga.ShipmentArrived), string(siaga.ShipmentDelivered), string(siaga.ShipmentCancelled))
	}
}
