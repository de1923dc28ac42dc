package admin

import (
	"context"
	"fmt"
	"sort"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"
	"github.com/twmb/franz-go/pkg/kversion"
)

// APIVersions is one API's version range.
type APIVersions struct {
	Key int16 `json:"api_key"`
	Min int16 `json:"min_version"`
	Max int16 `json:"max_version"`
}

// Feature is a feature a broker supports, with its finalized level (0:
// not finalized), from ApiVersions v3+.
type Feature struct {
	Name       string `json:"name"`
	MinVersion int16  `json:"supported_min_version"`
	MaxVersion int16  `json:"supported_max_version"`
	Finalized  int16  `json:"finalized_version_level"`
}

// BrokerVersions is a broker's answer to ApiVersions.
type BrokerVersions struct {
	Broker Broker        `json:"broker"`
	APIs   []APIVersions `json:"api_versions"` // sorted by key
	// Features and FinalizedEpoch (-1: none) are what the broker reports
	// of feature versioning (KIP-584).
	Features       []Feature `json:"features"`
	FinalizedEpoch int64     `json:"finalized_features_epoch"`
	Err            error     `json:"-"`
}

// BrokerAPIVersions asks every live broker which API versions it serves,
// as kafka-broker-api-versions.sh does, sorted by broker id. A broker that
// did not answer carries the error.
func (c *Client) BrokerAPIVersions(ctx context.Context) ([]BrokerVersions, error) {
	cluster, err := c.Cluster(ctx)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	answers, err := c.kadm.ApiVersions(ctx)
	if err != nil {
		return nil, fmt.Errorf("api versions: %w", err)
	}
	out := make([]BrokerVersions, 0, len(cluster.Brokers))
	for _, b := range cluster.Brokers {
		bv := BrokerVersions{Broker: b, FinalizedEpoch: -1}
		a, ok := answers[b.ID]
		switch {
		case !ok:
			bv.Err = fmt.Errorf("broker %d did not answer", b.ID)
		case a.Err != nil:
			bv.Err = a.Err
		default:
			fillVersions(&bv, a.Raw())
		}
		out = append(out, bv)
	}
	return out, nil
}

// fillVersions copies a response's APIs and features into bv; an error
// code in it is the broker's refusal.
func fillVersions(bv *BrokerVersions, resp *kmsg.ApiVersionsResponse) {
	if err := kerr.ErrorForCode(resp.ErrorCode); err != nil {
		bv.Err = err
		return
	}
	for _, k := range resp.ApiKeys {
		bv.APIs = append(bv.APIs, APIVersions{Key: k.ApiKey, Min: k.MinVersion, Max: k.MaxVersion})
	}
	sort.Slice(bv.APIs, func(i, j int) bool { return bv.APIs[i].Key < bv.APIs[j].Key })
	finalized := map[string]int16{}
	for _, f := range resp.FinalizedFeatures {
		finalized[f.Name] = f.MaxVersionLevel
	}
	for _, f := range resp.SupportedFeatures {
		bv.Features = append(bv.Features, Feature{Name: f.Name, MinVersion: f.MinVersion, MaxVersion: f.MaxVersion, Finalized: finalized[f.Name]})
	}
	sort.Slice(bv.Features, func(i, j int) bool { return bv.Features[i].Name < bv.Features[j].Name })
	bv.FinalizedEpoch = resp.FinalizedFeaturesEpoch
}

// ClientMaxVersion is the highest version of an API kq's client (franz-go)
// sends, false for an API it does not know.
func ClientMaxVersion(key int16) (int16, bool) { return kversion.Stable().LookupMaxKeyVersion(key) }
