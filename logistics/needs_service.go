package logistics

import (
	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/election"
)

// NeedsService answers what a TPS or region needs under the node's bill
// of materials, for the pages, the ballot lots' shortfall and the board.
// The registry and election do not change while a node runs, so it holds
// no state but them.
type NeedsService struct {
	reg *siaga.Registry
	idx *election.Index
	bom *BOM
}

// NewNeeds is the needs of reg's TPS under bom (nil: DefaultBOM); idx finds
// each TPS's dapil.
func NewNeeds(reg *siaga.Registry, idx *election.Index, bom *BOM) *NeedsService {
	if bom == nil {
		bom = DefaultBOM()
	}
	return &NeedsService{reg: reg, idx: idx, bom: bom}
}

// BOM is the bill of materials in force.
func (s *NeedsService) BOM() *BOM { return s.bom }

// Of is NeedsOf code.
func (s *NeedsService) Of(code string) (Needs, error) { return NeedsOf(s.reg, s.idx, s.bom, code) }

// Breakdown is NeedsByChild code.
func (s *NeedsService) Breakdown(code string) (NeedsBreakdown, error) {
	return NeedsByChild(s.reg, s.idx, s.bom, code)
}
