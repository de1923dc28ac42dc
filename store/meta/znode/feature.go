package znode

// FeatureStatus says whether the finalized features are in force.
type FeatureStatus int

// The two statuses /feature records.
const (
	FeaturesDisabled FeatureStatus = 0 // features not finalized
	FeaturesEnabled  FeatureStatus = 1 // the finalized features apply
)

// Features is /feature: the cluster's finalized feature versions, written
// by the controller (KIP-584).
type Features struct {
	Status FeatureStatus
	// Levels maps a feature (e.g. metadata.version) to its finalized
	// version level.
	Levels map[string]int16
}

type featureLevelJSON struct {
	Max *int16 `json:"max_version_level"`
	Min *int16 `json:"min_version_level,omitempty"`
}

type featuresJSON struct {
	Version  *int                        `json:"version"`
	Status   *int                        `json:"status"`
	Features map[string]featureLevelJSON `json:"features"`
}

// Encode writes version 2 (Kafka 3.3+), which dropped min_version_level.
func (f Features) Encode() []byte {
	j := featuresJSON{Version: ptr(2), Status: ptr(int(f.Status)), Features: map[string]featureLevelJSON{}}
	for name, level := range f.Levels {
		j.Features[name] = featureLevelJSON{Max: ptr(level)}
	}
	return marshal(j)
}

// DecodeFeatures reads /feature, versions 1 and 2.
func DecodeFeatures(path string, data []byte) (Features, error) {
	var j featuresJSON
	if err := unmarshal(path, data, &j); err != nil {
		return Features{}, err
	}
	if _, err := requireVersion(path, j.Version, 1, 2); err != nil {
		return Features{}, err
	}
	if j.Status == nil || (*j.Status != 0 && *j.Status != 1) {
		return Features{}, malformed(path, "status must be 0 or 1")
	}
	if j.Features == nil {
		return Features{}, malformed(path, "no features")
	}
	f := Features{Status: FeatureStatus(*j.Status), Levels: map[string]int16{}}
	for name, l := range j.Features {
		if l.Max == nil || *l.Max < 1 {
			return Features{}, malformed(path, "feature %s: max_version_level must be >= 1", name)
		}
		f.Levels[name] = *l.Max
	}
	return f, nil
}
