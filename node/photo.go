package node

import (
	"path/filepath"

	"github.com/deskpemilu/siaga/http"
	"github.com/deskpemilu/siaga/photos"
)

// photoService keeps photo files in DATA/photos. Without a data folder (a
// PostgreSQL node started without --data) photos are off: nil.
func (n *Node) photoService() (http.Photos, error) {
	if n.Config.DataDir == "" {
		return nil, nil
	}
	svc, err := photos.New(n.Store, filepath.Join(n.Config.DataDir, "photos"), n.Auth.VerifyPhoto, n.Config.Now)
	if err != nil {
		return nil, err
	}
	svc.SubmissionTPS = n.Results.SubmissionTPS
	return svc, nil
}
