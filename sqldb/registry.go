package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/deskpemilu/siaga"
)

var (
	regionCols = []string{"code", "parent", "level", "name", "tps_count", "dpt", "ord"}
	tpsCols    = []string{"code", "desa", "number", "special", "dpt", "dpt_imported", "lat", "lon", "connectivity"}
)

// SaveRegistry replaces the stored registry with reg in one transaction.
// Regions keep their order, which must put parents before children.
func (db *DB) SaveRegistry(ctx context.Context, reg *siaga.Registry) error {
	if err := checkOrder(reg.Regions); err != nil {
		return err
	}
	return db.inConnTx(ctx, func(tx *sql.Tx, conn *sql.Conn) error {
		for _, t := range []string{"tps", "regions"} {
			if _, err := tx.ExecContext(ctx, fmt.Sprintf(db.dialect.Truncate, t)); err != nil {
				return fmt.Errorf("clear %s: %w", t, err)
			}
		}
		err := db.bulkInsert(ctx, tx, conn, "regions", regionCols, len(reg.Regions), func(i int, dst []any) []any {
			r := &reg.Regions[i]
			return append(dst, r.Code, r.Parent, int(r.Level), r.Name, r.TPSCount, r.DPT, i)
		})
		if err != nil {
			return db.conflict(err, "insert regions", "kode wilayah ganda", "duplicate region code")
		}
		err = db.bulkInsert(ctx, tx, conn, "tps", tpsCols, len(reg.TPS), func(i int, dst []any) []any {
			t := &reg.TPS[i]
			return append(dst, t.Code, t.Desa, t.Number, t.Special, t.DPT, t.DPTImported, t.Lat, t.Lon, t.Connectivity)
		})
		if err != nil {
			return db.conflict(err, "insert tps", "kode TPS ganda", "duplicate TPS code")
		}
		return nil
	})
}

// checkOrder refuses a region listed before its parent: LoadRegistry
// returns the stored order and promises parents first.
func checkOrder(regions []siaga.Region) error {
	at := make(map[string]int, len(regions))
	for i, r := range regions {
		at[r.Code] = i
	}
	for i, r := range regions {
		if p, ok := at[r.Parent]; ok && r.Parent != "" && p > i {
			return siaga.Errorf(siaga.EInvalid, "regions", "wilayah %s tercantum sebelum induknya %s", "region %s is listed before its parent %s", r.Code, r.Parent)
		}
	}
	return nil
}

// LoadRegistry returns the stored registry, empty when none is stored.
func (db *DB) LoadRegistry(ctx context.Context) (*siaga.Registry, error) {
	regions, err := queryAll(ctx, db.read, "regions", func(s scanner, r *siaga.Region) error {
		return s.Scan(&r.Code, &r.Parent, &r.Level, &r.Name, &r.TPSCount, &r.DPT)
	}, "SELECT code, parent, level, name, tps_count, dpt FROM regions ORDER BY ord")
	if err != nil {
		return nil, err
	}
	tps, err := queryAll(ctx, db.read, "tps", func(s scanner, t *siaga.TPS) error {
		return s.Scan(&t.Code, &t.Desa, &t.Number, &t.Special, &t.DPT, &t.DPTImported, &t.Lat, &t.Lon, &t.Connectivity)
	}, "SELECT code, desa, number, special, dpt, dpt_imported, lat, lon, connectivity FROM tps ORDER BY code")
	if err != nil {
		return nil, err
	}
	return &siaga.Registry{Regions: regions, TPS: tps}, nil
}

// SaveElection replaces the stored election definition.
func (db *DB) SaveElection(ctx context.Context, e *siaga.Election) error {
	body, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("encode election: %w", err)
	}
	_, err = db.write.ExecContext(ctx, db.q(`INSERT INTO election (id, body) VALUES (1, ?)
		ON CONFLICT (id) DO UPDATE SET body = excluded.body`), string(body))
	if err != nil {
		return fmt.Errorf("save election: %w", err)
	}
	return nil
}

// LoadElection returns the stored election definition.
func (db *DB) LoadElection(ctx context.Context) (*siaga.Election, error) {
	var body string
	err := db.read.QueryRowContext(ctx, "SELECT body FROM election WHERE id = 1").Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, siaga.Errorf(siaga.ENotFound, "", "definisi pemilu belum tersimpan", "no election definition is stored")
	}
	if err != nil {
		return nil, fmt.Errorf("load election: %w", err)
	}
	var e siaga.Election
	if err := json.Unmarshal([]byte(body), &e); err != nil {
		return nil, fmt.Errorf("decode election: %w", err)
	}
	return &e, nil
}
