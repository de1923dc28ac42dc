package config

import "testing"

// flush.mode, kq's own key, falls back to log.flush.mode like Kafka's
// topic configs fall back to their broker synonyms.
func TestFlushMode(t *testing.T) {
	tests := []struct {
		name      string
		broker    map[string]string
		overrides map[string]string
		want      string
	}{
		{"default", nil, nil, "pagecache"},
		{"broker default", map[string]string{"log.flush.mode": "group-commit"}, nil, "group-commit"},
		{"topic override", nil, map[string]string{"flush.mode": "group-commit"}, "group-commit"},
		{"topic back to pagecache", map[string]string{"log.flush.mode": "group-commit"}, map[string]string{"flush.mode": "pagecache"}, "pagecache"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tc, err := mustParse(t, tt.broker).EffectiveTopicConfig(tt.overrides)
			if err != nil {
				t.Fatal(err)
			}
			if tc.FlushMode != tt.want {
				t.Fatalf("flush.mode %q, want %q", tc.FlushMode, tt.want)
			}
		})
	}
}

func TestFlushModeRefusesOtherValues(t *testing.T) {
	if err := ValidateTopicConfigs(map[string]string{"flush.mode": "fsync"}); err == nil {
		t.Fatal("flush.mode=fsync accepted")
	}
	if _, _, err := ParseWithOptions(map[string]string{"log.flush.mode": "always"}, testOptions); err == nil {
		t.Fatal("log.flush.mode=always accepted")
	}
	if err := ValidateDynamicBrokerConfigs(map[string]string{"log.flush.mode": "group-commit"}, true); err != nil {
		t.Fatalf("log.flush.mode is not dynamic cluster-wide: %v", err)
	}
}
