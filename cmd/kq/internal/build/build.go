// Package build holds the version information stamped into the binary at
// link time. goreleaser (or make) sets it with:
//
//	-ldflags "-X github.com/kqhq/kq/cmd/kq/internal/build.Version=1.2.3
//	          -X github.com/kqhq/kq/cmd/kq/internal/build.Commit=abc1234
//	          -X github.com/kqhq/kq/cmd/kq/internal/build.Date=2025-01-31T12:00:00Z"
package build

// Set with -ldflags -X; see the package comment.
var (
	Version = "dev"
	Commit  = "none"
	Date    = "unknown"
)
